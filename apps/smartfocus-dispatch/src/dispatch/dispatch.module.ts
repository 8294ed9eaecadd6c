import { Module, type DynamicModule } from '@nestjs/common';
import { SmartFocusClientModule, smartFocusClientSettings } from '@optimove/smartfocus-client';
import { SmartFocusDispatchConfig } from '../config/smartfocus-dispatch.config';
import { MessagesController } from '../messages/messages.controller';
import { MessagesService } from '../messages/messages.service';
import { CrashPoints } from './crash-points';
import { DispatchOutcomes } from './dispatch-outcomes.service';
import { DispatchRunner } from './dispatch-runner.service';
import { DispatchWorker } from './dispatch-worker.service';
import { DispatchesController } from './dispatches.controller';
import { DispatchesRepository } from './dispatches.repository';
import { DispatchesService } from './dispatches.service';
import { IncompleteListSweep } from './incomplete-list-sweep.service';
import { ListAssemblyService } from './list-assembly.service';
import { ListsGeneratedHandler } from './lists-generated.handler';

/** Chunk assembly, the per-group state machine and its worker, the dispatch and message APIs. */
@Module({})
export class DispatchModule {
  static register(config: SmartFocusDispatchConfig): DynamicModule {
    return {
      module: DispatchModule,
      imports: [SmartFocusClientModule.forRoot({ useFactory: () => smartFocusClientSettings(config) })],
      controllers: [ListsGeneratedHandler, DispatchesController, MessagesController],
      providers: [
        { provide: SmartFocusDispatchConfig, useValue: config },
        { provide: CrashPoints, useValue: new CrashPoints(config.DISPATCH_TEST_CRASH_POINTS, config.NODE_ENV) },
        DispatchesRepository,
        DispatchOutcomes,
        ListAssemblyService,
        DispatchRunner,
        IncompleteListSweep,
        DispatchWorker,
        DispatchesService,
        MessagesService,
      ],
    };
  }
}
