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
