// z for a two-sided 5 % test and for 80 % power: the conventional planning figures.
const Z_ALPHA = 1.959964;
const Z_POWER = 0.841621;

/**
 * The smallest difference in purchase rate (absolute, 0..1) a campaign of `targetSize` customers
 * with `controlShare` held out can tell from chance (5 % two-sided, 80 % power), for a purchase
 * rate of `baselineRate` without the campaign. Undefined when a group would be empty.
 */
export function minimumDetectableEffect(targetSize: number, controlShare: number, baselineRate: number): number | undefined {
  const control = targetSize * controlShare;
  const treatment = targetSize - control;
  if (control < 1 || treatment < 1 || baselineRate <= 0 || baselineRate >= 1) return undefined;
  return (Z_ALPHA + Z_POWER) * Math.sqrt(baselineRate * (1 - baselineRate) * (1 / treatment + 1 / control));
}
