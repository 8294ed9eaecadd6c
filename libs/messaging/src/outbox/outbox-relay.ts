import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { CloudEvent } from '@optimove/contracts';
import { quoteIdentifier } from '@optimove/database';
import type { Logger, MetricsRegistry } from '@optimove/observability';
import type { EventPublisher } from '../broker/event-publisher';
import { outboxChannel } from './outbox.writer';

export type OutboxRelaySettings = {
  databaseUrl: string;
  schema: string;
  batchSize: number;
  pollIntervalMs: number;
  retentionDays: number;
  inboxRetentionDays: number;
};

type OutboxRow = { seq: string; envelope: CloudEvent };

/**
 * Publishes committed outbox rows in order of writing. Each batch is claimed with
 * `FOR UPDATE SKIP LOCKED` (replicas share the work without publishing the same row at once),
 * published with publisher confirms, and marked published in the same transaction; a failure
 * leaves the rows for the next pass. Consumers de-duplicate the rare re-publish by event id.
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

  /** Publishes one batch; returns how many events were confirmed. Exposed for tests and tools. */
  async relayBatch(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows: OutboxRow[] = await manager.query(
        `SELECT seq, envelope FROM ${this.table}
         WHERE published_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.settings.batchSize],
      );
      if (rows.length === 0) {
        this.metrics?.outboxPending.set(0);
        return 0;
      }
      await Promise.all(rows.map((row) => this.publisher.publish(row.envelope)));
      await manager.query(`UPDATE ${this.table} SET published_at = now() WHERE seq = ANY($1::bigint[])`, [
        rows.map((row) => row.seq),
      ]);
      // A full batch means a backlog: count it now and then (counting every batch would make
      // draining a large backlog quadratic); a partial batch drained the outbox.
      if (rows.length < this.settings.batchSize) {
        this.metrics?.outboxPending.set(0);
      } else if (Date.now() - this.lastBacklogCount >= 5_000) {
        this.lastBacklogCount = Date.now();
        const [{ pending }] = await manager.query<{ pending: number }[]>(
          `SELECT count(*)::int AS pending FROM ${this.table} WHERE published_at IS NULL`,
        );
        this.metrics?.outboxPending.set(pending);
      }
      for (const row of rows) this.metrics?.eventsPublished.inc({ type: row.envelope.type });
      return rows.length;
    });
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        const published = await this.relayBatch();
        failures = 0;
        await this.cleanUpNowAndThen();
        if (published === this.settings.batchSize) continue;
        await this.sleep(this.settings.pollIntervalMs);
      } catch (error) {
        failures += 1;
        const delay = Math.min(30_000, this.settings.pollIntervalMs * 2 ** Math.min(failures, 6));
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
