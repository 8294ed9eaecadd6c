import { defineService } from '@optimove/app-runtime';
import { SegmentationConfig } from './config/segmentation.config';
import { SCHEMA, dataSourceOptions } from './database/data-source-options';
import { SegmentationModule } from './segmentation.module';

/** How to run this app: `serviceEntry(env?)` loads its config (the process environment by default). */
export const serviceEntry = defineService({
  service: 'segmentation',
  schema: SCHEMA,
  description: "Customer model, target groups, campaign plans and the nightly run that generates each campaign's lists.",
  configClass: SegmentationConfig,
  dataSourceOptions,
  features: (config) => [SegmentationModule.register(config)],
});
