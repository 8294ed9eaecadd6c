import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceCoreModule } from '@optimove/app-runtime';
import type { Logger } from '@optimove/observability';
import type { ProfileImportConfig } from './config/profile-import.config';
import { SCHEMA, dataSourceOptions } from './database/data-source-options';

@Module({})
export class AppModule {
  static register(config: ProfileImportConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceCoreModule.forRoot({
          service: 'profile-import',
          schema: SCHEMA,
          config,
          dataSourceOptions: dataSourceOptions(config),
          logger,
        }),
      ],
    };
  }
}
