import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '@optimove/clock';
import { OutboxWriter } from '@optimove/messaging';
import { LOGGER, type Logger } from '@optimove/observability';
import { SmartFocusClient, SmartFocusError, type CampaignSnapshot } from '@optimove/smartfocus-client';
import { MetricsCollectorConfig } from '../config/metrics-collector.config';
import { retryDelayMs } from './snapshot-schedule';

type ClaimedFetch = { fetch_id: string; execution_id: string; group_id: string; smartfocus_campaign_id: string; day: number; attempts: number; claimed_until: Date };

/**
 * Failures retrying cannot cure: the campaign is unknown, the request or the credentials are
 * refused. An answer that cannot be read (a maintenance page served instead of XML) is retried:
 * it says nothing about the campaign, and failing at once lost that day's snapshot.
 */
const PERMANENT_KINDS = new Set(['not-found', 'validation', 'authentication']);

/** The send has not ended yet when the send-end snapshot is due: worth another try later. */
class SendNotEndedError extends Error {
  override readonly name = 'SendNotEndedError';
}

/**
 * Fetches due snapshots. Each poll claims a batch of due fetches with `FOR UPDATE SKIP LOCKED`
 * (replicas never take the same one) and a lease, fetches them from SmartFocus outside any
 * transaction, then stores each snapshot and its `metrics.fetched.v1` in one transaction. Each
 * fetch of the batch is started (an attempt counted, its lease renewed) only while the lease is
 * still this replica's: one whose lease ran out while SmartFocus was slow on the ones before it
 * belongs to whichever replica claimed it since. A stopping poller finishes the fetch in hand and
 * gives the rest of its batch back. It polls at start, so fetches that fell due while the service
 * was down are caught up at once. Time comes from the injected clock.
 */
