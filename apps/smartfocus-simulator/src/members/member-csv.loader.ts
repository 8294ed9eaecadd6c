import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { parse } from 'csv-parse';
import { isEmail, isMemberColumn, MembersService, type MemberColumn, type MemberRow } from './members.service';

/** How to read a member file: the columns by header line, or a fixed mapping. */
export type MemberCsvFormat = {
  delimiter: string;
  /** `header`: the first line names the columns; otherwise the member column of each CSV column (null = ignored). */
  columns: 'header' | readonly (MemberColumn | null)[];
  skipFirstLine: boolean;
};

export type MemberCsvReport = {
  rowsRead: number;
  inserted: number;
  updated: number;
  rejected: number;
  /** Line numbers and reasons of the first rejected rows; never their content (it holds addresses and names). */
  rejections: string[];
};

const BATCH = 5_000;
const MAX_REJECTIONS_LISTED = 20;

/** Streams a CSV of members into the member table in batches, merging on the e-mail address. */
@Injectable()
export class MemberCsvLoader {
  constructor(private readonly members: MembersService) {}

  async load(source: Readable, format: MemberCsvFormat): Promise<MemberCsvReport> {
    const report: MemberCsvReport = { rowsRead: 0, inserted: 0, updated: 0, rejected: 0, rejections: [] };
    const parser = source.pipe(
      parse({ delimiter: format.delimiter, bom: true, relax_column_count: true, skip_empty_lines: true, trim: true, from_line: format.skipFirstLine && format.columns !== 'header' ? 2 : 1 }),
    );
    let columns: readonly (MemberColumn | null)[] | undefined = format.columns === 'header' ? undefined : format.columns;
    let batch: MemberRow[] = [];
    let line = format.skipFirstLine && format.columns !== 'header' ? 1 : 0;
    const flush = async (): Promise<void> => {
      const merged = await this.members.merge(batch);
      report.inserted += merged.inserted;
      report.updated += merged.updated;
      batch = [];
    };
    const reject = (reason: string): void => {
      report.rejected++;
      if (report.rejections.length < MAX_REJECTIONS_LISTED) report.rejections.push(`line ${line}: ${reason}`);
    };
    for await (const record of parser as AsyncIterable<string[]>) {
      line++;
      if (!columns) {
        columns = record.map((name) => {
          const upper = name.toUpperCase();
          return isMemberColumn(upper) ? upper : null;
        });
        if (!columns.includes('EMAIL')) throw new MemberFileError('the header has no EMAIL column');
        continue;
      }
      report.rowsRead++;
      const row: Partial<Record<MemberColumn, string>> = {};
      columns.forEach((column, index) => {
        if (column && record[index] !== undefined) row[column] = record[index];
      });
      if (!row.EMAIL || !isEmail(row.EMAIL)) {
        reject('no valid e-mail address');
        continue;
      }
      batch.push({ email: row.EMAIL, firstname: row.FIRSTNAME, lastname: row.LASTNAME, customerId: row.CUSTOMER_ID });
      if (batch.length >= BATCH) await flush();
    }
    if (!columns) throw new MemberFileError('the file is empty');
    await flush();
    return report;
  }
}

/** A file that cannot be loaded at all (no header, no EMAIL column). */
export class MemberFileError extends Error {
  constructor(reason: string) {
    super(`The member file cannot be loaded: ${reason}.`);
    this.name = 'MemberFileError';
  }
}
