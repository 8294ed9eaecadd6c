import { campaignProblems, isDue, plannedShares, scheduledAt, type CampaignPlan } from './campaign-plan';

describe('campaign plans', () => {
  const plan: CampaignPlan = {
    name: 'x',
    targetGroupId: 'g',
    variants: [{ name: 'A', templateMessageId: '1', weight: 1 }, { name: 'B', templateMessageId: '2', weight: 3 }],
    sendTime: '09:30',
    timeZone: 'Europe/Berlin',
    recurrence: { type: 'weekdays', weekdays: ['mon', 'thu'], startDate: '2026-12-01', endDate: '2026-12-31' },
    controlShare: 0.2,
    priority: 1,
    actionDurationDays: 7,
    abTestKpi: 'purchase_rate',
  };

  it('should be due on the chosen weekdays between the dates only', () => {
    expect(isDue(plan.recurrence, '2026-11-30')).toBe(false); // a Monday before the start
    expect(isDue(plan.recurrence, '2026-12-03')).toBe(true); // Thursday
    expect(isDue(plan.recurrence, '2026-12-04')).toBe(false); // Friday
    expect(isDue({ type: 'once', date: '2026-12-04' }, '2026-12-04')).toBe(true);
    expect(isDue({ type: 'daily', startDate: '2026-12-01', endDate: '2026-12-02' }, '2026-12-03')).toBe(false);
  });

  it('should send at the local time across daylight saving changes', () => {
    expect(scheduledAt(plan, '2026-12-03').toISOString()).toBe('2026-12-03T08:30:00.000Z');
    expect(scheduledAt(plan, '2026-07-02').toISOString()).toBe('2026-07-02T07:30:00.000Z');
    expect(scheduledAt({ sendTime: '23:15', timeZone: 'America/New_York' }, '2026-03-08').toISOString()).toBe('2026-03-09T03:15:00.000Z');
    // A time the spring change skips moves forward by the jump (03:30 local), a repeated one is the first.
    expect(scheduledAt({ sendTime: '02:30', timeZone: 'Europe/Berlin' }, '2026-03-29').toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(scheduledAt({ sendTime: '02:30', timeZone: 'America/New_York' }, '2026-03-08').toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(scheduledAt({ sendTime: '02:30', timeZone: 'Europe/Berlin' }, '2026-10-25').toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('should plan the control share and the variants by weight', () => {
    const shares = plannedShares(plan);
    expect(shares.control).toBe(0.2);
    expect(shares.variants[0]).toBeCloseTo(0.2, 12);
    expect(shares.variants[1]).toBeCloseTo(0.6, 12);
  });

  it('should give every reason a plan cannot run', () => {
    expect(campaignProblems(plan, '2026-11-30')).toEqual([]);
    expect(
      campaignProblems(
        { ...plan, variants: [{ name: 'A', templateMessageId: '1', weight: 0 }, { name: 'A', templateMessageId: '2', weight: 0 }], abTestKpi: null, recurrence: { type: 'weekdays', weekdays: ['sun'], startDate: '2026-12-01', endDate: '2026-12-05' } },
        '2026-11-30',
      ),
    ).toEqual([
      'two variants are named "A"',
      'at least one variant needs a weight above 0',
      'an A/B test needs abTestKpi (revenue_per_customer, purchase_rate, click_rate or open_rate)',
      'no chosen weekday falls between recurrence.startDate and recurrence.endDate',
    ]);
  });

  it('should refuse a weekdays plan when no chosen weekday is left between today and its end date', () => {
    // Mondays 2026-11-23 and 2026-11-30 are past on Tuesday 2026-12-01; none is left up to Saturday 2026-12-05.
    const recurrence = { type: 'weekdays', weekdays: ['mon'], startDate: '2026-11-23', endDate: '2026-12-05' } as const;
    expect(campaignProblems({ ...plan, recurrence: { ...recurrence, weekdays: ['mon'] } }, '2026-12-01')).toEqual([
      'no chosen weekday falls between today (2026-12-01) and recurrence.endDate 2026-12-05',
    ]);
    expect(campaignProblems({ ...plan, recurrence: { ...recurrence, weekdays: ['mon', 'sat'] } }, '2026-12-01')).toEqual([]);
  });
});
