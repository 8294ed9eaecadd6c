import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceCoreModule } from '@optimove/app-runtime';
import type { Logger } from '@optimove/observability';
import type { SmartFocusDispatchConfig } from './config/smartfocus-dispatch.config';
import { SCHEMA, dataSourceOptions } from './database/data-source-options';

@Module({})
export class AppModule {
  static register(config: SmartFocusDispatchConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceCoreModule.forRoot({
          service: 'smartfocus-dispatch',
          schema: SCHEMA,
          config,
          dataSourceOptions: dataSourceOptions(config),
          logger,
        }),
      ],
    };
  }
}
