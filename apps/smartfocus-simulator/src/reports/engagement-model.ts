import { createHash } from 'node:crypto';

// Deterministic engagement: every figure follows from (seed, campaign id, member id), so the same
// campaign reports the same numbers on every run, and a member's events have fixed times after
// the send, which makes every count grow with time and never decrease.

/** The counts of `apiCampaignSnapshot` (Part A item 8). */
export type EngagementCounts = {
  nbSelected: number;
  nbFiltered: number;
  nbDelivered: number;
  nbBounce: number;
  nbHardBounce: number;
  nbSoftBounce: number;
  nbComplaint: number;
  nbUniqueOpen: number;
  nbUniqueClick: number;
  nbUnsubscribe: number;
  nbConversion: number;
};

export const ZERO_COUNTS: EngagementCounts = {
  nbSelected: 0,
  nbFiltered: 0,
  nbDelivered: 0,
  nbBounce: 0,
  nbHardBounce: 0,
  nbSoftBounce: 0,
  nbComplaint: 0,
  nbUniqueOpen: 0,
  nbUniqueClick: 0,
  nbUnsubscribe: 0,
  nbConversion: 0,
};

/** A campaign's own rates, drawn once from its id: campaigns differ, as real ones do. */
export type CampaignProfile = {
  filterRate: number;
  bounceRate: number;
  hardBounceShare: number;
  openRate: number;
  clickOfOpeners: number;
  unsubscribeOfOpeners: number;
  complaintRate: number;
  conversionOfClickers: number;
};

/** Hours after the send of each event of one member; null when it never happens. */
export type MemberOutcome = {
  filtered: boolean;
  bounce: 'hard' | 'soft' | null;
  openAt: number | null;
  clickAt: number | null;
  unsubscribeAt: number | null;
  complaintAt: number | null;
  conversionAt: number | null;
};

/**
 * Eight uniform numbers in [0, 1) from two MD5 digests of the parts (`...|1` and `...|2`), four
 * 32-bit words each. MD5 because PostgreSQL has it: engagement-sql.ts computes the same draws
 * set-wise (not for security: any well-mixed hash would do).
 */
export function uniforms(...parts: string[]): number[] {
  const text = parts.join('|');
  const digests = [createHash('md5').update(`${text}|1`).digest(), createHash('md5').update(`${text}|2`).digest()];
  return Array.from({ length: 8 }, (_, index) => digests[index >> 2].readUInt32BE((index & 3) * 4) / 2 ** 32);
}

/**
 * `engagementFactor` (the template message's, set through the admin API) multiplies the open rate,
 * so opens and clicks (a share of the openers) both scale with it; capped at every delivered member.
 */
export function campaignProfile(seed: string, campaignId: string, engagementFactor = 1): CampaignProfile {
  const u = uniforms(seed, 'campaign', campaignId);
  return {
    filterRate: 0.005 + 0.01 * u[0],
    bounceRate: 0.01 + 0.03 * u[1],
    hardBounceShare: 0.3 + 0.3 * u[2],
    openRate: Math.min(1, (0.15 + 0.2 * u[3]) * engagementFactor),
    clickOfOpeners: 0.1 + 0.15 * u[4],
    unsubscribeOfOpeners: 0.01 + 0.02 * u[5],
    complaintRate: 0.0005 + 0.001 * u[6],
    conversionOfClickers: 0.05 + 0.1 * u[7],
  };
}

/**
 * Open delay in hours: 85 % of openers within about a day and a half (exponential, mean 8 h),
 * the rest spread over days 2 to 7, so most opens come in the first two days.
 */
function openDelayHours(u1: number, u2: number): number {
  return u1 < 0.85 ? -Math.log(1 - u2) * 8 : 48 + u2 * 120;
}

export function memberOutcome(seed: string, campaignId: string, memberId: string, profile: CampaignProfile): MemberOutcome {
  const u = uniforms(seed, campaignId, memberId);
  const none: MemberOutcome = { filtered: false, bounce: null, openAt: null, clickAt: null, unsubscribeAt: null, complaintAt: null, conversionAt: null };
  if (u[0] < profile.filterRate) return { ...none, filtered: true };
  if (u[1] < profile.bounceRate) return { ...none, bounce: u[2] < profile.hardBounceShare ? 'hard' : 'soft' };
  // Unsubscribes and complaints use one draw in disjoint ranges, so a member does one at most.
  const complaintAt = u[6] < profile.complaintRate ? 1 + u[5] * 47 : null;
  if (u[2] >= profile.openRate) return { ...none, complaintAt };
  const openAt = openDelayHours(u[3], u[4]);
  const clicks = u[5] < profile.clickOfOpeners;
  const clickAt = clicks ? openAt + u[7] * 2 : null;
  const unsubscribes = complaintAt === null && u[6] >= 1 - profile.unsubscribeOfOpeners;
  return {
    ...none,
    openAt,
    clickAt,
    complaintAt,
    unsubscribeAt: unsubscribes ? openAt + u[7] * 6 : null,
    conversionAt: clickAt !== null && u[4] < profile.conversionOfClickers ? clickAt + u[7] * 48 : null,
  };
}

const happened = (at: number | null, elapsedHours: number): boolean => at !== null && at <= elapsedHours;

/** The snapshot of a sent campaign `elapsedHours` after its send date. */
export function engagementCounts(seed: string, campaignId: string, memberIds: Iterable<string>, elapsedHours: number, engagementFactor = 1): EngagementCounts {
  const counts = { ...ZERO_COUNTS };
  if (elapsedHours < 0) return counts;
  const profile = campaignProfile(seed, campaignId, engagementFactor);
  for (const memberId of memberIds) {
    const outcome = memberOutcome(seed, campaignId, memberId, profile);
    counts.nbSelected++;
    if (outcome.filtered) {
      counts.nbFiltered++;
      continue;
    }
    if (outcome.bounce) {
      counts.nbBounce++;
      if (outcome.bounce === 'hard') counts.nbHardBounce++;
      else counts.nbSoftBounce++;
      continue;
    }
    counts.nbDelivered++;
    if (happened(outcome.openAt, elapsedHours)) counts.nbUniqueOpen++;
    if (happened(outcome.clickAt, elapsedHours)) counts.nbUniqueClick++;
    if (happened(outcome.unsubscribeAt, elapsedHours)) counts.nbUnsubscribe++;
    if (happened(outcome.complaintAt, elapsedHours)) counts.nbComplaint++;
    if (happened(outcome.conversionAt, elapsedHours)) counts.nbConversion++;
  }
  return counts;
}

/** Field-wise maximum: what was reported once is never reported lower. */
export function atLeast(counts: EngagementCounts, floor: Partial<EngagementCounts> | null): EngagementCounts {
  if (!floor) return counts;
  const result = { ...counts };
  for (const key of Object.keys(result) as (keyof EngagementCounts)[]) result[key] = Math.max(result[key], floor[key] ?? 0);
  return result;
}
