import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { CLOCK, type Clock } from '@optimove/clock';
import type { ListsGeneratedV1 } from '@optimove/contracts';
import { OnEvent, type EventContext } from '@optimove/messaging';
import { DispatchWorker } from './dispatch-worker.service';
import { ListAssemblyService } from './list-assembly.service';

/**
 * `lists.generated.v1`: one chunk of one group's customer ids, stored in the event's transaction.
 * The chunk that completes a group wakes the worker once that transaction committed, so the
 * group's dispatch starts then, not at the worker's next poll.
 */
@Controller()
export class ListsGeneratedHandler {
  constructor(
    private readonly assembly: ListAssemblyService,
    private readonly worker: DispatchWorker,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @OnEvent('lists.generated.v1')
  async handle(@Payload() payload: ListsGeneratedV1, @Ctx() context: EventContext<'lists.generated.v1'>): Promise<void> {
    if (await this.assembly.receive(payload, context.manager, this.clock.now())) context.afterCommit(() => this.worker.wake());
  }
}
