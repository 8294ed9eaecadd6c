import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CampaignDispatchFailedV1 } from '@optimove/contracts';
import { LOGGER, type Logger } from '@optimove/observability';

/** Records each `campaign.dispatch-failed.v1`: a group SmartFocus was never given, so nothing to collect or analyse. */
@Injectable()
export class DispatchFailureService {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  async record(failed: CampaignDispatchFailedV1, manager: EntityManager, receivedAt: Date): Promise<void> {
    const fresh: unknown[] = await manager.query(
      `INSERT INTO metrics.dispatch_failure (execution_id, group_id, campaign_id, step, error_code, error_message, attempts, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING group_id`,
      [failed.executionId, failed.groupId, failed.campaignId, failed.step, failed.errorCode, failed.errorMessage, failed.attempts, receivedAt],
    );
    const context = { executionId: failed.executionId, groupId: failed.groupId, step: failed.step, errorCode: failed.errorCode };
    if (fresh.length === 0) this.logger.info(context, 'Dispatch failure already recorded; nothing to do');
    else this.logger.warn(context, 'Dispatch failed: the group is not sent and is left out of the analysis');
  }
}
