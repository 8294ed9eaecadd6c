import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminController } from './admin/admin.controller';
import { AdminService } from './admin/admin.service';
import { CampaignsController } from './campaigns/campaigns.controller';
import { CampaignsService } from './campaigns/campaigns.service';
import { SettingsRepository } from './clock/settings.repository';
import { SimulatorClock } from './clock/simulator-clock';
import { SmartFocusSimulatorConfig } from './config/smartfocus-simulator.config';
import { SIMULATOR_ENTITIES } from './database/data-source-options';
import { FaultsService } from './faults/faults.service';
import { BatchMemberController } from './members/batch-member.controller';
import { BatchUploadsService } from './members/batch-uploads.service';
import { MemberCsvLoader } from './members/member-csv.loader';
import { MembersController } from './members/members.controller';
import { MembersService } from './members/members.service';
import { MessagesController } from './messages/messages.controller';
import { MessagesService } from './messages/messages.service';
import { RequestBodyReader } from './protocol/request-body';
import { SmartFocusExceptionFilter } from './protocol/smartfocus-exception.filter';
import { SmartFocusInterceptor } from './protocol/smartfocus.interceptor';
import { UnknownOperationController } from './protocol/unknown-operation.controller';
import { ReportsController } from './reports/reports.controller';
import { ReportsService } from './reports/reports.service';
import { SegmentsController } from './segments/segments.controller';
import { SegmentsService } from './segments/segments.service';
import { ConnectController } from './sessions/connect.controller';
import { SessionsService } from './sessions/sessions.service';


/**
 * The SmartFocus API (sessions, messages, segments, campaigns, reports, members, batch uploads)
 * and the admin API. One module: the features share the clock, the faults and the session check.
 */
@Global()
@Module({})
export class SimulatorModule {
  static register(config: SmartFocusSimulatorConfig): DynamicModule {
    return {
      module: SimulatorModule,
      imports: [TypeOrmModule.forFeature(SIMULATOR_ENTITIES)],
      controllers: [
        ConnectController,
        MessagesController,
        SegmentsController,
        CampaignsController,
        ReportsController,
        MembersController,
        BatchMemberController,
        AdminController,
        // Last: it answers every SmartFocus path no other route took.
        UnknownOperationController,
      ],
      providers: [
        { provide: SmartFocusSimulatorConfig, useValue: config },
        SettingsRepository,
        SimulatorClock,
        FaultsService,
        SessionsService,
        SmartFocusInterceptor,
        RequestBodyReader,
        SmartFocusExceptionFilter,
        MessagesService,
        SegmentsService,
        CampaignsService,
        ReportsService,
        MembersService,
        MemberCsvLoader,
        BatchUploadsService,
        AdminService,
      ],
    };
  }
}
