import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export type FetchStatus = {
  groupId: string;
  day: number;
  dueAt: string;
  status: 'pending' | 'done' | 'failed';
  attempts: number;
  lastError: string | null;
  snapshot: { fetchedAt: string; selected: number; sent: number; delivered: number; bounces: number; uniqueOpens: number; uniqueClicks: number; unsubscribes: number; complaints: number } | null;
};

type Row = {
  group_id: string;
  day: number;
  due_at: Date;
  status: FetchStatus['status'];
  attempts: number;
  last_error: string | null;
  fetched_at: Date | null;
  selected: number | null;
  sent: number;
  delivered: number;
  bounces: number;
  unique_opens: number;
  unique_clicks: number;
  unsubscribes: number;
  complaints: number;
};

/** The collection schedule of an execution with the snapshots fetched so far (operators, tests). */
@Injectable()
export class CollectionService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async forExecution(executionId: string): Promise<FetchStatus[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT f.group_id, f.day, f.due_at, f.status, f.attempts, f.last_error, s.fetched_at, s.selected, s.sent, s.delivered, s.bounces,
              s.unique_opens, s.unique_clicks, s.unsubscribes, s.complaints
         FROM metrics.snapshot_fetch f
         LEFT JOIN metrics.snapshot s USING (execution_id, group_id, day)
        WHERE f.execution_id = $1
        ORDER BY f.group_id, f.day`,
      [executionId],
    );
    return rows.map((row) => ({
      groupId: row.group_id,
      day: row.day,
      dueAt: row.due_at.toISOString(),
      status: row.status,
      attempts: row.attempts,
      lastError: row.last_error,
      snapshot:
        row.fetched_at === null || row.selected === null
          ? null
          : {
              fetchedAt: row.fetched_at.toISOString(),
              selected: row.selected,
              sent: row.sent,
              delivered: row.delivered,
              bounces: row.bounces,
              uniqueOpens: row.unique_opens,
              uniqueClicks: row.unique_clicks,
              unsubscribes: row.unsubscribes,
              complaints: row.complaints,
            },
    }));
  }
}
