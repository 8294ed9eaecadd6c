import type { Comparison } from '../src/comparison';
import { cupedTest, type CovariateSums } from '../src/cuped';
import { twoProportionTest } from '../src/proportions';
import { sequentialMeanTest } from '../src/sequential';
import { summaryFromSums } from '../src/summary';
import { skewGuardedWelchTest, welchTest } from '../src/welch';
import { SimulatedGroup, expectedRevenuePerCustomer, random, randomShop } from './revenue-model';

export type SimulatedExecution = {
  treatmentSize: number;
  controlSize: number;
  trueDifference: number;
  revenue: Comparison;
  plainWelch: Comparison;
  purchaseRate: Comparison;
  cuped: Comparison;
  /** Whether any daily look of the sequential test was significant (stopped early). */
  sequentialRejected: boolean;
  /** Whether the confidence sequence missed the true difference at any look. */
  sequentialMissed: boolean;
};

function logUniformSize(uniform: () => number): number {
  return Math.round(Math.exp(Math.log(500) + (Math.log(50_000) - Math.log(500)) * uniform()));
}

function covariateSums(group: SimulatedGroup): CovariateSums {
  let sumX = 0, sumX2 = 0, sumXY = 0, sumY3 = 0, sumX3 = 0, sumX2Y = 0, sumXY2 = 0;
  for (let i = 0; i < group.n; i++) {
    const x = group.preRevenue[i];
    const y = group.revenue[i];
    sumX += x;
    sumX2 += x * x;
    sumXY += x * y;
    sumY3 += y * y * y;
    sumX3 += x * x * x;
    sumX2Y += x * x * y;
    sumXY2 += x * y * y;
  }
  return { n: group.n, sumY: group.sum, sumY2: group.sumOfSquares, sumX, sumX2, sumXY, sumY3, sumX3, sumX2Y, sumXY2 };
}

function summaryOf(group: SimulatedGroup) {
  let cubes = 0;
  for (let i = 0; i < group.n; i++) cubes += group.revenue[i] ** 3;
  return summaryFromSums({ n: group.n, sum: group.sum, sumOfSquares: group.sumOfSquares, sumOfCubes: cubes });
}

function preVariance(group: SimulatedGroup): number {
  let sum = 0, squares = 0;
  for (let i = 0; i < group.n; i++) {
    sum += group.preRevenue[i];
    squares += group.preRevenue[i] ** 2;
  }
  return summaryFromSums({ n: group.n, sum, sumOfSquares: squares }).variance / group.n;
}

/**
 * `count` executions, each with a control and a treatment group of independent log-uniform sizes
 * in 500..50,000 and its own shop. `amountLift` multiplies the treatment's order values (0: A/A).
 * The sequential test looks at the end of every day of the window.
 */
export function simulateExecutions(count: number, seed: number, amountLift = 0, alpha = 0.05): SimulatedExecution[] {
  const uniform = random(seed);
  const results: SimulatedExecution[] = [];
  for (let e = 0; e < count; e++) {
    const shop = randomShop(uniform);
    const treatment = new SimulatedGroup(logUniformSize(uniform), shop, uniform, 1 + amountLift);
    const control = new SimulatedGroup(logUniformSize(uniform), shop, uniform);
    const trueDifference = amountLift * expectedRevenuePerCustomer(shop);
    // The mixture is planned from the pre-period, before any post-send data exist.
    const mixtureVariance = preVariance(treatment) + preVariance(control);
    let sequentialRejected = false;
    let sequentialMissed = false;
    for (let day = 1; day <= shop.windowDays; day++) {
      treatment.advanceDay();
      control.advanceDay();
      const look = sequentialMeanTest(
        summaryFromSums({ n: treatment.n, sum: treatment.sum, sumOfSquares: treatment.sumOfSquares }),
        summaryFromSums({ n: control.n, sum: control.sum, sumOfSquares: control.sumOfSquares }),
        mixtureVariance,
        alpha,
      );
      if (look.status === 'ok') {
        if (look.pValue < alpha) sequentialRejected = true;
        const dayTruth = (trueDifference * day) / shop.windowDays;
        if (look.ciLow > dayTruth || look.ciHigh < dayTruth) sequentialMissed = true;
      }
    }
    results.push({
      treatmentSize: treatment.n,
      controlSize: control.n,
      trueDifference,
      plainWelch: welchTest(
        summaryFromSums({ n: treatment.n, sum: treatment.sum, sumOfSquares: treatment.sumOfSquares }),
        summaryFromSums({ n: control.n, sum: control.sum, sumOfSquares: control.sumOfSquares }),
        alpha,
      ),
      revenue: skewGuardedWelchTest(summaryOf(treatment), summaryOf(control), alpha),
      purchaseRate: twoProportionTest({ successes: treatment.purchasers, trials: treatment.n }, { successes: control.purchasers, trials: control.n }, alpha),
      cuped: cupedTest(covariateSums(treatment), covariateSums(control), alpha).comparison,
      sequentialRejected,
      sequentialMissed,
    });
  }
  return results;
}
