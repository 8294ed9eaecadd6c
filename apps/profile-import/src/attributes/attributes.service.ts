import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '@optimove/clock';
import { ProfileImportConfig } from '../config/profile-import.config';
import { DATASETS, normalizeHeader } from '../datasets/dataset-definitions';
import { PiiHeaderMatcher } from '../datasets/pii-columns';
import { AttributeEntity } from '../database/entities/attribute.entity';
import type { DeclareAttributeDto } from './declare-attribute.dto';

export type AttributeView = { name: string; type: AttributeEntity['type']; description: string; createdAt: string; updatedAt: string };

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
    const repository = this.dataSource.getRepository(AttributeEntity);
    const existing = await repository.findOneBy({ name });
    const now = this.clock.now();
    if (existing && existing.type !== body.type) {
      throw new ConflictException(`attribute "${name}" is declared as ${existing.type}; delete it first to declare it as ${body.type}`);
    }
    const attribute = repository.create({
      name,
      type: body.type,
      description: body.description ?? existing?.description ?? '',
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    });
    await repository.save(attribute);
    return { attribute: view(attribute), created: !existing };
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
