import type { CatalogueField, WireRule } from '../../target-groups/rule-tree';

export type { CatalogueField };
export type TargetGroup = { id: string; name: string; description: string; rule: WireRule };
export type Preview = { asOf: string; count: number; sample: string[]; byStage: Record<string, number> };
export type TemplateMessage = { id: string; name: string; subject: string | null; created: string | null };
export type Recurrence =
  | { type: 'once'; date: string }
  | { type: 'daily'; startDate: string; endDate?: string }
  | { type: 'weekdays'; weekdays: string[]; startDate: string; endDate?: string };
export type AbTestKpi = 'revenue_per_customer' | 'purchase_rate' | 'click_rate' | 'open_rate';
export type CampaignBody = {
  name: string;
  targetGroupId: string;
  templateMessageId?: string;
  variants?: { name: string; templateMessageId: string; weight: number }[];
  sendTime: string;
  timeZone: string;
  recurrence: Recurrence;
  controlShare: number;
  priority: number;
  actionDurationDays: number;
  abTestKpi?: AbTestKpi;
};
export type Campaign = CampaignBody & { id: string; status: string; variants: { name: string; templateMessageId: string; weight: number }[] };

export const KPI_LABELS: Record<AbTestKpi, string> = {
  revenue_per_customer: 'Revenue per customer',
  purchase_rate: 'Purchase rate',
  click_rate: 'Click rate',
  open_rate: 'Open rate',
};
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
