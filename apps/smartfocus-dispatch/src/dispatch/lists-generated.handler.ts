import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { CLOCK, type Clock } from '@optimove/clock';
import type { ListsGeneratedV1 } from '@optimove/contracts';
import { OnEvent, type EventContext } from '@optimove/messaging';
import { ListAssemblyService } from './list-assembly.service';

/** `lists.generated.v1`: one chunk of one group's customer ids, stored in the event's transaction. */
@Controller()
export class ListsGeneratedHandler {
  constructor(
    private readonly assembly: ListAssemblyService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @OnEvent('lists.generated.v1')
  async handle(@Payload() payload: ListsGeneratedV1, @Ctx() context: EventContext<'lists.generated.v1'>): Promise<void> {
    await this.assembly.receive(payload, context.manager, this.clock.now());
  }
}
