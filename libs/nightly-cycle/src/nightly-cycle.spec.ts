import type { SyntheticRetailer } from '@optimove/synthetic-retailer';
import { formatAnalysis, formatPValue, table } from './analysis-tables';
import type { Analysis, MetricComparison } from './api-types';
import { createServer } from 'node:net';
import { sizeClickEffect, sizePlantedEffect } from './planted-effect';
import { StackClient } from './stack-client';
import { NightlyCycle } from './nightly-cycle';
import type { RunReport, SnapshotFetch } from './api-types';

describe(sizePlantedEffect.name, () => {
  // Every customer buys a Poisson(0.1 x factor) number of orders of mean 50.00 and mean square
  // 5,000.00 (in cents 5,000 and 5e7): revenue variance 0.1 x factor x 5e7 cents².
  const retailer = {
    windowExpectation: (_customer: string, _from: string, _days: number, effect: { purchaseRateFactor?: number }) => {
      const purchases = 0.1 * (effect.purchaseRateFactor ?? 1);
      const revenueCents = purchases * 5_000;
      return { purchaseProbability: 1 - Math.exp(-purchases), revenueCents, revenueSquareCents: purchases * 5e7 + revenueCents ** 2 };
    },
  } as unknown as SyntheticRetailer;

  it('should pick the smallest factor with 99 % power in both tests, as an independent computation does', () => {
    // Reference: Python 3.11's statistics.NormalDist, power = Phi(difference / standard error - z_0.975)
    // for factors 1.1, 1.2, ... (the script's output for 1.5 was 0.98939 and 0.99994; for 1.6):
    //   1.6 0.9990676038858692 0.9999995484636646 0.09516258196404048 0.14785621103378865 5.0 8.0
    const sizing = sizePlantedEffect(retailer, ['C1', 'C2', 'C3'], { treated: 8_000, control: 2_000 }, { from: '2026-12-01T08:30:00Z', days: 14 });

    expect(sizing.purchaseRateFactor).toBe(1.6);
    expect(sizing.power.revenuePerCustomer).toBeCloseTo(0.9990676038858692, 6);
    expect(sizing.power.purchaseRate).toBeCloseTo(0.9999995484636646, 6);
    expect(sizing.expected.control.purchaseRate).toBeCloseTo(0.09516258196404048, 12);
    expect(sizing.expected.control.revenuePerCustomer).toBeCloseTo(5, 9);
    expect(sizing.expected.treated.purchaseRate).toBeCloseTo(0.14785621103378865, 12);
  });

  it('should refuse groups without customers', () => {
    expect(() => sizePlantedEffect(retailer, [], { treated: 1, control: 1 }, { from: '2026-12-01', days: 7 })).toThrow('a planted effect needs treated and control customers');
  });
});

describe(sizeClickEffect.name, () => {
  const other = { rates: { openRate: 0.3, clickOfOpeners: 0.2, filterRate: 0.01, bounceRate: 0.02 }, factor: 1, size: 1_000 };

  it('should pick the smallest factor with 99 % power when the planted variant starts behind, as an independent computation does', () => {
    // Reference: Python 3.11's statistics.NormalDist over 970.2 delivered per variant, click rates
    // 0.06 and min(1, 0.2 x f) x 0.15, power = Phi(difference / standard error - z_0.975):
    //   3.9 0.9934794483269804 0.117
    const sizing = sizeClickEffect(other, { rates: { openRate: 0.2, clickOfOpeners: 0.15, filterRate: 0.01, bounceRate: 0.02 }, size: 1_000 });

    expect(sizing.factor).toBe(3.9);
    expect(sizing.power).toBeCloseTo(0.9934794483269804, 9);
    expect(sizing.expected.other).toBeCloseTo(0.06, 12);
    expect(sizing.expected.planted).toBeCloseTo(0.117, 12);
  });

  it('should give the largest factor and its low power when even every recipient opening cannot win', () => {
    // Every planted recipient opens at a factor of 20, and 5 % of them click: below the other's 6 %.
    const sizing = sizeClickEffect(other, { rates: { openRate: 0.3, clickOfOpeners: 0.05, filterRate: 0.01, bounceRate: 0.02 }, size: 1_000 });

    expect(sizing.factor).toBe(20);
    expect(sizing.power).toBeCloseTo(0.0017151649863749174, 9);
  });
});

