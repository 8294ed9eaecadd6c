import type { DataSourceOptions } from 'typeorm';
import { serviceDataSourceOptions } from '@optimove/database';
import type { SmartFocusSimulatorConfig } from '../config/smartfocus-simulator.config';
import { CampaignEntity, CampaignRecipientEntity } from '../campaigns/campaign.entity';
import { SettingEntity } from '../clock/setting.entity';
import { MemberJobEntity } from '../members/member-job.entity';
import { MemberUploadEntity } from '../members/member-upload.entity';
import { MemberEntity } from '../members/member.entity';
import { MessageEntity } from '../messages/message.entity';
import { SegmentCriterionEntity, SegmentCriterionValueEntity } from '../segments/segment-criterion.entity';
import { SegmentEntity } from '../segments/segment.entity';
import { SessionEntity } from '../sessions/session.entity';
import { SimulatorTables1764200000000 } from './migrations/1764200000000-simulator-tables';
import { EngagementTables1764490000000 } from './migrations/1764490000000-engagement-tables';

/** The app's own schema. Wire name (views and other apps' docs refer to it): do not rename. */
export const SCHEMA = 'simulator';

/** Every entity of the simulator's schema. */
export const SIMULATOR_ENTITIES = [
  SettingEntity,
  SessionEntity,
  MessageEntity,
  SegmentEntity,
  SegmentCriterionEntity,
  SegmentCriterionValueEntity,
  CampaignEntity,
  CampaignRecipientEntity,
  MemberEntity,
  MemberJobEntity,
  MemberUploadEntity,
];

/** Every entity and migration of the app, listed explicitly (no globs). */
export function dataSourceOptions(config: SmartFocusSimulatorConfig): DataSourceOptions {
  return serviceDataSourceOptions({
    url: config.DATABASE_URL,
    schema: SCHEMA,
    applicationName: 'smartfocus-simulator',
    poolSize: config.DATABASE_POOL_SIZE,
    entities: SIMULATOR_ENTITIES,
    migrations: [SimulatorTables1764200000000, EngagementTables1764490000000],
  });
}
