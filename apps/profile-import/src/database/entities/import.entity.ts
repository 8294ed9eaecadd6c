import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ProfileDataset } from '@optimove/contracts';

export const IMPORT_STATUSES = ['running', 'applied', 'unchanged', 'refused', 'failed', 'interrupted'] as const;
/**
 * running; applied (loaded); unchanged (same file as an applied import); refused (whole file
 * invalid); failed (too many bad rows, an upload cut off, an error); interrupted (the process
 * stopped during the import: found `running` at the next start, nothing applied).
 */
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export const IMPORT_CHANNELS = ['upload', 'inbox', 'cli'] as const;
export type ImportChannel = (typeof IMPORT_CHANNELS)[number];

// bigint columns come back from pg as strings; these counts stay far below 2^53.
const count = { type: 'bigint', transformer: { to: (value: number) => value, from: (value: string) => Number(value) } } as const;

/** One file import and its report. */
@Entity({ schema: 'profiles', name: 'imports' })
@Index('imports_dataset_started_idx', ['dataset', 'startedAt'])
export class ImportEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  dataset!: ProfileDataset;

  @Column('text')
  channel!: ImportChannel;

  @Column('text', { name: 'file_name' })
  fileName!: string;

  @Column('date', { name: 'as_of_date' })
  asOfDate!: string;

  @Column('text')
  status!: ImportStatus;

  @Column('text', { nullable: true })
  message!: string | null;

  @Column('boolean')
  forced!: boolean;

  @Column('char', { length: 64, nullable: true })
  checksum!: string | null;

  @Column('uuid', { name: 'same_as_import_id', nullable: true })
  sameAsImportId!: string | null;

  @Column('boolean', { nullable: true })
  compressed!: boolean | null;

  @Column('text', { nullable: true })
  delimiter!: string | null;

  @Column({ ...count, nullable: true })
  bytes!: number | null;

  @Column({ ...count, name: 'rows_read' })
  rowsRead!: number;

  @Column({ ...count, name: 'rows_loaded' })
  rowsLoaded!: number;

  @Column({ ...count, name: 'rows_rejected' })
  rowsRejected!: number;

  @Column({ ...count, name: 'rows_inserted' })
  rowsInserted!: number;

  @Column({ ...count, name: 'rows_updated' })
  rowsUpdated!: number;

  @Column({ ...count, name: 'rows_unchanged' })
  rowsUnchanged!: number;

  /** Physical lines of the file (a record with quoted line breaks spans several): total = header + blank + loaded + rejected. */
  @Column({ ...count, name: 'lines_total' })
  linesTotal!: number;

  @Column({ ...count, name: 'lines_header' })
  linesHeader!: number;

  @Column({ ...count, name: 'lines_blank' })
  linesBlank!: number;

  @Column({ ...count, name: 'lines_loaded' })
  linesLoaded!: number;

  @Column({ ...count, name: 'lines_rejected' })
  linesRejected!: number;

  @Column('text', { name: 'dropped_columns', array: true })
  droppedColumns!: string[];

  @Column('text', { name: 'ignored_columns', array: true })
  ignoredColumns!: string[];

  @Column('boolean')
  suspicious!: boolean;

  @Column('text', { name: 'volume_check', nullable: true })
  volumeCheck!: string | null;

  @Column('timestamptz', { name: 'started_at' })
  startedAt!: Date;

  @Column('timestamptz', { name: 'parsed_at', nullable: true })
  parsedAt!: Date | null;

  @Column('timestamptz', { name: 'finished_at', nullable: true })
  finishedAt!: Date | null;
}
