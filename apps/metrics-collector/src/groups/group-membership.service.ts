import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ListsGeneratedV1 } from '@optimove/contracts';
import { LOGGER, type Logger } from '@optimove/observability';

/** Records who is in which group of each execution, chunk by chunk, control groups included. */
@Injectable()
export class GroupMembershipService {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  /** One chunk of one group; a chunk seen before (same execution, group and index) changes nothing. */
  async recordChunk(chunk: ListsGeneratedV1, manager: EntityManager, receivedAt: Date): Promise<void> {
    const { executionId, group } = chunk;
    await manager.query(
      `INSERT INTO metrics.execution (execution_id, campaign_id, campaign_name, run_date, scheduled_at, action_duration_days, ab_test_kpi, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (execution_id) DO UPDATE SET
         action_duration_days = COALESCE(metrics.execution.action_duration_days, EXCLUDED.action_duration_days),
         ab_test_kpi = COALESCE(metrics.execution.ab_test_kpi, EXCLUDED.ab_test_kpi)`,
      [executionId, chunk.campaignId, chunk.campaignName, chunk.runDate, chunk.scheduledAt, chunk.actionDurationDays ?? null, chunk.abTestKpi ?? null, receivedAt],
    );
    await manager.query(
      `INSERT INTO metrics.execution_group (execution_id, group_id, kind, name, template_message_id, planned_share, group_size, chunk_count)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
      [executionId, group.groupId, group.kind, group.name, group.templateMessageId ?? null, group.plannedShare ?? null, chunk.groupSize, chunk.chunkCount],
    );
    const fresh: unknown[] = await manager.query(
      `INSERT INTO metrics.group_chunk (execution_id, group_id, chunk_index, received_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING chunk_index`,
      [executionId, group.groupId, chunk.chunkIndex, receivedAt],
    );
    if (fresh.length === 0) {
      this.logger.info({ executionId, groupId: group.groupId, chunkIndex: chunk.chunkIndex }, 'Chunk already recorded; nothing to do');
      return;
    }
    const inserted: unknown[] = await manager.query(
      `INSERT INTO metrics.group_member (execution_id, customer_id, group_id)
       SELECT $1, customer_id, $2 FROM unnest($3::text[]) AS ids (customer_id)
       ON CONFLICT (execution_id, customer_id) DO NOTHING RETURNING 1`,
      [executionId, group.groupId, chunk.customerIds],
    );
    if (inserted.length < chunk.customerIds.length) {
      // Segmentation assigns each customer to one group; a repeat is reported, never counted twice.
      this.logger.warn(
        { executionId, groupId: group.groupId, chunkIndex: chunk.chunkIndex, repeated: chunk.customerIds.length - inserted.length },
        'Customers already recorded in this execution were skipped',
      );
    }
  }
}
