import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { CLOUD_EVENTS_SPEC_VERSION, type CloudEvent, type EventPayload, type RoutingKey } from '@optimove/contracts';
import { quoteIdentifier } from '@optimove/database';
import type { Clock } from '@optimove/clock';

/**
 * Writes events into the app's outbox inside the caller's transaction, so an event exists if and
 * only if the state change that caused it was committed. The relay publishes it afterwards.
 */
/** LISTEN/NOTIFY channel that announces new rows in an outbox table. */
export function outboxChannel(table: string): string {
  return `outbox:${table.replace(/"/g, '')}`;
}

export class OutboxWriter {
  private readonly table: string;
  private readonly source: string;

  constructor(
    schema: string,
    service: string,
    private readonly clock: Clock,
  ) {
    this.table = `${quoteIdentifier(schema)}.outbox`;
    this.source = `/${service}`;
  }

  /** Adds one event; `manager` must be the transaction of the state change. Returns the event. */
  async enqueue<K extends RoutingKey>(
    manager: EntityManager,
    type: K,
    data: EventPayload<K>,
    options: { subject?: string } = {},
  ): Promise<CloudEvent<K, EventPayload<K>>> {
    const [event] = await this.enqueueMany(manager, type, [data], options.subject);
    return event;
  }

  /** Adds many events of one type with a single INSERT (e.g. the chunks of a list). */
  async enqueueMany<K extends RoutingKey>(
    manager: EntityManager,
    type: K,
    payloads: readonly EventPayload<K>[],
    subject?: string,
  ): Promise<CloudEvent<K, EventPayload<K>>[]> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('OutboxWriter needs the transaction of the state change (manager.transaction)');
    }
    const time = this.clock.now().toISOString();
    const events = payloads.map(
      (data): CloudEvent<K, EventPayload<K>> => ({
        specversion: CLOUD_EVENTS_SPEC_VERSION,
        id: randomUUID(),
        type,
        source: this.source,
        time,
        datacontenttype: 'application/json',
        ...(subject ? { subject } : {}),
        data,
      }),
    );
    await manager.query(
      `INSERT INTO ${this.table} (event_id, type, envelope)
       SELECT e.id, $1, e.envelope FROM jsonb_to_recordset($2::jsonb) AS e(id uuid, envelope jsonb)`,
      [type, JSON.stringify(events.map((event) => ({ id: event.id, envelope: event })))],
    );
    // PostgreSQL delivers the notification only if and when this transaction commits: it wakes
    // the relays (of every replica) without waiting for their next poll.
    await manager.query('SELECT pg_notify($1, NULL)', [outboxChannel(this.table)]);
    return events;
  }
}
