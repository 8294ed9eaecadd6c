import type { DataSourceOptions } from 'typeorm';
import { serviceDataSourceOptions } from '@optimove/database';
import type { SegmentationConfig } from '../config/segmentation.config';
import { MessagingTables1764194400000 } from './migrations/1764194400000-messaging-tables';
import { SegmentationTables1764300000000 } from './migrations/1764300000000-segmentation-tables';
import { HoldsReadSetWise1764500000000 } from './migrations/1764500000000-holds-read-set-wise';
import { ModelHotUpdates1764500100000 } from './migrations/1764500100000-model-hot-updates';
import { LedgerBlockIndex1764500200000 } from './migrations/1764500200000-ledger-block-index';
import { UnitHashInFloat1764500300000 } from './migrations/1764500300000-unit-hash-in-float';
import { SumCentsAggregate1764600000000 } from './migrations/1764600000000-sum-cents-aggregate';
import { HistoryClosedRowsIndex1764600100000 } from './migrations/1764600100000-history-closed-rows-index';
import { UnitHashFromHashtext1764700000000 } from './migrations/1764700000000-unit-hash-from-hashtext';
import { LedgerInChunks1764700100000 } from './migrations/1764700100000-ledger-in-chunks';
import { IsDayFunction1764800000000 } from './migrations/1764800000000-is-day-function';

/** The app's own schema. Wire name (views and other apps' docs refer to it): do not rename. */
export const SCHEMA = 'segmentation';

/** Every entity and migration of the app, listed explicitly (no globs). */
export function dataSourceOptions(config: SegmentationConfig): DataSourceOptions {
  return serviceDataSourceOptions({
    url: config.DATABASE_URL,
    schema: SCHEMA,
    applicationName: 'segmentation',
    poolSize: config.DATABASE_POOL_SIZE,
    entities: [],
    migrations: [
      MessagingTables1764194400000,
      SegmentationTables1764300000000,
      HoldsReadSetWise1764500000000,
      ModelHotUpdates1764500100000,
      LedgerBlockIndex1764500200000,
      UnitHashInFloat1764500300000,
      SumCentsAggregate1764600000000,
      HistoryClosedRowsIndex1764600100000,
      UnitHashFromHashtext1764700000000,
      LedgerInChunks1764700100000,
      IsDayFunction1764800000000,
    ],
  });
}
