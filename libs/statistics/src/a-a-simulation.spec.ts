import { simulateExecutions, type SimulatedExecution } from '../test/aa-simulation';
import type { Comparison } from './comparison';

// 2,000 A/A executions (no effect), seeded: independent log-uniform group sizes in 500..50,000,
// zero-inflated log-normal revenue (test/revenue-model.ts). Runs in a few seconds.
const SEED = 20261130;
const aa = simulateExecutions(2_000, SEED);

function share(runs: readonly SimulatedExecution[], predicate: (run: SimulatedExecution) => boolean): number {
  return runs.filter(predicate).length / runs.length;
}

const significant = (comparison: Comparison): boolean => comparison.status === 'ok' && comparison.pValue < 0.05;
const covers = (comparison: Comparison, truth: number): boolean => comparison.status === 'ok' && comparison.ciLow <= truth && truth <= comparison.ciHigh;

describe('A/A simulation (2,000 executions, zero-inflated skewed revenue, sizes 500 to 50,000)', () => {
  it('should give figures for nearly every execution, withholding only revenue verdicts on too-skewed differences and rates with too few expected purchasers', () => {
    // A group of a few hundred in a quiet shop may be expected to have fewer than 5 purchasers.
    expect(aa.every((run) => run.purchaseRate.status === 'ok' || run.purchaseRate.status === 'too_small')).toBe(true);
    expect(share(aa, (run) => run.purchaseRate.status === 'ok')).toBeGreaterThan(0.99);
    expect(share(aa, (run) => run.revenue.status === 'ok')).toBeGreaterThan(0.9);
    expect(aa.every((run) => run.revenue.status === 'ok' || run.revenue.status === 'too_skewed')).toBe(true);
    expect(Math.min(...aa.map((run) => Math.min(run.treatmentSize, run.controlSize)))).toBeLessThan(600);
    expect(Math.max(...aa.map((run) => Math.max(run.treatmentSize, run.controlSize)))).toBeGreaterThan(45_000);
  });

  it('should hold the false-positive rate of the revenue test between 4 % and 6 %, of the verdicts given and of all executions', () => {
    const given = aa.filter((run) => run.revenue.status === 'ok');
    for (const rate of [share(given, (run) => significant(run.revenue)), share(aa, (run) => significant(run.revenue))]) {
      expect(rate).toBeGreaterThanOrEqual(0.04);
      expect(rate).toBeLessThanOrEqual(0.06);
    }
  });

  it("should show why plain Welch is not used for revenue: it rejects more than 6 % on this data", () => {
    expect(share(aa, (run) => significant(run.plainWelch))).toBeGreaterThan(0.06);
  });

  it('should hold the false-positive rate of the purchase-rate z-test and of CUPED between 4 % and 6 %', () => {
    const given = aa.filter((run) => run.cuped.status === 'ok');
    for (const rate of [share(aa, (run) => significant(run.purchaseRate)), share(given, (run) => significant(run.cuped))]) {
      expect(rate).toBeGreaterThanOrEqual(0.04);
      expect(rate).toBeLessThanOrEqual(0.06);
    }
  });

  it('should cover the true difference (0) with the 95 % intervals between 94 % and 96 % of the time', () => {
    const given = aa.filter((run) => run.revenue.status === 'ok');
    for (const coverage of [share(given, (run) => covers(run.revenue, 0)), share(aa, (run) => covers(run.purchaseRate, 0)), share(given, (run) => covers(run.cuped, 0))]) {
      expect(coverage).toBeGreaterThanOrEqual(0.94);
      expect(coverage).toBeLessThanOrEqual(0.96);
    }
  });

  it('should keep the false-positive rate at or under 5 % when a marketer looks every day and stops at the first significant sequential verdict', () => {
    expect(share(aa, (run) => run.sequentialRejected)).toBeLessThanOrEqual(0.05);
    expect(share(aa, (run) => run.sequentialMissed)).toBeLessThanOrEqual(0.05);
  });

  it('should cover a planted effect (order values +10 % in the treatment) with the revenue intervals about 95 % of the time', () => {
    const lift = simulateExecutions(1_000, SEED + 1, 0.1);
    const coverage = share(lift.filter((run) => run.revenue.status === 'ok'), (run) => covers(run.revenue, run.trueDifference));
    expect(coverage).toBeGreaterThanOrEqual(0.93);
    expect(coverage).toBeLessThanOrEqual(0.97);
    expect(share(lift, (run) => run.sequentialMissed)).toBeLessThanOrEqual(0.05);
  });

  it('should still find a large planted effect (order values +60 %) before the window closes in at least 15 % of executions', () => {
    // The sequential variance is never below the pooled one (README, "Small and degenerate groups"): safer, and less eager.
    const lift = simulateExecutions(600, SEED + 2, 0.6);
    expect(share(lift, (run) => run.sequentialRejected)).toBeGreaterThanOrEqual(0.15);
    expect(share(lift, (run) => run.sequentialMissed)).toBeLessThanOrEqual(0.05);
  });
});
