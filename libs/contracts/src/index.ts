import 'reflect-metadata';

export * from './cloud-event';
export * from './routing-keys';
export * from './event-payloads';
export * from './events/profiles-imported.event';
export * from './events/lists-generated.event';
export * from './events/campaign-scheduled.event';
export * from './events/campaign-dispatch-failed.event';
export * from './events/metrics-fetched.event';
export * from './group-vocabulary';
export type * from './http';
export { validateEvent, type EventValidationResult } from './validate-event';
