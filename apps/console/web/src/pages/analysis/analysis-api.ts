/**
 * metrics-collector's campaign analysis (GET /executions/{id}/analysis, /campaigns/{id}/analysis;
 * `?format=csv` for the CSV), typed by the contract it answers with: types only, erased from the
 * bundle, so no server code reaches the browser.
 */
export type { Analysis, AnalysisGroup, FigureKind, FunnelDay, GroupRevenue, MetricComparison, VariantComparison } from '@optimove/contracts/http';
