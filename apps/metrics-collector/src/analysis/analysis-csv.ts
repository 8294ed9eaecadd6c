import type { Analysis, MetricComparison } from './analysis-report';

/**
 * A cell as text that a spreadsheet shows and never runs: text starting with = + - @, a tab or a
 * carriage return gets a leading apostrophe (OWASP, CSV injection); then RFC 4180 quoting.
 * Numbers are written as numbers.
 */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

type Row = [section: string, group: string, name: string, field: string, value: string | number | boolean | null];

function metricRows(section: string, group: string, name: string, prefix: string, m: MetricComparison): Row[] {
  return (['kind', 'method', 'status', 'treatment', 'control', 'difference', 'relative', 'ciLow', 'ciHigh', 'pValue', 'significant', 'reason'] as const).map(
    (field): Row => [section, group, name, `${prefix}.${field}`, m[field]],
  );
}

/** The analysis as a long CSV: one line per figure (section, group `key`, name, field, value); a variant not sent under its group id. */
export function analysisCsv(analysis: Analysis): string {
  const rows: Row[] = [
    ['analysis', '', analysis.scope.campaignName, 'state', analysis.state],
    ['analysis', '', analysis.scope.campaignName, 'figures', analysis.figures],
    ['analysis', '', analysis.scope.campaignName, 'window.from', analysis.window.from],
    ['analysis', '', analysis.scope.campaignName, 'window.to', analysis.window.to],
    ['analysis', '', analysis.scope.campaignName, 'window.closed', analysis.window.closed],
  ];
  for (const group of analysis.groups) {
    rows.push(['group', group.key, group.name, 'kind', group.kind], ['group', group.key, group.name, 'size', group.size]);
    for (const [field, value] of Object.entries(group.revenue)) rows.push(['revenue', group.key, group.name, field, value]);
    for (const day of group.funnel) {
      for (const field of ['sent', 'delivered', 'opens', 'clicks', 'unsubscribes', 'bounces'] as const) rows.push(['funnel', group.key, group.name, `day${day.day}.${field}`, day[field]]);
      for (const [field, value] of Object.entries(day.rates)) rows.push(['funnel', group.key, group.name, `day${day.day}.${field}Rate`, value]);
    }
  }
  for (const variant of analysis.notSent) {
    rows.push(['notSent', variant.groupId, variant.name, 'status', variant.status], ['notSent', variant.groupId, variant.name, 'size', variant.size]);
    if (variant.failure) {
      for (const field of ['step', 'errorCode', 'errorMessage'] as const) rows.push(['notSent', variant.groupId, variant.name, `failure.${field}`, variant.failure[field]]);
    }
  }
  for (const comparison of analysis.comparisons) {
    rows.push(...metricRows('comparison', comparison.key, comparison.name, 'revenuePerCustomer', comparison.revenuePerCustomer));
    rows.push(...metricRows('comparison', comparison.key, comparison.name, 'purchaseRate', comparison.purchaseRate));
    rows.push(...metricRows('comparison', comparison.key, comparison.name, 'cupedRevenuePerCustomer', comparison.cupedRevenuePerCustomer));
    rows.push(['comparison', comparison.key, comparison.name, 'incrementalRevenue', comparison.incrementalRevenue.value]);
  }
  rows.push(['srm', '', '', 'mismatch', analysis.srm.mismatch], ['srm', '', '', 'pValue', analysis.srm.pValue]);
  if (analysis.abTest) rows.push(['abTest', analysis.abTest.winner ?? '', '', 'verdict', analysis.abTest.verdict], ['abTest', '', '', 'snapshotDay', analysis.abTest.snapshotDay]);
  const lines = [['section', 'group', 'name', 'field', 'value'].join(','), ...rows.map((row) => row.map(csvCell).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
