import { randomUUID } from 'node:crypto';
import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '@optimove/clock';
import type { AbTestKpi } from '@optimove/contracts';
import { isTimeZone, localDayAndMinutes } from '../shared/days';
import type { CampaignBody, CampaignView } from './campaign.dto';
import { campaignProblems, type CampaignPlan, type CampaignStatus, type Recurrence, type Variant, type Weekday } from './campaign-plan';

export type CampaignRow = {
  id: string;
  name: string;
  target_group_id: string;
  salt: string;
  variants: Variant[];
  send_time: string;
  time_zone: string;
  recurrence: Recurrence;
  control_share: string;
  priority: number;
  action_duration_days: number;
  ab_test_kpi: AbTestKpi | null;
  status: CampaignStatus;
  created_at: Date;
  updated_at: Date;
};

/** Name of the one variant of a campaign without an A/B test. */
export const SINGLE_VARIANT_NAME = 'main';

/** Campaign plans: CRUD and pause / resume / archive. The salt is fixed at creation. */
@Injectable()
export class CampaignsService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(status?: CampaignStatus): Promise<CampaignView[]> {
    const rows = await this.dataSource.query<CampaignRow[]>(
      `SELECT * FROM segmentation.campaigns WHERE ($1::text IS NULL OR status = $1) ORDER BY priority, created_at, id`,
      [status ?? null],
    );
    return rows.map(campaignView);
  }

  async get(id: string): Promise<CampaignView> {
    return campaignView(await this.row(id));
  }

  async create(body: CampaignBody): Promise<CampaignView> {
    const plan = await this.checkPlan(body);
    const now = this.clock.now();
    const [row] = await this.dataSource
      .query<CampaignRow[]>(
        `INSERT INTO segmentation.campaigns (id, name, target_group_id, salt, variants, send_time, time_zone, recurrence,
           control_share, priority, action_duration_days, ab_test_kpi, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8::jsonb, $9, $10, $11, $12, 'active', $13, $13) RETURNING *`,
        [randomUUID(), plan.name, plan.targetGroupId, randomUUID(), JSON.stringify(plan.variants), plan.sendTime, plan.timeZone,
          JSON.stringify(plan.recurrence), plan.controlShare, plan.priority, plan.actionDurationDays, plan.abTestKpi, now],
      )
      .catch(nameTaken(plan.name));
    return campaignView(row);
  }

  /** Replaces the plan (not the salt, not the status); refused for an archived campaign. */
  async update(id: string, body: CampaignBody): Promise<CampaignView> {
    const current = await this.row(id);
    if (current.status === 'archived') throw new ConflictException(`campaign ${id} is archived: it cannot change`);
    const plan = await this.checkPlan(body);
    const [rows] = await this.dataSource
      .query<[CampaignRow[], number]>(
        `UPDATE segmentation.campaigns SET name = $2, target_group_id = $3, variants = $4::jsonb, send_time = $5, time_zone = $6,
           recurrence = $7::jsonb, control_share = $8, priority = $9, action_duration_days = $10, ab_test_kpi = $11, updated_at = $12
         WHERE id = $1 RETURNING *`,
        [id, plan.name, plan.targetGroupId, JSON.stringify(plan.variants), plan.sendTime, plan.timeZone, JSON.stringify(plan.recurrence),
          plan.controlShare, plan.priority, plan.actionDurationDays, plan.abTestKpi, this.clock.now()],
      )
      .catch(nameTaken(plan.name));
    return campaignView(rows[0]);
  }

  async pause(id: string): Promise<CampaignView> {
    return this.transition(id, ['active'], 'paused');
  }

  async resume(id: string): Promise<CampaignView> {
    const current = await this.row(id);
    // A paused plan may have become impossible meanwhile (its once-date passed): say so.
    if (current.status === 'paused') await this.checkPlan(bodyOf(current));
    return this.transition(id, ['paused'], 'active');
  }

  async archive(id: string): Promise<CampaignView> {
    return this.transition(id, ['active', 'paused'], 'archived');
  }

  private async transition(id: string, from: CampaignStatus[], to: CampaignStatus): Promise<CampaignView> {
    const current = await this.row(id);
    if (current.status === to) return campaignView(current);
    if (!from.includes(current.status)) throw new ConflictException(`campaign ${id} is ${current.status}: it cannot become ${to}`);
    const [rows] = await this.dataSource.query<[CampaignRow[], number]>(
      `UPDATE segmentation.campaigns SET status = $2, updated_at = $3 WHERE id = $1 RETURNING *`,
      [id, to, this.clock.now()],
    );
    return campaignView(rows[0]);
  }

  /** The plan of a body, or 400 with every reason it cannot run. */
  private async checkPlan(body: CampaignBody): Promise<CampaignPlan> {
    const problems: string[] = [];
    if (body.templateMessageId !== undefined && body.variants !== undefined) problems.push('give templateMessageId or variants, not both');
    const variants: Variant[] =
      body.variants?.map((variant) => ({ name: variant.name, templateMessageId: variant.templateMessageId, weight: variant.weight })) ??
      (body.templateMessageId !== undefined ? [{ name: SINGLE_VARIANT_NAME, templateMessageId: body.templateMessageId, weight: 1 }] : []);
    const plan: CampaignPlan = {
      name: body.name,
      targetGroupId: body.targetGroupId,
      variants,
      sendTime: body.sendTime,
      timeZone: body.timeZone,
      recurrence: normaliseRecurrence(body.recurrence),
      controlShare: body.controlShare,
      priority: body.priority,
      actionDurationDays: body.actionDurationDays,
      abTestKpi: body.abTestKpi ?? (variants.length > 1 ? null : 'revenue_per_customer'),
    };
    const today = localDayAndMinutes(this.clock.now(), isTimeZone(plan.timeZone) ? plan.timeZone : 'UTC').day;
    problems.push(...campaignProblems(plan, today));
    const [group] = await this.dataSource.query<{ id: string }[]>(`SELECT id FROM segmentation.target_groups WHERE id = $1`, [plan.targetGroupId]);
    if (!group) problems.push(`target group ${plan.targetGroupId} does not exist`);
    if (problems.length > 0) {
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `the campaign cannot run: ${problems.join('; ')}`, problems });
    }
    return plan;
  }

  private async row(id: string): Promise<CampaignRow> {
    const [row] = await this.dataSource.query<CampaignRow[]>(`SELECT * FROM segmentation.campaigns WHERE id = $1`, [id]);
    if (!row) throw new NotFoundException(`campaign ${id} not found`);
    return row;
  }
}

