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
    await this.notify(manager);
    return events;
  }

  /**
   * Adds one event of the type per row of `select`, whose column `data` (jsonb) is the payload,
   * with a single INSERT ... SELECT: the payloads are built in the database and never pass through
   * this process (e.g. a list's chunks of ids, aggregated from a table). The caller's SQL must
   * build each `data` as a valid payload of the type (and order its rows). Returns
   * how many events were added.
   */
  async enqueueSelect(manager: EntityManager, type: RoutingKey, select: string, parameters: readonly unknown[], subject?: string): Promise<number> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('OutboxWriter needs the transaction of the state change (manager.transaction)');
    }
    const next = parameters.length;
    const envelope = {
      specversion: CLOUD_EVENTS_SPEC_VERSION,
      type,
      source: this.source,
      time: this.clock.now().toISOString(),
      datacontenttype: 'application/json',
      ...(subject ? { subject } : {}),
    };
    const [{ added }] = await manager.query<{ added: number }[]>(
      `WITH added AS (
         INSERT INTO ${this.table} (event_id, type, envelope)
         SELECT e.id, $${next + 1}, $${next + 2}::jsonb || jsonb_build_object('id', e.id, 'data', e.data)
         FROM (SELECT gen_random_uuid() AS id, s.data FROM (${select}) s) e
         RETURNING 1
       ) SELECT count(*)::int AS added FROM added`,
      [...parameters, type, JSON.stringify(envelope)],
    );
    if (added > 0) await this.notify(manager);
    return added;
  }

  // PostgreSQL delivers the notification only if and when this transaction commits: it wakes
  // the relays (of every replica) without waiting for their next poll.
  private async notify(manager: EntityManager): Promise<void> {
    await manager.query('SELECT pg_notify($1, NULL)', [outboxChannel(this.table)]);
  }
}
