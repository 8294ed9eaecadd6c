import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom, type CopyStreamQuery } from 'pg-copy-streams';
import type { QueryRunner } from 'typeorm';
import type { DatasetDefinition } from '../datasets/dataset-definitions';
import { stagingColumns } from './pipeline/apply-sql';
import type { CsvStagingParser, Rejection } from './pipeline/csv-staging-parser';

/**
 * The staging table of one import: UNLOGGED (no WAL for the bulk copy) and created inside the
 * import's transaction, so a rollback or a crash leaves nothing behind; dropped before commit.
 * Rows arrive by COPY from the parser's output, numbered in COPY order (`ordinal`).
 */
export class StagingTable {
  readonly name: string;
  private copy: CopyStreamQuery | undefined;

  constructor(
    importId: string,
    private readonly queryRunner: QueryRunner,
    private readonly client: PoolClient,
  ) {
    this.name = `profiles.staging_${importId.replace(/-/g, '')}`;
  }

  /** Sends the parser's output so far; creates the table and starts COPY once the header is known. */
  async write(parser: CsvStagingParser): Promise<void> {
    if (!this.copy) {
      if (!parser.plan) return;
      const columns = stagingColumns(parser.plan);
      await this.queryRunner.query(`CREATE UNLOGGED TABLE ${this.name} (ordinal bigint GENERATED ALWAYS AS IDENTITY, ${columns.map((column) => `${column} text`).join(', ')})`);
      const delimiter = parser.delimiter === '\t' ? `E'\\t'` : `'${parser.delimiter}'`;
      this.copy = this.client.query(copyFrom(`COPY ${this.name} (${columns.join(', ')}) FROM STDIN WITH (FORMAT csv, DELIMITER ${delimiter}, ENCODING 'UTF8')`));
    }
    for (const buffer of parser.takeOutput()) {
      if (!this.copy.write(buffer)) await once(this.copy, 'drain');
    }
  }

  /** Ends the COPY and waits until PostgreSQL has taken every row. */
  async endCopy(): Promise<void> {
    if (!this.copy) return;
    this.copy.end();
    await finished(this.copy);
  }

  /** Cancels a COPY in progress (CopyFail), so the connection can roll the transaction back. */
  async abortCopy(reason: unknown): Promise<void> {
    if (!this.copy || this.copy.destroyed) return;
    this.copy.destroy(reason instanceof Error ? reason : new Error(String(reason)));
    await finished(this.copy).catch(() => undefined);
  }

  /**
   * Confirms the parser's duplicate candidates: every row after the first with the same key is
   * removed and returned as a rejection (without the key: an id may be anything), with the lines
   * it spanned. Scans the whole table instead when the parser had too
   * many candidates to keep.
   */
  async removeDuplicates(parser: CsvStagingParser, dataset: DatasetDefinition): Promise<(Rejection & { lines: number })[]> {
    const filter = parser.duplicates;
    if (!filter.overflow && filter.candidates.size === 0) return [];
    const position = parser.plan!.fields.findIndex((field) => field.target === dataset.key && !field.isAttribute);
    const keyColumn = `c${position}`;
    const where = filter.overflow ? '' : `WHERE ${keyColumn} = ANY($1::text[])`;
    const deleted = (await this.queryRunner.query(
      `WITH ranked AS (
         SELECT ordinal, ${keyColumn} AS key, min(ordinal) OVER (PARTITION BY ${keyColumn}) AS first FROM ${this.name} ${where}
       )
       DELETE FROM ${this.name} s USING ranked r
       WHERE s.ordinal = r.ordinal AND r.ordinal <> r.first
       RETURNING r.ordinal, r.first`,
      filter.overflow ? [] : [[...filter.candidates.keys()]],
      true,
    )) as { records: { ordinal: string; first: string }[] };
    return deleted.records
      .map((row) => ({
        line: parser.lineOf(Number(row.ordinal)),
        column: parser.plan!.fields[position].header,
        reason: `duplicate ${dataset.key}: first seen on line ${parser.lineOf(Number(row.first))}`,
        value: null,
        lines: parser.linesOf(Number(row.ordinal)),
      }))
      .sort((a, b) => a.line - b.line);
  }

  async drop(): Promise<void> {
    await this.queryRunner.query(`DROP TABLE IF EXISTS ${this.name}`);
  }
}
