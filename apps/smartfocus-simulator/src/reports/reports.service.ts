import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { SimulatorClock } from '../clock/simulator-clock';
import { SmartFocusSimulatorConfig } from '../config/smartfocus-simulator.config';
import { CampaignsService } from '../campaigns/campaigns.service';
import { ZERO_COUNTS, atLeast, type EngagementCounts } from './engagement-model';
import { engagementAt, recordEngagement } from './engagement-sql';

export type Snapshot = { campaignId: string; beginDate: Date | null; endDate: Date | null; counts: EngagementCounts };

@Injectable()
export class ReportsService {
  constructor(
    private readonly campaigns: CampaignsService,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SmartFocusSimulatorConfig) private readonly config: SmartFocusSimulatorConfig,
    private readonly clock: SimulatorClock,
  ) {}

  /** The campaign's snapshot at the simulator's clock; zeros before it is sent. */
  async snapshot(campaignId: string): Promise<Snapshot> {
    const campaign = await this.campaigns.get(campaignId);
    if (!campaign.sentAt) return { campaignId, beginDate: null, endDate: null, counts: ZERO_COUNTS };
    // Engagement is recorded in SQL when the campaign is sent; a campaign sent before that existed gets it now.
    const elapsedMinutes = (this.clock.now().getTime() - campaign.sendDate.getTime()) / 60_000;
    let { counts: computed, recorded } = await engagementAt(this.dataSource.manager, campaignId, elapsedMinutes);
    if (!recorded) {
      await this.dataSource.transaction((manager) => recordEngagement(manager, this.config.SIMULATOR_ENGAGEMENT_SEED, campaignId));
      ({ counts: computed, recorded } = await engagementAt(this.dataSource.manager, campaignId, elapsedMinutes));
    }
    if (elapsedMinutes < 0) computed = ZERO_COUNTS;
    const counts = atLeast(computed, campaign.reportHighWater);
    const floor = campaign.reportHighWater;
    if (!floor || (Object.keys(counts) as (keyof EngagementCounts)[]).some((key) => counts[key] !== floor[key])) {
      await this.campaigns.saveHighWater(campaignId, counts);
    }
    const endDate = campaign.status === 'COMPLETED' ? new Date(campaign.sendDate.getTime() + this.config.SIMULATOR_SEND_DURATION_MINUTES * 60_000) : null;
    return { campaignId, beginDate: campaign.sendDate, endDate, counts };
  }
}
