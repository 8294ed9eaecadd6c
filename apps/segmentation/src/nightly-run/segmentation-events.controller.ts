import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import type { CampaignDispatchFailedV1, CampaignScheduledV1, ProfilesImportedV1 } from '@optimove/contracts';
import { OnEvent, type EventContext } from '@optimove/messaging';
import { LOGGER, type Logger } from '@optimove/observability';
import { RunScheduler } from './run-scheduler.service';

/** Events segmentation consumes: imports (run trigger and hold) and dispatch outcomes (run report). */
@Controller()
export class SegmentationEventsController {
  constructor(
    private readonly scheduler: RunScheduler,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @OnEvent('profiles.imported.v1')
  async profilesImported(@Payload() payload: ProfilesImportedV1, @Ctx() context: EventContext<'profiles.imported.v1'>): Promise<void> {
    await context.manager.query(
      `INSERT INTO segmentation.profile_imports (import_id, dataset, as_of_date, suspicious, rows_loaded, received_at)
       VALUES ($1, $2, $3, $4, $5, now()) ON CONFLICT (import_id) DO NOTHING`,
      [payload.importId, payload.dataset, payload.asOfDate, payload.suspicious ?? false, payload.rowsLoaded],
    );
    // After this transaction commits, the scheduler sees the import (waiting runs, holds).
    setTimeout(() => this.scheduler.nudge(), 100).unref();
  }

  @OnEvent('campaign.scheduled.v1')
  async campaignScheduled(@Payload() payload: CampaignScheduledV1, @Ctx() context: EventContext<'campaign.scheduled.v1'>): Promise<void> {
    const [rows] = await context.manager.query<[unknown[], number]>(
      `UPDATE segmentation.execution_groups SET dispatch_status = 'scheduled', dispatch = $2::jsonb, dispatch_updated_at = now()
       WHERE group_id = $1 RETURNING group_id`,
      [
        payload.groupId,
        JSON.stringify({
          smartFocusCampaignId: payload.smartFocusCampaignId,
          smartFocusMessageId: payload.smartFocusMessageId,
          smartFocusSegmentId: payload.smartFocusSegmentId,
          scheduledAt: payload.scheduledAt,
          recipients: payload.recipients,
          ...(payload.matchedRecipients !== undefined ? { matchedRecipients: payload.matchedRecipients } : {}),
        }),
      ],
    );
    if (rows.length === 0) this.logger.warn({ executionId: payload.executionId, groupId: payload.groupId }, 'campaign.scheduled.v1 for a group segmentation does not know');
  }

  @OnEvent('campaign.dispatch-failed.v1')
  async dispatchFailed(@Payload() payload: CampaignDispatchFailedV1, @Ctx() context: EventContext<'campaign.dispatch-failed.v1'>): Promise<void> {
    // A group scheduled after all (a later success) stays scheduled.
    const [rows] = await context.manager.query<[unknown[], number]>(
      `UPDATE segmentation.execution_groups SET dispatch_status = CASE WHEN dispatch_status = 'scheduled' THEN dispatch_status ELSE 'failed' END,
         dispatch = CASE WHEN dispatch_status = 'scheduled' THEN dispatch ELSE $2::jsonb END, dispatch_updated_at = now()
       WHERE group_id = $1 RETURNING group_id`,
      [payload.groupId, JSON.stringify({ step: payload.step, errorCode: payload.errorCode, errorMessage: payload.errorMessage, attempts: payload.attempts })],
    );
    if (rows.length === 0) this.logger.warn({ executionId: payload.executionId, groupId: payload.groupId }, 'campaign.dispatch-failed.v1 for a group segmentation does not know');
  }
}