describe('analysis tables', () => {
  const figures = (treatment: number, control: number, pValue: number, significant: boolean): MetricComparison => ({
    kind: 'fixed_horizon',
    method: 'welch',
    status: 'ok',
    treatment,
    control,
    difference: treatment - control,
    relative: (treatment - control) / control,
    ciLow: treatment - control - 1,
    ciHigh: treatment - control + 1,
    pValue,
    significant,
    reason: null,
  });
  const group = (key: string, name: string, kind: 'variant' | 'control', size: number, revenue: Analysis['groups'][number]['revenue']): Analysis['groups'][number] => ({
    key,
    groupId: `g-${name}`,
    groupIds: [`g-${name}`],
    name,
    kind,
    size,
    plannedShare: null,
    funnel: [],
    revenue,
  });
  const analysis: Analysis = {
    scope: { executionId: null, campaignId: 'c', campaignName: 'Win-back', executions: 1 },
    state: 'ok',
    message: '',
    window: { from: '2026-12-01T08:30:00.000Z', to: '2026-12-15T08:30:00.000Z', actionDurationDays: 14, actionDurationSource: 'plan', closed: true },
    figures: 'fixed_horizon',
    groups: [
      group('variant:B', 'B', 'variant', 8_000, { total: '24000.00', perCustomer: 3, purchasers: 800, purchaseRate: 0.1 }),
      group('control:control', 'control', 'control', 2_000, { total: '4000.00', perCustomer: 2, purchasers: 120, purchaseRate: 0.06 }),
    ],
    notSent: [],
    comparisons: [
      {
        key: 'variant:B',
        groupId: 'g-B',
        name: 'B',
        revenuePerCustomer: figures(3, 2, 1e-9, true),
        cupedRevenuePerCustomer: { ...figures(3, 2, 0, false), status: 'too_skewed', reason: 'A few large orders in the smaller group.', theta: 0, varianceReduction: 0 },
        purchaseRate: figures(0.1, 0.06, 0.0123, true),
        incrementalRevenue: { value: 8_000, ciLow: 0, ciHigh: 16_000 },
        minimumDetectableEffect: { revenuePerCustomer: null, purchaseRate: null },
      },
    ],
    srm: { checked: true, reason: null, observed: {}, expected: null, chiSquare: 0.45, pValue: 0.5, mismatch: false },
    abTest: { kpi: 'click_rate', kpiSource: 'plan', kind: 'fixed_horizon', snapshotDay: 7, winner: 'variant:B', verdict: 'B wins on click_rate', comparisons: [] },
    programme: { available: false, reason: 'not asked', contacted: null, globalControl: null, revenuePerCustomer: null, purchaseRate: null },
  };

  it('should print the uplift with its interval, p-value and verdict, and name the A/B winner', () => {
    const text = formatAnalysis(analysis);

    expect(text).toContain('Win-back (1 execution): ok, fixed horizon figures');
    expect(text).toMatch(/revenue per customer +3\.00 +2\.00 +\+1\.00 \(\+50 %\) +\[0\.00, 2\.00\] +< 0\.0001 +significant/);
    expect(text).toMatch(/CUPED-adjusted +too skewed/);
    expect(text).toMatch(/purchase rate +10\.00 % +6\.00 % +\+4\.00 % \(\+67 %\) .* 0\.0123 +significant/);
    expect(text).toContain('incremental revenue: 8,000.00 (95 % interval 0.00 to 16,000.00)');
    expect(text).toContain('verdict: B: made more revenue per customer than the control group (significant)');
    expect(text).toContain('A/B test on click rate: the winner is B');
    expect(text).toContain('sample ratio: as planned (p 0.5000)');
  });

  it('should say why a comparison has no figures and why there is no verdict', () => {
    const withheld: MetricComparison = { ...figures(3, 2, 0, false), status: 'too_small', pValue: null, ciLow: null, ciHigh: null, reason: 'The control group is expected to have 2 purchasers, fewer than 5.' };
    const text = formatAnalysis({ ...analysis, comparisons: [{ ...analysis.comparisons[0], revenuePerCustomer: withheld }] });

    expect(text).toContain('verdict: B: no verdict (too small): The control group is expected to have 2 purchasers, fewer than 5.');
    expect(text).toContain('CUPED-adjusted: too skewed: A few large orders in the smaller group.');
  });

  it('should name a variant that was not sent, and why, when the analysis is ok without it', () => {
    const withoutB: Analysis = {
      ...analysis,
      notSent: [
        {
          executionId: 'e',
          groupId: 'g-C',
          name: 'C',
          size: 7_950,
          status: 'failed',
          failure: { step: 'create-campaign', errorCode: 'MESSAGE_ALREADY_USED', errorMessage: 'the message serves another campaign', attempts: 3 },
        },
        { executionId: 'e', groupId: 'g-D', name: 'D', size: 120, status: 'not_scheduled', failure: null },
      ],
    };

    const text = formatAnalysis(withoutB);

    expect(text).toContain('not sent, so left out of the figures: C (7,950 customers) failed at create-campaign (MESSAGE_ALREADY_USED: the message serves another campaign)');
    expect(text).toContain('not sent, so left out of the figures: D (120 customers) not scheduled by SmartFocus (yet)');
    expect(formatAnalysis(analysis)).not.toContain('not sent');
  });

  it('should align columns and write p-values as people read them', () => {
    expect(table([['a', '1'], ['long name', '22']], ['name', 'n'])).toBe(['  name        n', '  ---------  --', '  a           1', '  long name  22'].join('\n'));
    expect(formatPValue(null)).toBe('-');
    expect(formatPValue(0.04567)).toBe('0.0457');
  });
});

