// Words of the plan that events and HTTP answers share. Plain values and types only (no
// decorators), so the console's browser app can import the HTTP types that use them.

export const GROUP_KINDS = ['variant', 'control'] as const;
export type GroupKind = (typeof GROUP_KINDS)[number];

/** The KPI an A/B test is decided on. Wire values: do not rename. */
export const AB_TEST_KPIS = ['revenue_per_customer', 'purchase_rate', 'click_rate', 'open_rate'] as const;
export type AbTestKpi = (typeof AB_TEST_KPIS)[number];
