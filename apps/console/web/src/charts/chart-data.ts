/** Turns the services' figures into the rows the charts draw. Pure: tested without a browser. */

const STAGE_ORDER = ['prospect', 'new', 'active', 'at_risk', 'churned', 'reactivated'];

/** A preview's `byStage` as bars in lifecycle order (unknown stages last, alphabetically). */
export function stageBars(byStage: Record<string, number>): { stage: string; customers: number }[] {
  const rank = (stage: string) => {
    const index = STAGE_ORDER.indexOf(stage);
    return index === -1 ? STAGE_ORDER.length : index;
  };
  return Object.entries(byStage)
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([stage, customers]) => ({ stage, customers }));
}
