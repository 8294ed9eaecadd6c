import { Client } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { EVENT_AUDIENCE, isRoutingKey, type CloudEvent } from '@optimove/contracts';
import { quoteIdentifier } from '@optimove/database';
import type { Logger, MetricsRegistry } from '@optimove/observability';
import type { EventPublisher, PublishOutcome } from '../broker/event-publisher';
import { outboxChannel } from './outbox.writer';

export type OutboxRelaySettings = {
  databaseUrl: string;
  schema: string;
  batchSize: number;
  pollIntervalMs: number;
  retentionDays: number;
  inboxRetentionDays: number;
};

type OutboxRow = { seq: string; type: string; envelope: CloudEvent };

/** A routing key whose last events no queue took: its rows wait until `retryAt`. */
type HeldKey = { tries: number; retryAt: number };

/**
 * Publishes committed outbox rows in order of writing. Each batch is claimed with
 * `FOR UPDATE SKIP LOCKED` (replicas share the work without publishing the same row at once),
 * published with publisher confirms, and marked published in the same transaction; a failure
 * leaves the rows for the next pass. Consumers de-duplicate the rare re-publish by event id.
 *
 * An event the broker confirms but no queue took (no queue bound to its key) is not published:
 * unless its key is one no app of the system consumes (`EVENT_AUDIENCE`), its row stays, the
 * key is held (its rows skipped, so they keep their order and do not block other keys) and tried
 * again after the relay's growing pause, with a warning naming the key and the metrics
 * `events_unroutable_total` and `outbox_held_events`.
 */
