import { Module, type DynamicModule } from '@nestjs/common';
import { CampaignsController } from './campaigns/campaigns.controller';
import { CampaignsService } from './campaigns/campaigns.service';
import { SegmentationConfig } from './config/segmentation.config';
import { CustomerModelController } from './customer-model/customer-model.controller';
import { CustomerModelService } from './customer-model/customer-model.service';
import { ModelQueriesService } from './customer-model/model-queries.service';
import { ExecutionService } from './nightly-run/execution.service';
import { NightlyRunService } from './nightly-run/nightly-run.service';
import { RunScheduler } from './nightly-run/run-scheduler.service';
import { RunsController } from './nightly-run/runs.controller';
import { SegmentationEventsController } from './nightly-run/segmentation-events.controller';
import { RunReportService } from './run-report/run-report.service';
import { TargetGroupsController } from './target-groups/target-groups.controller';
import { TargetGroupsService } from './target-groups/target-groups.service';

/** The customer model, target groups, campaigns, the nightly run and its report. */
@Module({})
export class SegmentationModule {
  static register(config: SegmentationConfig): DynamicModule {
    return {
      module: SegmentationModule,
      controllers: [CustomerModelController, TargetGroupsController, CampaignsController, RunsController, SegmentationEventsController],
      providers: [
        { provide: SegmentationConfig, useValue: config },
        CustomerModelService,
        ModelQueriesService,
        TargetGroupsService,
        CampaignsService,
        ExecutionService,
        NightlyRunService,
        RunScheduler,
        RunReportService,
      ],
    };
  }
}
