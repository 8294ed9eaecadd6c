import { Controller, Inject } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { CLOCK, type Clock } from '@optimove/clock';
import type { CampaignDispatchFailedV1 } from '@optimove/contracts';
import { OnEvent, type EventContext } from '@optimove/messaging';
import { DispatchFailureService } from './dispatch-failure.service';

@Controller()
export class CampaignDispatchFailedHandler {
  constructor(
    private readonly failures: DispatchFailureService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @OnEvent('campaign.dispatch-failed.v1')
  async onCampaignDispatchFailed(@Payload() payload: CampaignDispatchFailedV1, @Ctx() context: EventContext<'campaign.dispatch-failed.v1'>): Promise<void> {
    await this.failures.record(payload, context.manager, this.clock.now());
  }
}