function normaliseRecurrence(recurrence: Recurrence): Recurrence {
  const input = recurrence as Record<string, unknown>;
  switch (input['type']) {
    case 'once':
      return { type: 'once', date: input['date'] as string };
    case 'daily':
      return { type: 'daily', startDate: input['startDate'] as string, ...(input['endDate'] ? { endDate: input['endDate'] as string } : {}) };
    case 'weekdays':
      return {
        type: 'weekdays',
        weekdays: input['weekdays'] as Weekday[],
        startDate: input['startDate'] as string,
        ...(input['endDate'] ? { endDate: input['endDate'] as string } : {}),
      };
    default:
      return recurrence;
  }
}

function bodyOf(row: CampaignRow): CampaignBody {
  return {
    name: row.name,
    targetGroupId: row.target_group_id,
    variants: row.variants,
    sendTime: row.send_time,
    timeZone: row.time_zone,
    recurrence: row.recurrence,
    controlShare: Number(row.control_share),
    priority: row.priority,
    actionDurationDays: row.action_duration_days,
    ...(row.ab_test_kpi ? { abTestKpi: row.ab_test_kpi } : {}),
  };
}

export function campaignView(row: CampaignRow): CampaignView {
  return {
    id: row.id,
    name: row.name,
    targetGroupId: row.target_group_id,
    variants: row.variants,
    sendTime: row.send_time,
    timeZone: row.time_zone,
    recurrence: row.recurrence,
    controlShare: Number(row.control_share),
    priority: row.priority,
    actionDurationDays: row.action_duration_days,
    abTestKpi: row.ab_test_kpi,
    status: row.status,
    salt: row.salt,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function nameTaken(name: string): (error: unknown) => never {
  return (error: unknown) => {
    if ((error as { code?: string }).code === '23505') throw new ConflictException(`the name "${name}" is taken`);
    throw error;
  };
}
