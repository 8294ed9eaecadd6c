import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, EntityManager, Repository } from 'typeorm';
import { SimulatorClock } from '../clock/simulator-clock';
import { SmartFocusSimulatorConfig } from '../config/smartfocus-simulator.config';
import { SmartFocusFault } from '../protocol/smartfocus-fault';
import { CampaignEntity } from '../campaigns/campaign.entity';
import { SegmentCriterionEntity } from './segment-criterion.entity';
import { SegmentEntity } from './segment.entity';
import { CRITERION_COLUMNS, CRITERION_OPERATORS, segmentMembersSql, type CriterionShape } from './segment-members.query';

export type NewSegment = { name: string; description: string; sampleType: string };

export type SegmentCriterionView = { orderFrag: number; groupNumber: number; groupName: string; columnName: string; operator: string; values: string[] };

export type NewStringCriterion = { groupNumber: number; groupName: string; columnName: string; operator: string; values: string[] };

@Injectable()
export class SegmentsService {
  constructor(
    @InjectRepository(SegmentEntity) private readonly segments: Repository<SegmentEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SmartFocusSimulatorConfig) private readonly config: SmartFocusSimulatorConfig,
    private readonly clock: SimulatorClock,
  ) {}

  async create(segment: NewSegment): Promise<string> {
    if (segment.sampleType !== 'ALL') {
      // PERCENT and FIX samples exist in SmartFocus; the simulator selects whole segments only.
      throw SmartFocusFault.invalid('sampleType', 'The simulator supports sampleType ALL only.');
    }
    const now = this.clock.now();
    const saved = await this.segments.save(this.segments.create({ ...segment, sampleRate: null, createdAt: now, updatedAt: now }));
    return saved.id;
  }

  async get(id: string): Promise<SegmentEntity> {
    const segment = await this.segments.findOneBy({ id });
    if (!segment) throw SmartFocusFault.notFound('SEGMENT', 'id', id);
    return segment;
  }

  /** A page (1-based) of segments, oldest first. */
  list(page: number, perPage: number): Promise<SegmentEntity[]> {
    return this.segments.find({ order: { id: 'ASC' }, skip: (page - 1) * perPage, take: perPage });
  }

  async delete(id: string): Promise<void> {
    await this.get(id);
    if (await this.dataSource.getRepository(CampaignEntity).existsBy({ segmentId: id })) {
      throw new SmartFocusFault('DELETE_SEGMENT_FAILED', `Segment ${id} is the target of a campaign.`, ['id']);
    }
    await this.segments.delete({ id });
  }

  /** Adds one string criterion; more values than the cap are refused (INVALID_PARAMETERS, fields=values). */
  async addStringCriterion(segmentId: string, criterion: NewStringCriterion): Promise<void> {
    if (!CRITERION_COLUMNS[criterion.columnName]) {
      throw SmartFocusFault.invalid('columnName', `Column ${criterion.columnName} is not a text column of the member table.`);
    }
    const operator = CRITERION_OPERATORS[criterion.operator];
    if (!operator) throw SmartFocusFault.invalid('operator', `Operator ${criterion.operator} is not supported.`);
    const values = [...new Set(criterion.values)];
    if (operator.usesValues && values.length === 0) throw SmartFocusFault.invalid('values', `Operator ${criterion.operator} needs values.`);
    if (criterion.values.length > this.config.SIMULATOR_CRITERIA_VALUES_CAP) {
      throw SmartFocusFault.invalid('values', `A criterion may hold at most ${this.config.SIMULATOR_CRITERIA_VALUES_CAP} values (got ${criterion.values.length}).`);
    }
    await this.get(segmentId);
    const now = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      const saved = await manager.save(
        manager.create(SegmentCriterionEntity, {
          segmentId,
          groupNumber: criterion.groupNumber,
          groupName: criterion.groupName,
          columnName: criterion.columnName,
          operator: criterion.operator,
          valueCount: operator.usesValues ? values.length : 0,
          createdAt: now,
        }),
      );
      if (operator.usesValues) {
        await manager.query(`INSERT INTO simulator.segment_criterion_value (criterion_id, value) SELECT $1, unnest($2::text[])`, [saved.id, values]);
      }
    });
    // Outside the transaction: concurrent criteria of one segment must not queue on its row lock.
    await this.segments.update({ id: segmentId }, { updatedAt: now });
  }

  /** A page (1-based) of the segment's criteria in the order they were added, with their values. */
  async criteria(segmentId: string, page: number, perPage: number): Promise<SegmentCriterionView[]> {
    await this.get(segmentId);
    return this.dataSource.query<SegmentCriterionView[]>(
      `SELECT (row_number() OVER (ORDER BY c.criterion_id) - 1)::int AS "orderFrag", c.group_number AS "groupNumber", c.group_name AS "groupName",
              c.column_name AS "columnName", c.operator,
              coalesce((SELECT array_agg(v.value ORDER BY v.value) FROM simulator.segment_criterion_value v WHERE v.criterion_id = c.criterion_id), '{}') AS "values"
         FROM simulator.segment_criterion c WHERE c.segment_id = $1
        ORDER BY c.criterion_id OFFSET $2 LIMIT $3`,
      [segmentId, (page - 1) * perPage, perPage],
    );
  }

  /** Members the segment selects now. */
  async count(id: string): Promise<number> {
    await this.get(id);
    const sql = await this.membersSql(this.dataSource.manager, id);
    const rows = await this.dataSource.query<{ count: number }[]>(`SELECT count(*)::int AS count FROM (${sql}) selected`, [id]);
    return rows[0].count;
  }

  /** `SELECT member_id ...` of the segment, with the segment id as `$1`. */
  async membersSql(manager: EntityManager, segmentId: string): Promise<string> {
    const shapes = await manager.query<CriterionShape[]>(
      `SELECT DISTINCT group_number AS "groupNumber", column_name AS "columnName", operator
         FROM simulator.segment_criterion WHERE segment_id = $1 ORDER BY 1, 2, 3`,
      [segmentId],
    );
    return segmentMembersSql(shapes);
  }
}
