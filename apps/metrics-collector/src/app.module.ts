import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceCoreModule } from '@optimove/app-runtime';
import type { Logger } from '@optimove/observability';
import type { MetricsCollectorConfig } from './config/metrics-collector.config';
import { SCHEMA, dataSourceOptions } from './database/data-source-options';

@Module({})
export class AppModule {
  static register(config: MetricsCollectorConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceCoreModule.forRoot({
          service: 'metrics-collector',
          schema: SCHEMA,
          config,
          dataSourceOptions: dataSourceOptions(config),
          logger,
        }),
      ],
    };
  }
}
