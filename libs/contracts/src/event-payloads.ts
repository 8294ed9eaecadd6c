import { CampaignDispatchFailedV1 } from './events/campaign-dispatch-failed.event';
import { CampaignScheduledV1 } from './events/campaign-scheduled.event';
import { ListsGeneratedV1 } from './events/lists-generated.event';
import { MetricsFetchedV1 } from './events/metrics-fetched.event';
import { ProfilesImportedV1 } from './events/profiles-imported.event';
import type { RoutingKey } from './routing-keys';

/**
 * The payload class of every routing key. `satisfies` makes the compiler reject a key without a
 * class; `EventPayload<K>` is what `publish(key, payload)` accepts and a handler receives.
 */
export const EVENT_PAYLOADS = {
  'profiles.imported.v1': ProfilesImportedV1,
  'lists.generated.v1': ListsGeneratedV1,
  'campaign.scheduled.v1': CampaignScheduledV1,
  'campaign.dispatch-failed.v1': CampaignDispatchFailedV1,
  'metrics.fetched.v1': MetricsFetchedV1,
} as const satisfies Record<RoutingKey, new () => object>;

export type EventPayload<K extends RoutingKey> = InstanceType<(typeof EVENT_PAYLOADS)[K]>;
