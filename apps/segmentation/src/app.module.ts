import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceCoreModule } from '@optimove/app-runtime';
import type { Logger } from '@optimove/observability';
import type { SegmentationConfig } from './config/segmentation.config';
import { SCHEMA, dataSourceOptions } from './database/data-source-options';

@Module({})
export class AppModule {
  static register(config: SegmentationConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceCoreModule.forRoot({
          service: 'segmentation',
          schema: SCHEMA,
          config,
          dataSourceOptions: dataSourceOptions(config),
          logger,
        }),
      ],
    };
  }
}