@Injectable()
export class CollectionPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly smartFocus: SmartFocusClient,
    private readonly outbox: OutboxWriter,
    @Inject(MetricsCollectorConfig) private readonly config: MetricsCollectorConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.runDue()
        .catch((error: unknown) => this.logger.error({ err: error }, 'Snapshot collection poll failed'))
        .finally(() => this.schedule(this.config.COLLECTION_POLL_INTERVAL_MS));
    }, delayMs);
  }

  /** Fetches every fetch due now, batch after batch; returns how many were attempted. One run at a time. */
  runDue(): Promise<number> {
    this.running ??= this.drain().finally(() => (this.running = undefined));
    return this.running;
  }

  private async drain(): Promise<number> {
    let attempted = 0;
    for (;;) {
      const claimed = await this.claim();
      if (claimed.length === 0) return attempted;
      for (const [index, fetch] of claimed.entries()) {
        if (this.stopped) {
          await this.giveBack(claimed.slice(index));
          return attempted;
        }
        const started = await this.start(fetch);
        if (!started) continue;
        await this.fetchOne(started);
        attempted += 1;
      }
      if (this.stopped) return attempted;
    }
  }

  private async claim(): Promise<ClaimedFetch[]> {
    const now = this.clock.now();
    // Wrapped in a SELECT: TypeORM answers a bare UPDATE ... RETURNING with [rows, count].
    const rows: ClaimedFetch[] = await this.dataSource.query(
      `WITH claimed AS (
       UPDATE metrics.snapshot_fetch f SET claimed_until = $2
        WHERE f.fetch_id IN (
          SELECT fetch_id FROM metrics.snapshot_fetch
           WHERE status = 'pending' AND next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1)
           ORDER BY next_attempt_at, fetch_id
           LIMIT $3
           FOR UPDATE SKIP LOCKED)
       RETURNING f.fetch_id::text AS fetch_id, f.execution_id, f.group_id, f.smartfocus_campaign_id, f.day, f.attempts, f.claimed_until)
       SELECT * FROM claimed ORDER BY fetch_id::bigint`,
      [now, new Date(now.getTime() + this.config.COLLECTION_LEASE_MS), this.config.COLLECTION_BATCH_SIZE],
    );
    return rows;
  }

  /** Counts the attempt and renews the lease, unless the lease ran out and another replica claimed the fetch since (then undefined). */
  private async start(fetch: ClaimedFetch): Promise<ClaimedFetch | undefined> {
    const now = this.clock.now();
    const rows: { attempts: number; claimed_until: Date }[] = await this.dataSource.query(
      `WITH started AS (
       UPDATE metrics.snapshot_fetch SET attempts = attempts + 1, claimed_until = $3
        WHERE fetch_id = $1 AND status = 'pending' AND claimed_until = $2
       RETURNING attempts, claimed_until)
       SELECT * FROM started`,
      [fetch.fetch_id, fetch.claimed_until, new Date(now.getTime() + this.config.COLLECTION_LEASE_MS)],
    );
    if (rows.length === 0) {
      this.logger.info({ executionId: fetch.execution_id, groupId: fetch.group_id, day: fetch.day }, 'Snapshot fetch left to the replica that claimed it after this lease ran out');
      return undefined;
    }
    return { ...fetch, attempts: rows[0].attempts, claimed_until: rows[0].claimed_until };
  }

  /** On shutdown: the claimed fetches not started go back at once, no attempt counted. */
  private async giveBack(fetches: readonly ClaimedFetch[]): Promise<void> {
    for (const fetch of fetches) {
      await this.dataSource.query(`UPDATE metrics.snapshot_fetch SET claimed_until = NULL WHERE fetch_id = $1 AND status = 'pending' AND claimed_until = $2`, [
        fetch.fetch_id,
        fetch.claimed_until,
      ]);
    }
  }

  private async fetchOne(fetch: ClaimedFetch): Promise<void> {
    const context = { executionId: fetch.execution_id, groupId: fetch.group_id, day: fetch.day, smartFocusCampaignId: fetch.smartfocus_campaign_id };
    let snapshot: CampaignSnapshot;
    try {
      snapshot = await this.smartFocus.campaigns.snapshot(Number(fetch.smartfocus_campaign_id));
      if (fetch.day === 0 && !snapshot.endDate) throw new SendNotEndedError('the send has not ended yet');
    } catch (error) {
      await this.recordFailure(fetch, error, context);
      return;
    }
    const fetchedAt = this.clock.now();
    const { counts, rates } = snapshot;
    await this.dataSource.transaction(async (manager) => {
      const stored: unknown[] = await manager.query(
        `INSERT INTO metrics.snapshot (execution_id, group_id, day, smartfocus_campaign_id, fetched_at, selected, sent, delivered, bounces,
           unique_opens, unique_clicks, unsubscribes, complaints)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (execution_id, group_id, day) DO NOTHING RETURNING day`,
        [
          fetch.execution_id,
          fetch.group_id,
          fetch.day,
          fetch.smartfocus_campaign_id,
          fetchedAt,
          counts.selected,
          counts.selected - counts.filtered,
          counts.delivered,
          counts.bounces,
          counts.uniqueOpens,
          counts.uniqueClicks,
          counts.unsubscribes,
          counts.complaints,
        ],
      );
      // A snapshot of the same group and day is stored, and announced, once.
      if (stored.length > 0) {
        await this.outbox.enqueue(manager, 'metrics.fetched.v1', {
          executionId: fetch.execution_id,
          groupId: fetch.group_id,
          smartFocusCampaignId: fetch.smartfocus_campaign_id,
          fetchedAt: fetchedAt.toISOString(),
          day: fetch.day,
          counts: {
            selected: counts.selected,
            sent: counts.selected - counts.filtered,
            delivered: counts.delivered,
            bounces: counts.bounces,
            uniqueOpens: counts.uniqueOpens,
            uniqueClicks: counts.uniqueClicks,
            unsubscribes: counts.unsubscribes,
            complaints: counts.complaints,
          },
          // SmartFocus gives no rate when nothing was sent or delivered yet: 0 on the wire.
          rates: { delivery: rates.delivery ?? 0, open: rates.open ?? 0, click: rates.click ?? 0, unsubscribe: rates.unsubscribe ?? 0 },
        });
      }
      await manager.query(
        `UPDATE metrics.snapshot_fetch SET status = 'done', completed_at = $2, claimed_until = NULL, last_error = NULL WHERE fetch_id = $1`,
        [fetch.fetch_id, fetchedAt],
      );
    });
    this.logger.info({ ...context, delivered: counts.delivered, uniqueOpens: counts.uniqueOpens }, 'Snapshot stored');
  }

  private async recordFailure(fetch: ClaimedFetch, error: unknown, context: Record<string, unknown>): Promise<void> {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const permanent = error instanceof SmartFocusError && PERMANENT_KINDS.has(error.kind);
    const now = this.clock.now();
    // Only while the fetch is still this replica's: another one that claimed it after this lease ran
    // out may have stored its snapshot already, which a late failure here must not undo.
    const stillOurs = `fetch_id = $1 AND status = 'pending' AND claimed_until = $4`;
    if (permanent || fetch.attempts >= this.config.COLLECTION_MAX_ATTEMPTS) {
      const failed: unknown[] = await this.dataSource.query(
        `WITH failed AS (UPDATE metrics.snapshot_fetch SET status = 'failed', completed_at = $2, claimed_until = NULL, last_error = $3 WHERE ${stillOurs} RETURNING 1)
         SELECT * FROM failed`,
        [fetch.fetch_id, now, reason, fetch.claimed_until],
      );
      if (failed.length > 0) this.logger.error({ ...context, attempts: fetch.attempts, reason }, 'Snapshot fetch failed for good');
      else this.logger.warn({ ...context, reason }, 'Snapshot fetch failed after another replica took it over; left to it');
      return;
    }
    const delay = retryDelayMs(fetch.attempts, this.config.COLLECTION_RETRY_INITIAL_DELAY_MS, this.config.COLLECTION_RETRY_MAX_DELAY_MS);
    await this.dataSource.query(`UPDATE metrics.snapshot_fetch SET next_attempt_at = $2, claimed_until = NULL, last_error = $3 WHERE ${stillOurs}`, [
      fetch.fetch_id,
      new Date(now.getTime() + delay),
      reason,
      fetch.claimed_until,
    ]);
    this.logger.warn({ ...context, attempts: fetch.attempts, retryInMs: delay, reason }, 'Snapshot fetch failed; retrying later');
  }
}
