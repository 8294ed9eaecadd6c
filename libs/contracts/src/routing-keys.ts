// Routing keys of the events on the `optimove.events` topic exchange. They are wire names: never
// rename one. A breaking change to a payload ships as a new `.v2` key beside the old one.

export const ROUTING_KEYS = [
  'profiles.imported.v1',
  'lists.generated.v1',
  'campaign.scheduled.v1',
  'campaign.dispatch-failed.v1',
  'metrics.fetched.v1',
] as const;

export type RoutingKey = (typeof ROUTING_KEYS)[number];

export function isRoutingKey(value: unknown): value is RoutingKey {
  return typeof value === 'string' && (ROUTING_KEYS as readonly string[]).includes(value);
}

/**
 * Who an event of the key is for, which decides what a producer's outbox relay does with one
 * that no queue takes (the broker returns it: no queue is bound to its key at that moment).
 * - `own-consumers`: apps of this system consume it. No queue means a consumer is not there yet
 *   (not deployed, its queue deleted and being declared again, a fresh broker): the event stays
 *   in the outbox and the relay publishes it again, with a growing pause, until a queue takes it.
 * - `whoever-listens`: no app of this system consumes it; it is published for other systems that
 *   may bind a queue. No queue is the normal case: the event is marked published (and counted).
 * A `Record`, so a new key cannot be added without this decision. Make a key `own-consumers` in
 * the release that adds its first consumer.
 */
export type EventAudience = 'own-consumers' | 'whoever-listens';

export const EVENT_AUDIENCE: Readonly<Record<RoutingKey, EventAudience>> = {
  'profiles.imported.v1': 'own-consumers', // segmentation
  'lists.generated.v1': 'own-consumers', // smartfocus-dispatch, metrics-collector
  'campaign.scheduled.v1': 'own-consumers', // segmentation, metrics-collector
  'campaign.dispatch-failed.v1': 'own-consumers', // segmentation, metrics-collector
  'metrics.fetched.v1': 'whoever-listens', // no app consumes it (README: "anyone listening")
};
