import { isDay, isTimeZone, isoWeekday, zonedTimeToUtc } from '../shared/days';
import type { AbTestKpi } from '@optimove/contracts';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** When a campaign is due. Wire format (API): do not rename. */
export type Recurrence =
  | { type: 'once'; date: string }
  | { type: 'daily'; startDate: string; endDate?: string }
  | { type: 'weekdays'; weekdays: Weekday[]; startDate: string; endDate?: string };

export type Variant = { name: string; templateMessageId: string; weight: number };

export const CAMPAIGN_STATUSES = ['active', 'paused', 'archived'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** What a campaign plan says; `campaignProblems` checks it. */
export type CampaignPlan = {
  name: string;
  targetGroupId: string;
  variants: Variant[];
  sendTime: string;
  timeZone: string;
  recurrence: Recurrence;
  controlShare: number;
  priority: number;
  actionDurationDays: number;
  abTestKpi: AbTestKpi | null;
};

/** Every reason the plan cannot run, as sentences (empty: it can). `today` is the first day it could still run. */
export function campaignProblems(plan: CampaignPlan, today: string): string[] {
  const problems: string[] = [];
  if (plan.variants.length === 0) problems.push('give templateMessageId or at least one variant');
  const names = new Set<string>();
  for (const variant of plan.variants) {
    if (variant.name.toLowerCase() === 'control') problems.push('"control" is the name of the control group, not of a variant');
    if (names.has(variant.name)) problems.push(`two variants are named "${variant.name}"`);
    names.add(variant.name);
  }
  if (plan.variants.length > 0 && plan.variants.every((variant) => variant.weight === 0)) problems.push('at least one variant needs a weight above 0');
  if (plan.variants.length > 1 && plan.abTestKpi === null) problems.push('an A/B test needs abTestKpi (revenue_per_customer, purchase_rate, click_rate or open_rate)');
  if (!isTimeZone(plan.timeZone)) problems.push(`"${String(plan.timeZone)}" is not an IANA time zone (e.g. Europe/Berlin)`);
  const recurrence = plan.recurrence as unknown as Record<string, unknown>;
  switch (recurrence['type']) {
    case 'once': {
      const date = recurrence['date'];
      if (!isDay(date)) problems.push('recurrence.date must be a calendar day YYYY-MM-DD');
      else if (date < today) problems.push(`recurrence.date ${date} is in the past (today is ${today})`);
      break;
    }
    case 'daily':
    case 'weekdays': {
      const { startDate, endDate } = recurrence as { startDate?: unknown; endDate?: unknown };
      if (!isDay(startDate)) problems.push('recurrence.startDate must be a calendar day YYYY-MM-DD');
      if (endDate !== undefined && endDate !== null && !isDay(endDate)) problems.push('recurrence.endDate must be a calendar day YYYY-MM-DD');
      if (isDay(startDate) && isDay(endDate) && endDate < startDate) problems.push('recurrence.endDate is before recurrence.startDate');
      if (isDay(endDate) && endDate < today) problems.push(`recurrence.endDate ${endDate} is in the past (today is ${today})`);
      if (recurrence['type'] === 'weekdays') {
        const weekdays = recurrence['weekdays'];
        if (!Array.isArray(weekdays) || weekdays.length === 0 || !weekdays.every((day) => (WEEKDAYS as readonly unknown[]).includes(day))) {
          problems.push(`recurrence.weekdays must be a non-empty list of ${WEEKDAYS.join(', ')}`);
        } else if (isDay(startDate) && isDay(endDate) && endDate >= startDate && endDate >= today) {
          // Only the days still to come count: a chosen weekday that is already past never runs again.
          if (!hasDueDay(plan.recurrence, startDate >= today ? startDate : today, endDate)) {
            problems.push(
              startDate >= today
                ? 'no chosen weekday falls between recurrence.startDate and recurrence.endDate'
                : `no chosen weekday falls between today (${today}) and recurrence.endDate ${endDate}`,
            );
          }
        }
      }
      break;
    }
    default:
      problems.push('recurrence.type must be once, daily or weekdays');
  }
  return problems;
}

/** Whether a campaign with this recurrence is due on `day`. */
export function isDue(recurrence: Recurrence, day: string): boolean {
  switch (recurrence.type) {
    case 'once':
      return recurrence.date === day;
    case 'daily':
      return day >= recurrence.startDate && (!recurrence.endDate || day <= recurrence.endDate);
    case 'weekdays':
      return (
        day >= recurrence.startDate &&
        (!recurrence.endDate || day <= recurrence.endDate) &&
        recurrence.weekdays.includes(WEEKDAYS[isoWeekday(day)])
      );
  }
}

function hasDueDay(recurrence: Recurrence, start: string, end: string): boolean {
  let day = start;
  for (let i = 0; i < 7 && day <= end; i++) {
    if (isDue(recurrence, day)) return true;
    day = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  }
  return false;
}

/** The send instant (UTC) of a campaign on a run date. */
export function scheduledAt(plan: Pick<CampaignPlan, 'sendTime' | 'timeZone'>, day: string): Date {
  return zonedTimeToUtc(day, plan.sendTime, plan.timeZone);
}

/** Planned share (0..1) of each group: the control share, and each variant's weight of the rest. */
export function plannedShares(plan: Pick<CampaignPlan, 'controlShare' | 'variants'>): { control: number; variants: number[] } {
  const total = plan.variants.reduce((sum, variant) => sum + variant.weight, 0);
  return {
    control: plan.controlShare,
    variants: plan.variants.map((variant) => (total === 0 ? 0 : ((1 - plan.controlShare) * variant.weight) / total)),
  };
}
