import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceCoreModule } from '@optimove/app-runtime';
import type { Logger } from '@optimove/observability';
import type { SmartFocusSimulatorConfig } from './config/smartfocus-simulator.config';
import { SCHEMA, dataSourceOptions } from './database/data-source-options';
import { SimulatorModule } from './simulator.module';

@Module({})
export class AppModule {
  static register(config: SmartFocusSimulatorConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceCoreModule.forRoot({
          service: 'smartfocus-simulator',
          schema: SCHEMA,
          config,
          dataSourceOptions: dataSourceOptions(config),
          logger,
          messaging: false,
        }),
        SimulatorModule.register(config),
      ],
    };
  }
}
