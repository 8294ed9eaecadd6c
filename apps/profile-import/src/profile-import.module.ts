import { Module, type DynamicModule } from '@nestjs/common';
import { MetricsRegistry } from '@optimove/observability';
import { AttributesController } from './attributes/attributes.controller';
import { AttributesService } from './attributes/attributes.service';
import { ProfileImportConfig } from './config/profile-import.config';
import { ImportMetrics } from './imports/import-metrics';
import { ImportReportsService } from './imports/import-reports.service';
import { ImportRunner } from './imports/import-runner.service';
import { ImportUploadService } from './imports/import-upload.service';
import { ImportsController } from './imports/imports.controller';
import { InboxWatcher } from './inbox-watcher/inbox-watcher.service';
import { ImportRecovery } from './recovery/import-recovery.service';

/** Imports (upload, inbox, reports) and the attribute catalogue. */
@Module({})
export class ProfileImportModule {
  static register(config: ProfileImportConfig): DynamicModule {
    return {
      module: ProfileImportModule,
      controllers: [ImportsController, AttributesController],
      providers: [
        { provide: ProfileImportConfig, useValue: config },
        { provide: ImportMetrics, inject: [MetricsRegistry], useFactory: (metrics: MetricsRegistry) => new ImportMetrics(metrics) },
        ImportRunner,
        ImportUploadService,
        ImportReportsService,
        AttributesService,
        ImportRecovery,
        InboxWatcher,
      ],
    };
  }
}
