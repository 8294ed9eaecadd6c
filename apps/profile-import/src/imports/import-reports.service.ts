import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ProfileDataset } from '@optimove/contracts';
import { ImportEntity, type ImportStatus } from '../database/entities/import.entity';
import { ImportRejectionEntity } from '../database/entities/import-rejection.entity';
import { toReport, type ImportReport } from './import-report';

export type ImportListQuery = { dataset?: ProfileDataset; status?: ImportStatus; limit: number; offset: number };

/** Reads import reports. */
@Injectable()
export class ImportReportsService {
  constructor(private readonly dataSource: DataSource) {}

  async list(query: ImportListQuery): Promise<{ total: number; items: ImportReport[] }> {
    const [records, total] = await this.dataSource.getRepository(ImportEntity).findAndCount({
      where: { ...(query.dataset ? { dataset: query.dataset } : {}), ...(query.status ? { status: query.status } : {}) },
      // The id breaks ties: imports started at the same instant would otherwise come in a
      // different order on each page, one listed twice and another never.
      order: { startedAt: 'DESC', id: 'DESC' },
      take: query.limit,
      skip: query.offset,
    });
    return { total, items: records.map((record) => toReport(record)) };
  }

  async get(id: string, rejections: { offset: number; limit: number }): Promise<ImportReport> {
    const record = await this.dataSource.getRepository(ImportEntity).findOneBy({ id });
    if (!record) throw new NotFoundException(`no import with id ${id}`);
    const [rows, total] = await this.dataSource.getRepository(ImportRejectionEntity).findAndCount({
      where: { importId: id },
      order: { line: 'ASC' },
      take: rejections.limit,
      skip: rejections.offset,
    });
    return toReport(record, { total, offset: rejections.offset, limit: rejections.limit, rows });
  }
}