describe(StackClient.name, () => {
  it('should name the app, the call and the cause when the connection fails', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as { port: number };
        server.close(() => resolve(free));
      });
    });
    const url = `http://127.0.0.1:${port}`;
    const client = new StackClient({ 'smartfocus-simulator': url, 'profile-import': url, segmentation: url, 'smartfocus-dispatch': url, 'metrics-collector': url }, 'token');

    await expect(client.call('profile-import', 'POST', '/imports/transactions?fileName=t.csv', 'a,b\n')).rejects.toThrow(
      `profile-import POST /imports/transactions failed: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
  });
});

describe(NightlyCycle.name, () => {
  it('should move the clock to each day of the collector\'s own schedule, whatever its send-end delay', async () => {
    // A collector whose send-end snapshot comes two hours after the send (COLLECTION_SEND_END_DELAY_MINUTES=120).
    const sendAt = Date.parse('2026-12-01T08:30:00Z');
    let clock = sendAt - 8 * 3_600_000;
    const moves: string[] = [];
    const schedule = [0, 1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, dueAt: sendAt + (day === 0 ? 120 * 60_000 : day * 86_400_000) }));
    const stack = {
      must: (app: string, method: string, path: string, body?: { now: string }): Promise<unknown> => {
        if (method === 'PUT' && path === '/admin/clock') {
          clock = Date.parse(body!.now);
          moves.push(body!.now);
          return Promise.resolve({ now: body!.now });
        }
        const fetches: SnapshotFetch[] = schedule.map(({ day, dueAt }) => ({
          groupId: 'g-A',
          day,
          dueAt: new Date(dueAt).toISOString(),
          status: dueAt <= clock ? 'done' : 'pending',
          lastError: null,
        }));
        return Promise.resolve(fetches);
      },
    } as unknown as StackClient;
    const report = {
      executions: [
        {
          executionId: 'e-1',
          scheduledAt: new Date(sendAt).toISOString(),
          groups: [{ groupId: 'g-A', kind: 'variant', name: 'A', dispatch: { status: 'scheduled', updatedAt: null, smartFocusCampaignId: '300000001' } }],
        },
      ],
    } as unknown as RunReport;
    const cycle = new NightlyCycle(stack, {} as SyntheticRetailer, { asOfDate: '2026-11-30', timeoutMs: 3_000 });

    const fetches = await cycle.collectWeek(report);

    expect(fetches.get('e-1')?.map((fetch) => fetch.status)).toEqual(Array(8).fill('done'));
    expect(moves[0]).toBe('2026-12-01T10:31:00.000Z');
    expect(moves).toHaveLength(8);
  }, 30_000);
});
