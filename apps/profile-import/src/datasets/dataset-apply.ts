import type { QueryRunner } from 'typeorm';
import type { Logger } from '@optimove/observability';
import type { HeaderPlan } from '../imports/pipeline/header-plan';

/** What an apply gets: the import's transaction, the staged columns and the staging table. */
export type ApplyContext = {
  queryRunner: QueryRunner;
  plan: HeaderPlan;
  /** Qualified name of the staging table (`ordinal`, then c0..cN-1 as text). */
  staging: string;
  importId: string;
  now: Date;
  logger: Logger;
};

export type ApplyCounts = { inserted: number; updated: number };

/**
 * How a dataset's checked, de-duplicated staged rows reach its profiles table, inside the import's
 * transaction (the dataset's advisory lock is held). Each dataset definition carries one.
 */
export interface DatasetApply {
  apply(context: ApplyContext): Promise<ApplyCounts>;
}
