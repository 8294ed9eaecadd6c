import type { Analysis, MetricComparison, NotSentVariant } from './api-types';

/** Right-aligned columns under a title row and a rule; the first column left-aligned. */
export function table(rows: readonly (readonly string[])[], titles: readonly string[]): string {
  const widths = titles.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    `  ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ')}`.trimEnd();
  return [line(titles), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

const percent = (value: number | null | undefined, digits = 1): string => (value === null || value === undefined ? '-' : `${(value * 100).toFixed(digits)} %`);
const money = (value: number): string => value.toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const signed = (value: number, format: (one: number) => string): string => `${value >= 0 ? '+' : '-'}${format(Math.abs(value))}`;

/** A p-value as people read it: < 0.0001 rather than 1.2e-9. */
export function formatPValue(pValue: number | null): string {
  if (pValue === null) return '-';
  return pValue < 0.0001 ? '< 0.0001' : pValue.toFixed(4);
}

const withheld = (figures: MetricComparison): string => `${figures.status.replaceAll('_', ' ')}${figures.reason ? `: ${figures.reason}` : ''}`;

function comparisonRow(metric: string, figures: MetricComparison, format: (one: number) => string): string[] {
  if (figures.status !== 'ok') return [metric, '', '', '', '', '', figures.status.replaceAll('_', ' ')];
  return [
    metric,
    format(figures.treatment),
    format(figures.control),
    `${signed(figures.difference, format)}${figures.relative === null ? '' : ` (${signed(figures.relative, (one) => percent(one, 0))})`}`,
    figures.ciLow === null || figures.ciHigh === null ? '-' : `[${format(figures.ciLow)}, ${format(figures.ciHigh)}]`,
    formatPValue(figures.pValue),
    figures.significant ? 'significant' : 'not significant',
  ];
}

/** One sentence a marketer can act on, from the revenue comparison of a variant against control. */
export function verdict(name: string, revenue: MetricComparison): string {
  if (revenue.status !== 'ok') return `${name}: no verdict (${revenue.status.replaceAll('_', ' ')})${revenue.reason ? `: ${revenue.reason}` : ''}`;
  if (!revenue.significant) return `${name}: no difference in revenue per customer from the control group can be shown`;
  return revenue.difference > 0
    ? `${name}: made more revenue per customer than the control group (significant)`
    : `${name}: made less revenue per customer than the control group (significant)`;
}

function notSentReason(variant: NotSentVariant): string {
  const who = `${variant.name} (${variant.size.toLocaleString('en')} customers)`;
  return variant.failure
    ? `${who} failed at ${variant.failure.step} (${variant.failure.errorCode}: ${variant.failure.errorMessage})`
    : `${who} not scheduled by SmartFocus (yet)`;
}

/** A campaign's analysis as terminal tables: groups and funnel, uplift against control, verdict, A/B winner, sample ratio. */
export function formatAnalysis(analysis: Analysis): string {
  const out: string[] = [];
  const executions = analysis.scope.executions === 1 ? '1 execution' : `${analysis.scope.executions} executions`;
  out.push(`${analysis.scope.campaignName} (${executions}): ${analysis.state.replaceAll('_', ' ')}${analysis.state === 'ok' ? `, ${analysis.figures.replaceAll('_', ' ')} figures` : ` - ${analysis.message}`}`);
  out.push(`  revenue window ${analysis.window.from.slice(0, 16).replace('T', ' ')} to ${analysis.window.to.slice(0, 16).replace('T', ' ')} UTC${analysis.window.closed ? '' : ' (still running)'}`);
  // Another state's message (printed above) already names them; an ok analysis must too, or a variant SmartFocus never sent vanishes.
  if (analysis.state === 'ok') for (const variant of analysis.notSent) out.push(`  not sent, so left out of the figures: ${notSentReason(variant)}`);
  out.push('');
  out.push(
    table(
      analysis.groups.map((group) => {
        const last = group.funnel.at(-1);
        return [
          group.name,
          group.kind,
          group.size.toLocaleString('en'),
          last ? last.sent.toLocaleString('en') : '-',
          percent(last?.rates.delivery),
          percent(last?.rates.open),
          percent(last?.rates.click, 2),
          percent(last?.rates.unsubscribe, 2),
          percent(group.revenue.purchaseRate, 2),
          money(group.revenue.perCustomer),
          money(Number(group.revenue.total)),
        ];
      }),
      ['group', 'kind', 'customers', 'sent', 'delivered', 'opened', 'clicked', 'unsubscribed', 'purchase rate', 'revenue/customer', 'revenue'],
    ),
  );
  for (const comparison of analysis.comparisons) {
    out.push('');
    out.push(`  ${comparison.name} against control:`);
    out.push(
      table(
        [
          comparisonRow('revenue per customer', comparison.revenuePerCustomer, money),
          comparisonRow('  CUPED-adjusted', comparison.cupedRevenuePerCustomer, money),
          comparisonRow('purchase rate', comparison.purchaseRate, (one) => percent(one, 2)),
        ],
        ['metric', comparison.name, 'control', 'difference', '95 % interval', 'p-value', ''],
      ),
    );
    // Why a row has no figures (the verdict below says it for revenue per customer).
    const notes: [string, MetricComparison][] = [['CUPED-adjusted', comparison.cupedRevenuePerCustomer], ['purchase rate', comparison.purchaseRate]];
    for (const [label, figures] of notes) if (figures.status !== 'ok') out.push(`  ${label}: ${withheld(figures)}`);
    const incremental = comparison.incrementalRevenue;
    out.push(
      `  incremental revenue: ${money(incremental.value)}${incremental.ciLow === null || incremental.ciHigh === null ? '' : ` (95 % interval ${money(incremental.ciLow)} to ${money(incremental.ciHigh)})`}`,
    );
    out.push(`  verdict: ${verdict(comparison.name, comparison.revenuePerCustomer)}`);
  }
  if (analysis.abTest) {
    const winner = analysis.abTest.winner && (analysis.groups.find((group) => group.key === analysis.abTest!.winner)?.name ?? analysis.abTest.winner);
    out.push('', `  A/B test on ${analysis.abTest.kpi.replaceAll('_', ' ')}: ${winner ? `the winner is ${winner} (${analysis.abTest.verdict})` : analysis.abTest.verdict}`);
  }
  const srm = analysis.srm;
  out.push(`  sample ratio: ${!srm.checked ? `not checked (${srm.reason})` : srm.mismatch ? `MISMATCH (p ${formatPValue(srm.pValue)}): distrust the comparisons` : `as planned (p ${formatPValue(srm.pValue)})`}`);
  return out.join('\n');
}
