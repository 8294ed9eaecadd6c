import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceCoreModule } from '@optimove/app-runtime';
import { MetricsRegistry, type Logger } from '@optimove/observability';
import { AttributesController } from './attributes/attributes.controller';
import { AttributesService } from './attributes/attributes.service';
import { ProfileImportConfig } from './config/profile-import.config';
import { SCHEMA, dataSourceOptions } from './database/data-source-options';
import { ImportMetrics } from './imports/import-metrics';
import { ImportReportsService } from './imports/import-reports.service';
import { ImportRunner } from './imports/import-runner.service';
import { ImportUploadService } from './imports/import-upload.service';
import { ImportsController } from './imports/imports.controller';
import { InboxWatcher } from './inbox-watcher/inbox-watcher.service';

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
      controllers: [ImportsController, AttributesController],
      providers: [
        { provide: ProfileImportConfig, useValue: config },
        { provide: ImportMetrics, inject: [MetricsRegistry], useFactory: (metrics: MetricsRegistry) => new ImportMetrics(metrics) },
        ImportRunner,
        ImportUploadService,
        ImportReportsService,
        AttributesService,
        InboxWatcher,
      ],
    };
  }
}
