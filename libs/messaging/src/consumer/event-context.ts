import type { EntityManager } from 'typeorm';
import type { CloudEvent, EventPayload, RoutingKey } from '@optimove/contracts';

/**
 * What a handler gets beside the validated payload. Write every effect through `manager`: it is
 * the transaction that also records the event id in the inbox, committed before the ack.
 */
export type EventContext<K extends RoutingKey = RoutingKey> = {
  event: CloudEvent<K, EventPayload<K>>;
  manager: EntityManager;
  /** 1 on the first delivery, 2 on the first retry, ... */
  attempt: number;
  /**
   * Runs `effect` once the handler's transaction has committed; never when it rolls back (the
   * attempt failed) nor for a duplicate delivery. For nudges within the process, such as waking a
   * worker that also polls the database: an effect that must not be lost goes through the outbox.
   * An effect that throws is logged; the event stays handled.
   */
  afterCommit(effect: () => void): void;
};

export type EventHandlerMethod<K extends RoutingKey> = (
  payload: EventPayload<K>,
  context: EventContext<K>,
) => Promise<void>;

/** Thrown by a handler when retrying cannot help (e.g. a referenced object does not exist). */
export class PermanentEventError extends Error {
  override readonly name = 'PermanentEventError';
}
