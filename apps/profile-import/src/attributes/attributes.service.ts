import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '@optimove/clock';
import { ProfileImportConfig } from '../config/profile-import.config';
import { DATASETS, normalizeHeader } from '../datasets/dataset-definitions';
import { PiiHeaderMatcher } from '../datasets/pii-columns';
import { AttributeEntity } from '../database/entities/attribute.entity';
import type { DeclareAttributeDto } from './declare-attribute.dto';

export type AttributeView = { name: string; type: AttributeEntity['type']; description: string; createdAt: string; updatedAt: string };

/** An attribute as the declaration wrote it; `created` when it was new. */
type DeclaredRow = Pick<AttributeEntity, 'name' | 'type' | 'description'> & { created_at: Date; updated_at: Date; created: boolean };

/** The attribute catalogue: the custom customer columns a client declares. */
@Injectable()
export class AttributesService {
  private readonly pii: PiiHeaderMatcher;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    config: ProfileImportConfig,
  ) {
    this.pii = new PiiHeaderMatcher(config.IMPORT_PII_HEADER_DENY_LIST);
  }

  async list(): Promise<AttributeView[]> {
    const rows = await this.dataSource.getRepository(AttributeEntity).find({ order: { name: 'ASC' } });
    return rows.map(view);
  }

  /** Declares an attribute, or changes its description. Its type never changes: stored values keep their meaning. */
  async declare(name: string, body: DeclareAttributeDto): Promise<{ attribute: AttributeView; created: boolean }> {
    if (!/^[a-z][a-z0-9_]{0,62}$/.test(name)) {
      throw new BadRequestException('an attribute name is 1 to 63 characters: a lower-case letter, then lower-case letters, digits and _');
    }
    if (normalizeHeader(name) !== name || DATASETS.customers.columns.some((column) => column.name === name)) {
      throw new BadRequestException(`"${name}" is a column of the customers dataset, not an attribute`);
    }
    if (this.pii.isPii(name)) {
      throw new BadRequestException(`"${name}" matches the personal-data deny list (IMPORT_PII_HEADER_DENY_LIST): such a column is never stored`);
    }
    // One statement, so two concurrent declarations of one name cannot both insert (a 500) or the
    // later one overwrite the type of the earlier (both 201): an existing attribute of another
    // type is left as it is and the declaration answered 409.
    const rows = await this.dataSource.query<DeclaredRow[]>(
      `INSERT INTO profiles.attributes AS a (name, type, description, created_at, updated_at) VALUES ($1, $2, coalesce($3, ''), $4, $4)
       ON CONFLICT (name) DO UPDATE SET description = coalesce($3, a.description), updated_at = EXCLUDED.updated_at WHERE a.type = EXCLUDED.type
       RETURNING name, type, description, created_at, updated_at, xmax = 0 AS created`,
      [name, body.type, body.description ?? null, this.clock.now()],
    );
    const row = rows[0];
    if (!row) {
      const existing = await this.dataSource.getRepository(AttributeEntity).findOneBy({ name });
      throw new ConflictException(`attribute "${name}" is declared as ${existing?.type ?? 'another type'}; delete it first to declare it as ${body.type}`);
    }
    const attribute = { name: row.name, type: row.type, description: row.description, createdAt: row.created_at, updatedAt: row.updated_at };
    return { attribute: view(attribute), created: row.created };
  }

  /** Removes an attribute from the catalogue: later files no longer load it; stored values stay. */
  async remove(name: string): Promise<void> {
    const result = await this.dataSource.getRepository(AttributeEntity).delete({ name });
    if (!result.affected) throw new NotFoundException(`no attribute "${name}"`);
  }
}

function view(attribute: AttributeEntity): AttributeView {
  return {
    name: attribute.name,
    type: attribute.type,
    description: attribute.description,
    createdAt: attribute.createdAt.toISOString(),
    updatedAt: attribute.updatedAt.toISOString(),
  };
}
