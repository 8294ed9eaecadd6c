import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CampaignScheduledV1 } from '@optimove/contracts';
import { LOGGER, type Logger } from '@optimove/observability';
import { MetricsCollectorConfig } from '../config/metrics-collector.config';
import { snapshotSchedule } from './snapshot-schedule';

/** Turns each `campaign.scheduled.v1` into the group's snapshot fetches, kept in the database. */
@Injectable()
export class CollectionScheduleService {
  constructor(
    @Inject(MetricsCollectorConfig) private readonly config: MetricsCollectorConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async plan(scheduled: CampaignScheduledV1, manager: EntityManager, receivedAt: Date): Promise<void> {
    const fresh: unknown[] = await manager.query(
      `INSERT INTO metrics.scheduled_group (execution_id, group_id, campaign_id, smartfocus_campaign_id, smartfocus_message_id,
         smartfocus_segment_id, scheduled_at, recipients, matched_recipients, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING group_id`,
      [
        scheduled.executionId,
        scheduled.groupId,
        scheduled.campaignId,
        scheduled.smartFocusCampaignId,
        scheduled.smartFocusMessageId,
        scheduled.smartFocusSegmentId,
        scheduled.scheduledAt,
        scheduled.recipients,
        scheduled.matchedRecipients ?? null,
        receivedAt,
      ],
    );
    if (fresh.length === 0) {
      this.logger.info({ executionId: scheduled.executionId, groupId: scheduled.groupId }, 'Group already scheduled; collection plan unchanged');
      return;
    }
    const plan = snapshotSchedule(new Date(scheduled.scheduledAt), this.config.COLLECTION_DAYS, this.config.COLLECTION_SEND_END_DELAY_MINUTES);
    await manager.query(
      `INSERT INTO metrics.snapshot_fetch (execution_id, group_id, smartfocus_campaign_id, day, due_at, status, next_attempt_at)
       SELECT $1, $2, $3, p.day, p.due_at, 'pending', p.due_at
         FROM jsonb_to_recordset($4::jsonb) AS p (day integer, due_at timestamptz)
       ON CONFLICT ON CONSTRAINT snapshot_fetch_group_day_uq DO NOTHING`,
      [scheduled.executionId, scheduled.groupId, scheduled.smartFocusCampaignId, JSON.stringify(plan.map((f) => ({ day: f.day, due_at: f.dueAt.toISOString() })))],
    );
    this.logger.info(
      { executionId: scheduled.executionId, groupId: scheduled.groupId, smartFocusCampaignId: scheduled.smartFocusCampaignId, fetches: plan.length },
      'Snapshot collection planned',
    );
  }
}
