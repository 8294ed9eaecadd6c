import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { DispatchStep } from '@optimove/contracts';
import type { Dispatch, DispatchError, DispatchProgress, DispatchState } from './dispatch-state';

const COLUMNS = `dispatch_id AS "dispatchId", execution_id AS "executionId", campaign_id AS "campaignId",
  campaign_name AS "campaignName", to_char(run_date, 'YYYY-MM-DD') AS "runDate", group_id AS "groupId",
  group_kind AS "groupKind", group_name AS "groupName", template_message_id::text AS "templateMessageId",
  scheduled_at AS "scheduledAt", chunk_count AS "chunkCount", group_size AS "groupSize", state, progress,
  send_at AS "sendAt", late, smartfocus_message_id::text AS "smartFocusMessageId",
  smartfocus_segment_id::text AS "smartFocusSegmentId", segment_create_started AS "segmentCreateStarted",
  smartfocus_campaign_id::text AS "smartFocusCampaignId", criteria_done AS "criteriaDone",
  criteria_total AS "criteriaTotal", criteria_values_cap AS "criteriaValuesCap", recipients, matched_recipients AS "matchedRecipients",
  stale_member_list AS "staleMemberList", attempts, last_error AS "lastError", failed_step AS "failedStep",
  next_attempt_at AS "nextAttemptAt", claimed_by AS "claimedBy", claimed_until AS "claimedUntil",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

/** Fields a step may save beside its progress mark. */
export type DispatchUpdate = Partial<{
  progress: DispatchProgress;
  state: DispatchState;
  smartFocusMessageId: string;
  smartFocusSegmentId: string;
  segmentCreateStarted: boolean;
  smartFocusCampaignId: string;
  criteriaDone: number;
  criteriaTotal: number;
  criteriaValuesCap: number;
  recipients: number;
  matchedRecipients: number;
  staleMemberList: boolean;
  lastError: DispatchError | null;
  failedStep: DispatchStep | null;
  nextAttemptAt: Date | null;
  attempts: number;
  claimedBy: string | null;
  claimedUntil: Date | null;
  sendAt: Date;
  late: boolean;
}>;

const UPDATE_COLUMNS: Record<keyof DispatchUpdate, string> = {
  progress: 'progress',
  state: 'state',
  smartFocusMessageId: 'smartfocus_message_id',
  smartFocusSegmentId: 'smartfocus_segment_id',
  segmentCreateStarted: 'segment_create_started',
  smartFocusCampaignId: 'smartfocus_campaign_id',
  criteriaDone: 'criteria_done',
  criteriaTotal: 'criteria_total',
  criteriaValuesCap: 'criteria_values_cap',
  recipients: 'recipients',
  matchedRecipients: 'matched_recipients',
  staleMemberList: 'stale_member_list',
  lastError: 'last_error',
  failedStep: 'failed_step',
  nextAttemptAt: 'next_attempt_at',
  attempts: 'attempts',
  claimedBy: 'claimed_by',
  claimedUntil: 'claimed_until',
  sendAt: 'send_at',
  late: 'late',
};

export type NewDispatch = Pick<
  Dispatch,
  'executionId' | 'campaignId' | 'campaignName' | 'runDate' | 'groupId' | 'groupKind' | 'groupName' | 'templateMessageId' | 'scheduledAt' | 'chunkCount' | 'groupSize'
>;

export type DispatchFilter = { executionId?: string; state?: DispatchState; limit: number; offset: number };

/** The `dispatch.dispatch` and `dispatch.list_chunk` tables. */
@Injectable()
export class DispatchesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Creates the group's row unless it exists, then locks and returns it (serialises the group's chunks). */
  async lockOrCreate(manager: EntityManager, dispatch: NewDispatch, dispatchId: string, now: Date): Promise<Dispatch> {
    await manager.query(
      `INSERT INTO dispatch.dispatch (dispatch_id, execution_id, campaign_id, campaign_name, run_date, group_id, group_kind, group_name,
         template_message_id, scheduled_at, chunk_count, group_size, state, progress, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'receiving', 'receiving', $13, $13)
       ON CONFLICT (execution_id, group_id) DO NOTHING`,
      [
        dispatchId,
        dispatch.executionId,
        dispatch.campaignId,
        dispatch.campaignName,
        dispatch.runDate,
        dispatch.groupId,
        dispatch.groupKind,
        dispatch.groupName,
        dispatch.templateMessageId,
        dispatch.scheduledAt,
        dispatch.chunkCount,
        dispatch.groupSize,
        now,
      ],
    );
    const rows = await manager.query<Dispatch[]>(`SELECT ${COLUMNS} FROM dispatch.dispatch WHERE execution_id = $1 AND group_id = $2 FOR UPDATE`, [
      dispatch.executionId,
      dispatch.groupId,
    ]);
    return rows[0];
  }

  /**
   * Stores one chunk; a chunk seen before changes nothing. False when a chunk of that index was
   * stored before with other customer ids (compared as sets, so a redelivery in another order agrees).
   */
  async storeChunk(manager: EntityManager, executionId: string, groupId: string, chunkIndex: number, customerIds: readonly string[], now: Date): Promise<boolean> {
    const rows = await manager.query<{ agrees: boolean }[]>(
      `WITH inserted AS (
         INSERT INTO dispatch.list_chunk (execution_id, group_id, chunk_index, customer_ids, received_at)
         VALUES ($1, $2, $3, $4::text[], $5) ON CONFLICT DO NOTHING RETURNING chunk_index)
       SELECT EXISTS (SELECT 1 FROM inserted)
           OR EXISTS (SELECT 1 FROM dispatch.list_chunk c WHERE c.execution_id = $1 AND c.group_id = $2 AND c.chunk_index = $3
                        AND (SELECT array_agg(id ORDER BY id) FROM unnest(c.customer_ids) id) IS NOT DISTINCT FROM (SELECT array_agg(id ORDER BY id) FROM unnest($4::text[]) id)) AS agrees`,
      [executionId, groupId, chunkIndex, customerIds, now],
    );
    return rows[0].agrees;
  }

  /** Chunks received so far and the customer ids they hold. */
  async chunkTotals(manager: EntityManager, executionId: string, groupId: string): Promise<{ chunks: number; ids: number }> {
    const rows = await manager.query<{ chunks: number; ids: number }[]>(
      `SELECT count(*)::int AS chunks, coalesce(sum(cardinality(customer_ids)), 0)::int AS ids
         FROM dispatch.list_chunk WHERE execution_id = $1 AND group_id = $2`,
      [executionId, groupId],
    );
    return rows[0];
  }

  /** The group's customer ids in chunk order, each once (first occurrence kept). */
  async customerIds(executionId: string, groupId: string): Promise<string[]> {
    const rows = await this.dataSource.query<{ ids: string[] }[]>(
      `SELECT customer_ids AS ids FROM dispatch.list_chunk WHERE execution_id = $1 AND group_id = $2 ORDER BY chunk_index`,
      [executionId, groupId],
    );
    const unique = new Set<string>();
    for (const row of rows) for (const id of row.ids) unique.add(id);
    return [...unique];
  }

  async update(manager: EntityManager, dispatchId: string, update: DispatchUpdate, now: Date, claimedBy?: string): Promise<boolean> {
    const entries = Object.entries(update) as [keyof DispatchUpdate, unknown][];
    const sets = entries.map(([key], index) => `${UPDATE_COLUMNS[key]} = $${index + 3}`);
    const values = entries.map(([key, value]) => (key === 'lastError' && value !== null ? JSON.stringify(value) : value));
    const guard = claimedBy === undefined ? '' : ` AND claimed_by = $${values.length + 3}`;
    const result = await manager.query<[unknown[], number]>(
      `UPDATE dispatch.dispatch SET ${[...sets, 'updated_at = $2'].join(', ')} WHERE dispatch_id = $1${guard} RETURNING dispatch_id`,
      [dispatchId, now, ...values, ...(claimedBy === undefined ? [] : [claimedBy])],
    );
    return result[1] > 0;
  }

  /**
   * Claims one due group for this replica (`FOR UPDATE SKIP LOCKED`: replicas never take the same
   * one) and counts the attempt. A claim whose lease ran out (its replica died) can be taken.
   */
  async claim(workerId: string, now: Date, leaseMs: number): Promise<Dispatch | undefined> {
    // TypeORM answers an UPDATE with [rows, affected].
    const [rows] = await this.dataSource.query<[Dispatch[], number]>(
      `UPDATE dispatch.dispatch SET claimed_by = $1, claimed_until = $2, attempts = attempts + 1, updated_at = $3
        WHERE dispatch_id = (
          SELECT dispatch_id FROM dispatch.dispatch
           WHERE state = 'dispatching' AND next_attempt_at <= $3 AND (claimed_until IS NULL OR claimed_until < $3)
           ORDER BY next_attempt_at, created_at
           FOR UPDATE SKIP LOCKED LIMIT 1)
        RETURNING ${COLUMNS}`,
      [workerId, new Date(now.getTime() + leaseMs), now],
    );
    return rows[0];
  }

  /**
   * Locks one group still receiving its chunks whose send time is before `cutoff` and that got no
   * chunk since then (`FOR UPDATE SKIP LOCKED`: a group another replica is sweeping, or whose
   * chunk is being stored, is left for the next poll).
   */
  async lockIncomplete(manager: EntityManager, cutoff: Date): Promise<Dispatch | undefined> {
    const rows = await manager.query<Dispatch[]>(
      `SELECT ${COLUMNS} FROM dispatch.dispatch d
        WHERE state = 'receiving' AND scheduled_at < $1
          AND NOT EXISTS (SELECT 1 FROM dispatch.list_chunk c WHERE c.execution_id = d.execution_id AND c.group_id = d.group_id AND c.received_at >= $1)
        ORDER BY scheduled_at
        FOR UPDATE OF d SKIP LOCKED LIMIT 1`,
      [cutoff],
    );
    return rows[0];
  }

  /** Extends this replica's claim; false when it lost it. */
  async renew(dispatchId: string, workerId: string, now: Date, leaseMs: number): Promise<boolean> {
    return this.update(this.dataSource.manager, dispatchId, { claimedUntil: new Date(now.getTime() + leaseMs) }, now, workerId);
  }

  async get(dispatchId: string, manager: EntityManager = this.dataSource.manager): Promise<Dispatch | undefined> {
    const rows = await manager.query<Dispatch[]>(`SELECT ${COLUMNS} FROM dispatch.dispatch WHERE dispatch_id = $1`, [dispatchId]);
    return rows[0];
  }

  async lock(manager: EntityManager, dispatchId: string): Promise<Dispatch | undefined> {
    const rows = await manager.query<Dispatch[]>(`SELECT ${COLUMNS} FROM dispatch.dispatch WHERE dispatch_id = $1 FOR UPDATE`, [dispatchId]);
    return rows[0];
  }

  async list(filter: DispatchFilter): Promise<{ total: number; items: Dispatch[] }> {
    const conditions: string[] = [];
    const values: unknown[] = [];
    if (filter.executionId) conditions.push(`execution_id = $${values.push(filter.executionId)}`);
    if (filter.state) conditions.push(`state = $${values.push(filter.state)}`);
    const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(`SELECT count(*)::int AS total FROM dispatch.dispatch ${where}`, values);
    const items = await this.dataSource.query<Dispatch[]>(
      `SELECT ${COLUMNS} FROM dispatch.dispatch ${where} ORDER BY created_at, group_name LIMIT $${values.length + 1} OFFSET $${values.length + 2}`,
      [...values, filter.limit, filter.offset],
    );
    return { total, items };
  }

  manager(): EntityManager {
    return this.dataSource.manager;
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}
