import type { SegmentationConfig } from '../config/segmentation.config';

/** Lifecycle stages. Wire values (API, rules, history): do not rename. */
export const LIFECYCLE_STAGES = ['prospect', 'new', 'active', 'at_risk', 'churned', 'reactivated'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

/** Micro-segments. Wire values: do not rename. */
export const MICRO_SEGMENTS = [
  'champions',
  'loyal',
  'potential_loyalist',
  'new_customers',
  'promising',
  'need_attention',
  'about_to_sleep',
  'at_risk',
  'cant_lose',
  'hibernating',
  'lost',
] as const;
export type MicroSegment = (typeof MICRO_SEGMENTS)[number];

/**
 * The micro-segment of a recency score R (1-5) and an FM score (the rounded-up mean of the
 * frequency and monetary scores), as a 5x5 table: row R5..R1, column FM1..FM5. The README prints it.
 */
export const MICRO_SEGMENT_TABLE: Record<1 | 2 | 3 | 4 | 5, readonly MicroSegment[]> = {
  5: ['new_customers', 'potential_loyalist', 'potential_loyalist', 'champions', 'champions'],
  4: ['promising', 'potential_loyalist', 'potential_loyalist', 'loyal', 'loyal'],
  3: ['about_to_sleep', 'about_to_sleep', 'need_attention', 'loyal', 'loyal'],
  2: ['hibernating', 'hibernating', 'at_risk', 'at_risk', 'cant_lose'],
  1: ['lost', 'lost', 'at_risk', 'at_risk', 'cant_lose'],
};

/** The thresholds the model is computed with; a change makes the next update a full rebuild. */
export type ModelSettings = {
  newDays: number;
  activeDays: number;
  churnDays: number;
  reactivatedDays: number;
  rfmWindowDays: number;
  recencyDays: readonly number[];
  frequencyOrders: readonly number[];
  monetarySpend: readonly number[];
};

export function modelSettings(config: SegmentationConfig): ModelSettings {
  return {
    newDays: config.LIFECYCLE_NEW_DAYS,
    activeDays: config.LIFECYCLE_ACTIVE_DAYS,
    churnDays: config.LIFECYCLE_CHURN_DAYS,
    reactivatedDays: config.LIFECYCLE_REACTIVATED_DAYS,
    rfmWindowDays: config.RFM_WINDOW_DAYS,
    recencyDays: config.RFM_RECENCY_DAYS,
    frequencyOrders: config.RFM_FREQUENCY_ORDERS,
    monetarySpend: config.RFM_MONETARY_SPEND,
  };
}

/** The per-customer facts the stage and scores are derived from (days are `YYYY-MM-DD`). */
export type CustomerFacts = {
  firstPurchaseOn: string | null;
  lastPurchaseOn: string | null;
  reactivatedOn: string | null;
  ordersRfm: number;
  spendRfm: number;
};

const dayNumber = (day: string): number => Date.parse(`${day}T00:00:00Z`) / 86_400_000;

/** The same rules as the SQL in model-sql.ts, in TypeScript (tests and the README's examples). */
export function classify(facts: CustomerFacts, asOf: string, settings: ModelSettings): {
  lifecycleStage: LifecycleStage;
  recencyScore: number | null;
  frequencyScore: number | null;
  monetaryScore: number | null;
  microSegment: MicroSegment | null;
} {
  const d = dayNumber(asOf);
  if (facts.lastPurchaseOn === null || facts.firstPurchaseOn === null) {
    return { lifecycleStage: 'prospect', recencyScore: null, frequencyScore: null, monetaryScore: null, microSegment: null };
  }
  const sinceFirst = d - dayNumber(facts.firstPurchaseOn);
  const sinceLast = d - dayNumber(facts.lastPurchaseOn);
  const sinceReactivation = facts.reactivatedOn === null ? null : d - dayNumber(facts.reactivatedOn);
  const lifecycleStage: LifecycleStage =
    sinceFirst <= settings.newDays
      ? 'new'
      : sinceReactivation !== null && sinceReactivation <= settings.reactivatedDays
        ? 'reactivated'
        : sinceLast <= settings.activeDays
          ? 'active'
          : sinceLast <= settings.churnDays
            ? 'at_risk'
            : 'churned';
  const recencyScore = 5 - countWhile(settings.recencyDays, (bound) => sinceLast > bound);
  const frequencyScore = 1 + settings.frequencyOrders.filter((bound) => facts.ordersRfm >= bound).length;
  const monetaryScore = 1 + settings.monetarySpend.filter((bound) => facts.spendRfm >= bound).length;
  const fm = Math.floor((frequencyScore + monetaryScore + 1) / 2) as 1 | 2 | 3 | 4 | 5;
  return {
    lifecycleStage,
    recencyScore,
    frequencyScore,
    monetaryScore,
    microSegment: MICRO_SEGMENT_TABLE[recencyScore as 1 | 2 | 3 | 4 | 5][fm - 1],
  };
}

function countWhile(bounds: readonly number[], test: (bound: number) => boolean): number {
  let count = 0;
  for (const bound of bounds) {
    if (!test(bound)) break;
    count += 1;
  }
  return count;
}