export class OutboxRelay {
  private readonly table: string;
  private readonly inboxTable: string;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private listener: Client | undefined;
  private lastCleanup = 0;
  private lastBacklogCount = 0;
  /** Routing keys no queue took at the last try; in memory: a restarted relay tries them at once. */
  private readonly held = new Map<string, HeldKey>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
    private readonly settings: OutboxRelaySettings,
    private readonly logger: Logger,
    private readonly metrics?: MetricsRegistry,
  ) {
    this.table = `${quoteIdentifier(settings.schema)}.outbox`;
    this.inboxTable = `${quoteIdentifier(settings.schema)}.inbox`;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.listen();
    this.loop = this.run();
  }

  /** Stops after the batch in flight; unpublished rows stay for the next start. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.listener?.end().catch(() => undefined);
    this.listener = undefined;
  }

  /** Publishes one batch; returns how many events were published (and marked so). Exposed for tests and tools. */
  async relayBatch(): Promise<number> {
    return (await this.pass()).published;
  }

  private async pass(): Promise<{ claimed: number; published: number }> {
    return this.dataSource.transaction(async (manager) => {
      const now = Date.now();
      const waiting = [...this.held].filter(([, key]) => key.retryAt > now).map(([type]) => type);
      const rows: OutboxRow[] = await manager.query(
        `SELECT seq, type, envelope FROM ${this.table}
         WHERE published_at IS NULL AND type <> ALL($2::text[]) ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.settings.batchSize, waiting],
      );
      if (rows.length > 0) {
        const outcomes = await Promise.all(rows.map((row) => this.publisher.publish(row.envelope)));
        const kept = this.keepUnroutable(rows, outcomes);
        const published = rows.filter((row) => !kept.has(row));
        if (published.length > 0) {
          await manager.query(`UPDATE ${this.table} SET published_at = now() WHERE seq = ANY($1::bigint[])`, [published.map((row) => row.seq)]);
        }
        await this.holdKeys(manager, rows, kept);
        for (const [index, row] of rows.entries()) if (outcomes[index] === 'routed') this.metrics?.eventsPublished.inc({ type: row.type });
        await this.reportPending(manager, rows.length);
        return { claimed: rows.length, published: published.length };
      }
      await this.reportPending(manager, 0);
      return { claimed: 0, published: 0 };
    });
  }

  /** The rows no queue took whose key the system's apps consume: they stay in the outbox. */
  private keepUnroutable(rows: readonly OutboxRow[], outcomes: readonly PublishOutcome[]): Set<OutboxRow> {
    const kept = new Set<OutboxRow>();
    for (const [index, row] of rows.entries()) {
      if (outcomes[index] !== 'unroutable') continue;
      const forWhoeverListens = isRoutingKey(row.type) && EVENT_AUDIENCE[row.type] === 'whoever-listens';
      this.metrics?.eventsUnroutable.inc({ type: row.type, handling: forWhoeverListens ? 'dropped' : 'held' });
      if (!forWhoeverListens) kept.add(row);
    }
    return kept;
  }

  /** Holds the keys of the kept rows for a growing pause; releases the keys a queue took again. */
  private async holdKeys(manager: EntityManager, rows: readonly OutboxRow[], kept: ReadonlySet<OutboxRow>): Promise<void> {
    const keptTypes = new Set([...kept].map((row) => row.type));
    for (const type of new Set(rows.map((row) => row.type))) {
      if (keptTypes.has(type)) continue;
      if (this.held.delete(type)) {
        this.metrics?.outboxHeld.set({ type }, 0);
        this.logger.info({ routingKey: type }, 'A queue takes the held events again; publishing them');
      }
    }
    for (const type of keptTypes) {
      const tries = (this.held.get(type)?.tries ?? 0) + 1;
      const retryInMs = this.backoffMs(tries);
      this.held.set(type, { tries, retryAt: Date.now() + retryInMs });
      const [{ waiting }] = await manager.query<{ waiting: number }[]>(
        `SELECT count(*)::int AS waiting FROM ${this.table} WHERE published_at IS NULL AND type = $1`,
        [type],
      );
      this.metrics?.outboxHeld.set({ type }, waiting);
      const firstEventId = [...kept].find((row) => row.type === type)?.envelope.id;
      this.logger.warn(
        { routingKey: type, waiting, firstEventId, tries, retryInMs },
        'No queue took these events (none is bound to their routing key: is the consumer deployed and its queue declared?); they stay in the outbox and are published again',
      );
    }
  }

  /**
   * A batch that was not full drained the outbox, unless keys are held; otherwise count the
   * backlog now and then (counting every batch would make draining a large backlog quadratic).
   */
  private async reportPending(manager: EntityManager, claimed: number): Promise<void> {
    if (claimed < this.settings.batchSize && this.held.size === 0) {
      this.metrics?.outboxPending.set(0);
    } else if (Date.now() - this.lastBacklogCount >= 5_000) {
      this.lastBacklogCount = Date.now();
      const [{ pending }] = await manager.query<{ pending: number }[]>(
        `SELECT count(*)::int AS pending FROM ${this.table} WHERE published_at IS NULL`,
      );
      this.metrics?.outboxPending.set(pending);
    }
  }

  /** Until the next poll, or sooner when a held key is due for another try. */
  private nextPassInMs(): number {
    const due = Math.min(...[...this.held.values()].map((key) => key.retryAt));
    return Math.max(0, Math.min(this.settings.pollIntervalMs, due - Date.now()));
  }

  /** The pause after `failures` failed tries in a row: the poll interval, doubling, up to 30 s. */
  private backoffMs(failures: number): number {
    return Math.min(30_000, this.settings.pollIntervalMs * 2 ** Math.min(failures, 6));
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        const { claimed } = await this.pass();
        failures = 0;
        await this.cleanUpNowAndThen();
        if (claimed === this.settings.batchSize) continue;
        await this.sleep(this.nextPassInMs());
      } catch (error) {
        failures += 1;
        const delay = this.backoffMs(failures);
        this.logger.warn({ err: error, retryInMs: delay }, 'Outbox relay pass failed; events stay in the outbox');
        await this.sleep(delay);
      }
    }
  }

  /** Hourly: forget published events and old inbox ids, and report the backlog. */
  private async cleanUpNowAndThen(): Promise<void> {
    if (Date.now() - this.lastCleanup < 3_600_000) return;
    this.lastCleanup = Date.now();
    await this.dataSource.query(`DELETE FROM ${this.table} WHERE published_at < now() - make_interval(days => $1)`, [
      this.settings.retentionDays,
    ]);
    await this.dataSource.query(`DELETE FROM ${this.inboxTable} WHERE handled_at < now() - make_interval(days => $1)`, [
      this.settings.inboxRetentionDays,
    ]);
  }

  private sleep(milliseconds: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, milliseconds);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  /** LISTEN for commits of new outbox rows; polling covers the time this connection is down. */
  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.settings.databaseUrl, application_name: 'outbox-relay' });
    this.listener = client;
    client.on('notification', () => this.wake?.());
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'Outbox LISTEN connection lost; relying on polling');
      this.listener = undefined;
      if (this.running) setTimeout(() => this.running && void this.listen(), 5_000);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${quoteIdentifierText(outboxChannel(this.table))}`);
    } catch (error) {
      this.logger.warn({ err: error }, 'Outbox LISTEN unavailable; relying on polling');
    }
  }
}

function quoteIdentifierText(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
