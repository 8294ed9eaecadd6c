import { atLeast, campaignProfile, engagementCounts, memberOutcome, ZERO_COUNTS } from './engagement-model';

const MEMBERS = Array.from({ length: 20_000 }, (_, index) => String(index + 1));

describe('engagement model', () => {
  it('should give the same figures for the same seed, campaign and members, and others for another seed', () => {
    const first = engagementCounts('seed-a', '300000001', MEMBERS, 72);
    expect(engagementCounts('seed-a', '300000001', MEMBERS, 72)).toEqual(first);
    expect(engagementCounts('seed-b', '300000001', MEMBERS, 72)).not.toEqual(first);
  });

  it('should grow day by day after the send and never decrease', () => {
    let previous = engagementCounts('seed', '300000002', MEMBERS, 0);
    for (let day = 1; day <= 7; day++) {
      const current = engagementCounts('seed', '300000002', MEMBERS, day * 24);
      for (const key of Object.keys(current) as (keyof typeof current)[]) expect(current[key]).toBeGreaterThanOrEqual(previous[key]);
      previous = current;
    }
    expect(previous.nbUniqueOpen).toBeGreaterThan(engagementCounts('seed', '300000002', MEMBERS, 24).nbUniqueOpen);
  });

  it('should report nothing before the send', () => {
    expect(engagementCounts('seed', '300000003', MEMBERS, -1)).toEqual(ZERO_COUNTS);
  });

  it('should give plausible rates: most opens in the first two days, clicks a fraction of opens, few unsubscribes and bounces', () => {
    for (const campaignId of ['300000004', '300000005', '300000006']) {
      const week = engagementCounts('seed', campaignId, MEMBERS, 7 * 24);
      const twoDays = engagementCounts('seed', campaignId, MEMBERS, 48);
      const sent = week.nbSelected - week.nbFiltered;
      expect(week.nbSelected).toBe(MEMBERS.length);
      expect(week.nbDelivered + week.nbBounce).toBe(sent);
      expect(week.nbHardBounce + week.nbSoftBounce).toBe(week.nbBounce);
      expect(week.nbBounce / sent).toBeLessThan(0.06);
      expect(week.nbUniqueOpen / week.nbDelivered).toBeGreaterThan(0.12);
      expect(week.nbUniqueOpen / week.nbDelivered).toBeLessThan(0.4);
      expect(twoDays.nbUniqueOpen / week.nbUniqueOpen).toBeGreaterThan(0.8);
      expect(week.nbUniqueClick).toBeLessThan(week.nbUniqueOpen * 0.3);
      expect(week.nbUniqueClick).toBeGreaterThan(0);
      expect(week.nbUnsubscribe / week.nbDelivered).toBeLessThan(0.02);
      expect(week.nbUnsubscribe).toBeGreaterThan(0);
      expect(week.nbConversion).toBeLessThanOrEqual(week.nbUniqueClick);
    }
  });

  it('should make a member click only after opening, and never both unsubscribe and complain', () => {
    const profile = campaignProfile('seed', '300000007');
    for (const member of MEMBERS.slice(0, 5_000)) {
      const outcome = memberOutcome('seed', '300000007', member, profile);
      if (outcome.clickAt !== null) expect(outcome.clickAt).toBeGreaterThanOrEqual(outcome.openAt!);
      expect(outcome.unsubscribeAt !== null && outcome.complaintAt !== null).toBe(false);
      if (outcome.filtered || outcome.bounce) expect(outcome.openAt).toBeNull();
    }
  });

  it('should keep the highest figures reported so far', () => {
    const floor = { ...ZERO_COUNTS, nbUniqueOpen: 10, nbDelivered: 5 };
    expect(atLeast({ ...ZERO_COUNTS, nbUniqueOpen: 8, nbDelivered: 9 }, floor)).toMatchObject({ nbUniqueOpen: 10, nbDelivered: 9 });
    expect(atLeast(ZERO_COUNTS, null)).toEqual(ZERO_COUNTS);
  });
});
