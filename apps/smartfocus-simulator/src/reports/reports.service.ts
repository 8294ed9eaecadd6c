import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { SimulatorClock } from '../clock/simulator-clock';
import { SmartFocusSimulatorConfig } from '../config/smartfocus-simulator.config';
import { CampaignsService } from '../campaigns/campaigns.service';
import { ZERO_COUNTS, atLeast, engagementCounts, type EngagementCounts } from './engagement-model';

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
    const rows = await this.dataSource.query<{ id: string }[]>(`SELECT member_id::text AS id FROM simulator.campaign_recipient WHERE campaign_id = $1`, [
      campaignId,
    ]);
    const elapsedHours = (this.clock.now().getTime() - campaign.sendDate.getTime()) / 3_600_000;
    const computed = engagementCounts(this.config.SIMULATOR_ENGAGEMENT_SEED, campaignId, rows.map((row) => row.id), elapsedHours);
    const counts = atLeast(computed, campaign.reportHighWater);
    const floor = campaign.reportHighWater;
    if (!floor || (Object.keys(counts) as (keyof EngagementCounts)[]).some((key) => counts[key] !== floor[key])) {
      await this.campaigns.saveHighWater(campaignId, counts);
    }
    const endDate = campaign.status === 'COMPLETED' ? new Date(campaign.sendDate.getTime() + this.config.SIMULATOR_SEND_DURATION_MINUTES * 60_000) : null;
    return { campaignId, beginDate: campaign.sendDate, endDate, counts };
  }
}
