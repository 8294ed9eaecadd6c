import { dailyRows, distributionRows, funnelRows, stageBars, upliftPoints, verdictInWords } from './chart-data';

describe(stageBars.name, () => {
  it('should order the stages as the lifecycle runs, unknown ones last', () => {
    expect(stageBars({ churned: 3, zeta: 1, active: 10, new: 2, alpha: 4 })).toEqual([
      { stage: 'new', customers: 2 },
      { stage: 'active', customers: 10 },
      { stage: 'churned', customers: 3 },
      { stage: 'alpha', customers: 4 },
      { stage: 'zeta', customers: 1 },
    ]);
  });
});

describe(distributionRows.name, () => {
  it('should give every day every series, 0 where missing, days in order', () => {
    const { rows, series } = distributionRows([
      { date: '2026-11-29', customers: { active: 5, churned: 1 } },
      { date: '2026-11-28', customers: { active: 4, new: 2 } },
    ]);
    expect(series).toEqual(['new', 'active', 'churned']);
    expect(rows).toEqual([
      { date: '2026-11-28', new: 2, active: 4, churned: 0 },
      { date: '2026-11-29', new: 0, active: 5, churned: 1 },
    ]);
  });
});

describe(funnelRows.name, () => {
  it('should take each variant’s last snapshot and leave the control group out', () => {
    const groups = [
      { name: 'A', kind: 'variant', funnel: [{ day: 2, sent: 100, delivered: 98, uniqueOpens: 40, uniqueClicks: 9, unsubscribes: 1 }, { day: 1, sent: 100, delivered: 97, uniqueOpens: 20, uniqueClicks: 3, unsubscribes: 0 }] },
      { name: 'B', kind: 'variant', days: [{ day: 1, sent: 50, delivered: 50, opens: 10, clicks: 2, unsubscribes: 0 }] },
      { name: 'control', kind: 'control' },
    ];
    expect(funnelRows(groups)).toEqual({
      series: ['A', 'B'],
      rows: [
        { stage: 'sent', A: 100, B: 50 },
        { stage: 'delivered', A: 98, B: 50 },
        { stage: 'opened', A: 40, B: 10 },
        { stage: 'clicked', A: 9, B: 2 },
        { stage: 'unsubscribed', A: 1, B: 0 },
      ],
    });
  });
});

describe(dailyRows.name, () => {
  it('should give one row per day with a column per variant', () => {
    const groups = [
      { name: 'A', kind: 'variant', funnel: [{ day: 1, uniqueOpens: 20 }, { day: 2, uniqueOpens: 40 }] },
      { name: 'B', kind: 'variant', funnel: [{ day: 2, uniqueOpens: 5 }] },
    ];
    expect(dailyRows(groups, 'opens')).toEqual([
      { day: 'day 1', A: 20 },
      { day: 'day 2', A: 40, B: 5 },
    ]);
  });
});

describe(upliftPoints.name, () => {
  it('should turn an interval into the error bar’s lengths below and above the difference', () => {
    expect(upliftPoints([{ groupId: 'g1', estimate: { difference: 1.5, ciLow: 0.5, ciHigh: 3 } }, { groupId: 'g2' }, { groupId: 'g3', estimate: { difference: 1, ciLow: null, ciHigh: null } }], new Map([['g1', 'A']]))).toEqual([
      { name: 'A', difference: 1.5, interval: [1, 1.5], ciLow: 0.5, ciHigh: 3 },
    ]);
  });
});

describe(verdictInWords.name, () => {
  it('should say raised, lowered or no clear effect by where the interval lies', () => {
    expect(verdictInWords({ difference: 2, ciLow: 0.1, ciHigh: 4 }, 'revenue per customer', true)).toMatch(/^The campaign raised revenue per customer:/);
    expect(verdictInWords({ difference: -2, ciLow: -4, ciHigh: -0.1 }, 'revenue per customer', true)).toMatch(/lowered/);
    expect(verdictInWords({ difference: 1, ciLow: -1, ciHigh: 3 }, 'revenue per customer', false)).toMatch(/No clear effect on revenue per customer so far/);
  });
});
