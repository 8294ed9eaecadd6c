import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { addDays, daysBetween, isDay } from '../shared/days';
import { LIFECYCLE_STAGES, MICRO_SEGMENTS } from './lifecycle';

export const DIMENSIONS = ['lifecycle_stage', 'micro_segment'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export type DistributionDay = { date: string; customers: Record<string, number> };

export type StageChangeRow = {
  customerId: string;
  from: { lifecycleStage: string; microSegment: string | null };
  to: { lifecycleStage: string; microSegment: string | null };
};

export type CustomerHistory = {
  customerId: string;
  current: Record<string, unknown> | null;
  history: { validFrom: string; validTo: string | null; lifecycleStage: string; microSegment: string | null }[];
};

export const MAX_DISTRIBUTION_DAYS = 366;

/** Read side of the model: distribution over days, the customers who changed on a day, one customer's history. */
@Injectable()
export class ModelQueriesService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Customers per stage (or micro-segment) on each day of [from, to], from the history: the
   * counts valid on `from`, then each day's changes added (so the cost is the changes, not days x customers).
   */
  async distribution(dimension: Dimension, from: string, to: string): Promise<DistributionDay[]> {
    if (!isDay(from) || !isDay(to) || to < from) throw new BadRequestException('from and to are days YYYY-MM-DD, from <= to');
    if (daysBetween(from, to) >= MAX_DISTRIBUTION_DAYS) throw new BadRequestException(`at most ${MAX_DISTRIBUTION_DAYS} days at once`);
    const column = dimension === 'lifecycle_stage' ? 'lifecycle_stage' : 'micro_segment';
    const base = await this.dataSource.query<{ value: string | null; customers: number }[]>(
      `SELECT ${column} AS value, count(*)::int AS customers FROM segmentation.customer_state_history
       WHERE valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1) GROUP BY 1`,
      [from],
    );
    const changes = await this.dataSource.query<{ day: string; value: string | null; delta: number }[]>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, value, sum(delta)::int AS delta FROM (
         SELECT valid_from AS day, ${column} AS value, 1 AS delta FROM segmentation.customer_state_history WHERE valid_from > $1 AND valid_from <= $2
         UNION ALL
         SELECT valid_to, ${column}, -1 FROM segmentation.customer_state_history WHERE valid_to > $1 AND valid_to <= $2
       ) c GROUP BY 1, 2`,
      [from, to],
    );
    const values: readonly string[] = dimension === 'lifecycle_stage' ? LIFECYCLE_STAGES : [...MICRO_SEGMENTS, 'none'];
    const counts: Record<string, number> = Object.fromEntries(values.map((value) => [value, 0]));
    for (const row of base) counts[row.value ?? 'none'] = row.customers;
    const byDay = new Map<string, typeof changes>();
    for (const change of changes) byDay.set(change.day, [...(byDay.get(change.day) ?? []), change]);
    const days: DistributionDay[] = [];
    for (let day = from; day <= to; day = addDays(day, 1)) {
      if (day !== from) for (const change of byDay.get(day) ?? []) counts[change.value ?? 'none'] = (counts[change.value ?? 'none'] ?? 0) + change.delta;
      days.push({ date: day, customers: { ...counts } });
    }
    return days;
  }

  /** Customers whose stage changed on `date` (optionally from / to given stages), paged by customer id. */
  async changers(date: string, options: { from?: string; to?: string; limit: number; offset: number }): Promise<{ date: string; total: number; items: StageChangeRow[] }> {
    if (!isDay(date)) throw new BadRequestException('date is a day YYYY-MM-DD');
    const where = `h.valid_from = $1 AND p.lifecycle_stage <> h.lifecycle_stage
      AND ($2::text IS NULL OR p.lifecycle_stage = $2) AND ($3::text IS NULL OR h.lifecycle_stage = $3)`;
    const join = `FROM segmentation.customer_state_history h
      JOIN segmentation.customer_state_history p ON p.customer_id = h.customer_id AND p.valid_to = h.valid_from`;
    const params = [date, options.from ?? null, options.to ?? null];
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(`SELECT count(*)::int AS total ${join} WHERE ${where}`, params);
    const rows = await this.dataSource.query<{ customer_id: string; from_stage: string; from_segment: string | null; to_stage: string; to_segment: string | null }[]>(
      `SELECT h.customer_id, p.lifecycle_stage AS from_stage, p.micro_segment AS from_segment, h.lifecycle_stage AS to_stage, h.micro_segment AS to_segment
       ${join} WHERE ${where} ORDER BY h.customer_id LIMIT $4 OFFSET $5`,
      [...params, options.limit, options.offset],
    );
    return {
      date,
      total,
      items: rows.map((row) => ({
        customerId: row.customer_id,
        from: { lifecycleStage: row.from_stage, microSegment: row.from_segment },
        to: { lifecycleStage: row.to_stage, microSegment: row.to_segment },
      })),
    };
  }

  async customer(customerId: string): Promise<CustomerHistory> {
    const [current] = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT m.*, s.model_date FROM segmentation.customer_model m CROSS JOIN segmentation.model_state s WHERE m.customer_id = $1`,
      [customerId],
    );
    const history = await this.dataSource.query<{ valid_from: string; valid_to: string | null; lifecycle_stage: string; micro_segment: string | null }[]>(
      `SELECT to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to, lifecycle_stage, micro_segment
       FROM segmentation.customer_state_history WHERE customer_id = $1 ORDER BY valid_from`,
      [customerId],
    );
    if (!current && history.length === 0) throw new NotFoundException(`customer ${customerId} is not in the model`);
    return {
      customerId,
      current: current ? currentView(current) : null,
      history: history.map((row) => ({ validFrom: row.valid_from, validTo: row.valid_to, lifecycleStage: row.lifecycle_stage, microSegment: row.micro_segment })),
    };
  }

  async status(): Promise<{ modelDate: string | null; customers: number; builtAt: string | null; updatedAt: string | null; globalControlShare: number }> {
    const [row] = await this.dataSource.query<{ model_date: string | null; built_at: Date | null; updated_at: Date | null; global_control_share: string; customers: number }[]>(
      `SELECT to_char(model_date, 'YYYY-MM-DD') AS model_date, built_at, updated_at, global_control_share,
         (SELECT count(*)::int FROM segmentation.customer_model) AS customers FROM segmentation.model_state`,
    );
    return {
      modelDate: row.model_date,
      customers: row.customers,
      builtAt: row.built_at?.toISOString() ?? null,
      updatedAt: row.updated_at?.toISOString() ?? null,
      globalControlShare: Number(row.global_control_share),
    };
  }
}

function day(value: unknown): string | null {
  return value instanceof Date ? value.toISOString().slice(0, 10) : typeof value === 'string' ? value : null;
}

function currentView(row: Record<string, unknown>): Record<string, unknown> {
  const modelDate = day(row['model_date']);
  const last = day(row['last_purchase_on']);
  const orders = Number(row['orders_lifetime']);
  return {
    modelDate,
    lifecycleStage: row['lifecycle_stage'],
    microSegment: row['micro_segment'],
    recencyScore: row['recency_score'],
    frequencyScore: row['frequency_score'],
    monetaryScore: row['monetary_score'],
    firstPurchaseDate: day(row['first_purchase_on']),
    lastPurchaseDate: last,
    daysSinceLastPurchase: last && modelDate ? daysBetween(last, modelDate) : null,
    orders: { '30d': row['orders_30d'], '90d': row['orders_90d'], '365d': row['orders_365d'], lifetime: orders },
    spend: { '30d': row['spend_30d'], '90d': row['spend_90d'], '365d': row['spend_365d'], lifetime: row['spend_lifetime'] },
    averageOrderValue: orders > 0 ? (Number(row['spend_lifetime']) / orders).toFixed(2) : null,
  };
}
