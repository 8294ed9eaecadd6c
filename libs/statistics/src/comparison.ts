/**
 * One treatment-against-control comparison. `ok` carries numbers; any other status carries none
 * (a number that means nothing is never shown), and says why in `reason`:
 * - `too_small`: a group has fewer members than the test needs (2 for a mean), or, for a rate,
 *   a group is expected to have fewer than 5 successes or 5 failures under no effect;
 * - `no_variation`: both groups are constant (e.g. nobody bought in either), so no test exists;
 * - `too_skewed`: the difference is so skewed (a handful of large orders in a small group) that no
 *   normal-based p-value or interval would hold its 5 %.
 */
export type Comparison =
  | {
      status: 'ok';
      treatment: number;
      control: number;
      /** treatment - control */
      difference: number;
      /** difference / control; null when the control is 0. */
      relative: number | null;
      ciLow: number;
      ciHigh: number;
      /** Two-sided. */
      pValue: number;
      /** The test statistic (t or z) and, for t, its degrees of freedom. */
      statistic: number;
      degreesOfFreedom: number | null;
    }
  | {
      status: 'too_small' | 'no_variation' | 'too_skewed';
      treatment: number;
      control: number;
      difference: number;
      relative: number | null;
      /** Why there are no figures, in a sentence a person can read. */
      reason: string;
    };

export function relativeTo(difference: number, control: number): number | null {
  return control === 0 ? null : difference / control;
}
