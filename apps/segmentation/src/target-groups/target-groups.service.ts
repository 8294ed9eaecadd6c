import { randomUUID } from 'node:crypto';
import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '@optimove/clock';
import { CustomerModelService } from '../customer-model/customer-model.service';
import { SqlParams } from '../shared/sql-params';
import { isDay } from '../shared/days';
import { BASE_FIELDS, attributeField, catalogueOf, type Field, type FieldCatalogue } from './field-catalogue';
import { DEFAULT_SOURCES, compileRule } from './rule-compiler';
import { validateRule, type RuleNode } from './rule-tree';
import type { FieldView, PreviewView, TargetGroupBody, TargetGroupView } from './target-group.dto';

type TargetGroupRow = { id: string; name: string; description: string; rule: RuleNode & Record<string, unknown>; created_at: Date; updated_at: Date };

/** Target groups: CRUD, the field catalogue, validation, compilation and preview. */
@Injectable()
export class TargetGroupsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly model: CustomerModelService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The model's fields plus the declared custom attributes of `profiles.attribute_v`. */
  async catalogue(manager: EntityManager = this.dataSource.manager): Promise<FieldCatalogue> {
    let attributes: { name: string; type: string; description: string | null }[] = [];
    try {
      attributes = await manager.query(`SELECT name, type, description FROM profiles.attribute_v ORDER BY name`);
    } catch {
      // profile-import's schema is not there (yet): only the model's fields.
    }
    const extra = attributes.map(attributeField).filter((field): field is Field => field !== undefined);
    return catalogueOf([...BASE_FIELDS, ...extra]);
  }

  async fields(): Promise<FieldView[]> {
    const catalogue = await this.catalogue();
    return [...catalogue.values()].map((field) => ({
      name: field.name,
      type: field.type,
      source: field.source,
      description: field.description,
      operators: field.operators,
      ...(field.values ? { values: [...field.values] } : {}),
    }));
  }

  /** Throws 400 with every problem and its JSON path when the rule does not fit the catalogue. */
  async checkRule(rule: unknown, manager?: EntityManager): Promise<RuleNode> {
    const errors = validateRule(rule, await this.catalogue(manager));
    if (errors.length > 0) {
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `invalid rule: ${errors[0].path}: ${errors[0].message}`, errors });
    }
    return rule as RuleNode;
  }

  async list(): Promise<TargetGroupView[]> {
    const rows = await this.dataSource.query<TargetGroupRow[]>(`SELECT * FROM segmentation.target_groups ORDER BY name`);
    return rows.map(view);
  }

  async get(id: string): Promise<TargetGroupView> {
    return view(await this.row(id));
  }

  async create(body: TargetGroupBody): Promise<TargetGroupView> {
    const rule = await this.checkRule(body.rule);
    const now = this.clock.now();
    const rows = await this.dataSource
      .query<TargetGroupRow[]>(
        `INSERT INTO segmentation.target_groups (id, name, description, rule, created_at, updated_at)
         VALUES ($1, $2, $3, $4::jsonb, $5, $5) RETURNING *`,
        [randomUUID(), body.name, body.description ?? '', JSON.stringify(rule), now],
      )
      .catch(nameTaken(body.name));
    return view(rows[0]);
  }

  async update(id: string, body: TargetGroupBody): Promise<TargetGroupView> {
    await this.row(id);
    const rule = await this.checkRule(body.rule);
    const [rows] = await this.dataSource
      .query<[TargetGroupRow[], number]>(
        `UPDATE segmentation.target_groups SET name = $2, description = $3, rule = $4::jsonb, updated_at = $5 WHERE id = $1 RETURNING *`,
        [id, body.name, body.description ?? '', JSON.stringify(rule), this.clock.now()],
      )
      .catch(nameTaken(body.name));
    return view(rows[0]);
  }

  async remove(id: string): Promise<void> {
    await this.row(id);
    const users = await this.dataSource.query<{ name: string }[]>(`SELECT name FROM segmentation.campaigns WHERE target_group_id = $1 ORDER BY name`, [id]);
    if (users.length > 0) {
      throw new ConflictException(`target group ${id} is used by campaign(s) ${users.map((user) => `"${user.name}"`).join(', ')}`);
    }
    await this.dataSource.query(`DELETE FROM segmentation.target_groups WHERE id = $1`, [id]);
  }

  async previewGroup(id: string, asOf?: string): Promise<PreviewView> {
    const group = await this.row(id);
    return this.preview(group.rule, asOf);
  }

  /** Count, 20 sample ids and the breakdown by stage of a rule as of a day (default: the model's date). */
  async preview(rule: unknown, asOf?: string): Promise<PreviewView> {
    if (asOf !== undefined && !isDay(asOf)) throw new BadRequestException('asOf must be a calendar day YYYY-MM-DD');
    return this.dataSource.transaction(async (manager) => {
      const checked = await this.checkRule(rule, manager);
      const state = await this.model.state(manager);
      const day = asOf ?? state.modelDate;
      if (!day) throw new ConflictException('the customer model was never built: start a run (POST /runs) or give asOf');
      let sources = DEFAULT_SOURCES;
      if (day !== state.modelDate) {
        await this.model.createAsOfTable(manager, day, 'preview_model');
        sources = { ...DEFAULT_SOURCES, model: 'preview_model' };
      }
      const params = new SqlParams();
      const selection = compileRule(checked, await this.catalogue(manager), day, params, sources);
      const [result] = await manager.query<{ by_stage: Record<string, number> | null; sample: string[] | null }[]>(
        `WITH selected AS MATERIALIZED (${selection})
         SELECT (SELECT json_object_agg(lifecycle_stage, customers) FROM
                   (SELECT lifecycle_stage, count(*)::int AS customers FROM selected GROUP BY lifecycle_stage) s) AS by_stage,
                (SELECT array_agg(customer_id ORDER BY customer_id) FROM
                   (SELECT customer_id FROM selected ORDER BY customer_id LIMIT 20) x) AS sample`,
        params.values,
      );
      const byStage = result.by_stage ?? {};
      return { asOf: day, count: Object.values(byStage).reduce((sum, n) => sum + n, 0), sample: result.sample ?? [], byStage };
    });
  }

  private async row(id: string): Promise<TargetGroupRow> {
    const [row] = await this.dataSource.query<TargetGroupRow[]>(`SELECT * FROM segmentation.target_groups WHERE id = $1`, [id]);
    if (!row) throw new NotFoundException(`target group ${id} not found`);
    return row;
  }
}

function view(row: TargetGroupRow): TargetGroupView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    rule: row.rule,
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
