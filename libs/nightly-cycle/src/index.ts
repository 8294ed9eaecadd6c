export { table, formatAnalysis, formatPValue, verdict } from './analysis-tables';
export { smartFocusCampaignOf } from './api-types';
export type * from './api-types';
export { NightlyCycle, CLOCK_SETTLE_MS, CYCLE_TEMPLATES, type CycleCampaigns, type CycleOptions, type CycleTemplates, type PlantedPurchases } from './nightly-cycle';
export { sizeClickEffect, sizePlantedEffect, type ClickSizing, type EffectSizing, type EngagementRates } from './planted-effect';
export { STACK_APPS, StackCallError, StackClient, waitFor, type StackAnswer, type StackApp } from './stack-client';
