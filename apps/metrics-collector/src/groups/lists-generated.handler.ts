import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { CLOCK, type Clock } from '@optimove/clock';
import type { ListsGeneratedV1 } from '@optimove/contracts';
import { OnEvent, type EventContext } from '@optimove/messaging';
import { GroupMembershipService } from './group-membership.service';

@Controller()
export class ListsGeneratedHandler {
  constructor(
    private readonly groups: GroupMembershipService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @OnEvent('lists.generated.v1')
  async onListsGenerated(@Payload() payload: ListsGeneratedV1, @Ctx() context: EventContext<'lists.generated.v1'>): Promise<void> {
    await this.groups.recordChunk(payload, context.manager, this.clock.now());
  }
}
