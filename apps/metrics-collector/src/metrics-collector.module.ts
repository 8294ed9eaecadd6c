import { Module, type DynamicModule } from '@nestjs/common';
import { SmartFocusClientModule, smartFocusClientSettings } from '@optimove/smartfocus-client';
import { AnalysisController } from './analysis/analysis.controller';
import { AnalysisService } from './analysis/analysis.service';
import { CampaignDispatchFailedHandler } from './collection/campaign-dispatch-failed.handler';
import { CampaignScheduledHandler } from './collection/campaign-scheduled.handler';
import { CollectionPoller } from './collection/collection-poller.service';
import { CollectionScheduleService } from './collection/collection-schedule.service';
import { CollectionController } from './collection/collection.controller';
import { CollectionService } from './collection/collection.service';
import { DispatchFailureService } from './collection/dispatch-failure.service';
import { MetricsCollectorConfig } from './config/metrics-collector.config';
import { GroupMembershipService } from './groups/group-membership.service';
import { ListsGeneratedHandler } from './groups/lists-generated.handler';

/** Group membership, snapshot collection and the campaign analysis. */
@Module({})
export class MetricsCollectorModule {
  static register(config: MetricsCollectorConfig): DynamicModule {
    return {
      module: MetricsCollectorModule,
      imports: [SmartFocusClientModule.forRoot({ useFactory: () => smartFocusClientSettings(config) })],
      controllers: [ListsGeneratedHandler, CampaignScheduledHandler, CampaignDispatchFailedHandler, CollectionController, AnalysisController],
      providers: [
        { provide: MetricsCollectorConfig, useValue: config },
        GroupMembershipService,
        CollectionScheduleService,
        DispatchFailureService,
        CollectionPoller,
        CollectionService,
        AnalysisService,
      ],
    };
  }
}
