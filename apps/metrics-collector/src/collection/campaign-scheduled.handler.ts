import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { CLOCK, type Clock } from '@optimove/clock';
import type { CampaignScheduledV1 } from '@optimove/contracts';
import { OnEvent, type EventContext } from '@optimove/messaging';
import { CollectionScheduleService } from './collection-schedule.service';

@Controller()
export class CampaignScheduledHandler {
  constructor(
    private readonly schedule: CollectionScheduleService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @OnEvent('campaign.scheduled.v1')
  async onCampaignScheduled(@Payload() payload: CampaignScheduledV1, @Ctx() context: EventContext<'campaign.scheduled.v1'>): Promise<void> {
    await this.schedule.plan(payload, context.manager, this.clock.now());
  }
}
