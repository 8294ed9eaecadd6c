import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { In, LessThanOrEqual, QueryFailedError, type DataSource, type Repository } from 'typeorm';
import { SimulatorClock } from '../clock/simulator-clock';
import { SmartFocusSimulatorConfig } from '../config/smartfocus-simulator.config';
import { MessageEntity } from '../messages/message.entity';
import { SmartFocusFault } from '../protocol/smartfocus-fault';
import { SegmentEntity } from '../segments/segment.entity';
import { SegmentsService } from '../segments/segments.service';
import { CampaignEntity } from './campaign.entity';
import { statusAt } from './campaign-status';
import { recordEngagement } from '../reports/engagement-sql';

export type NewCampaign = {
  name: string;
  description: string;
  sendDate: Date;
  messageId: string;
  segmentId: string;
  notification: boolean;
  postClickTracking: boolean;
  emaildedupflg: boolean;
};

@Injectable()
export class CampaignsService {
  constructor(
    @InjectRepository(CampaignEntity) private readonly campaigns: Repository<CampaignEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SmartFocusSimulatorConfig) private readonly config: SmartFocusSimulatorConfig,
    private readonly segments: SegmentsService,
    private readonly clock: SimulatorClock,
  ) {}

  /** Creates an EDITABLE campaign. A message serves one campaign only (MESSAGE_ALREADY_USED). */
  async create(campaign: NewCampaign): Promise<string> {
    if (!(await this.dataSource.getRepository(MessageEntity).existsBy({ id: campaign.messageId }))) {
      throw SmartFocusFault.notFound('MESSAGE', 'messageId', campaign.messageId);
    }
    if (!(await this.dataSource.getRepository(SegmentEntity).existsBy({ id: campaign.segmentId }))) {
      throw SmartFocusFault.notFound('SEGMENT', 'mailinglistId', campaign.segmentId);
    }
    const used = await this.campaigns.findOneBy({ messageId: campaign.messageId });
    if (used) throw messageAlreadyUsed(campaign.messageId, used.id);
    const now = this.clock.now();
    try {
      const saved = await this.campaigns.save(
        this.campaigns.create({ ...campaign, status: 'EDITABLE', sentAt: null, reportHighWater: null, createdAt: now, updatedAt: now }),
      );
      return saved.id;
    } catch (error) {
      // Two creates racing on one message: the unique index decides.
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') throw messageAlreadyUsed(campaign.messageId, '?');
      throw error;
    }
  }

  /** Ids of campaigns whose field equals the value, newest first (`name` only). */
  async findByField(field: string, value: string, limit: number): Promise<string[]> {
    if (field.toLowerCase() !== 'name') throw SmartFocusFault.invalid('field', `Campaigns cannot be searched by ${field}.`);
    const rows = await this.campaigns.find({ select: { id: true }, where: { name: value }, order: { id: 'DESC' }, take: limit });
    return rows.map((row) => row.id);
  }

  /** The campaign with its status brought up to the simulator's clock. */
  async get(id: string): Promise<CampaignEntity> {
    const campaign = await this.campaigns.findOneBy({ id });
    if (!campaign) throw SmartFocusFault.notFound('CAMPAIGN', 'id', id);
    return this.refresh(campaign);
  }

  async post(id: string): Promise<void> {
    const campaign = await this.get(id);
    if (campaign.status !== 'EDITABLE') {
      throw new SmartFocusFault('POST_CAMPAIGN_FAILED', `Campaign ${id} cannot be posted: its status is ${campaign.status}.`, ['id']);
    }
    // A send date already past means "send as soon as posted": the send starts at the post time,
    // so the report's figures start then too (no history is invented before the post).
    const now = this.clock.now();
    const sendDate = campaign.sendDate.getTime() < now.getTime() ? now : campaign.sendDate;
    await this.campaigns.update({ id, status: 'EDITABLE' }, { status: 'QUEUED', sendDate, updatedAt: now });
  }

  async unpost(id: string): Promise<void> {
    const campaign = await this.get(id);
    if (campaign.status !== 'QUEUED') {
      throw new SmartFocusFault('UNPOST_CAMPAIGN_FAILED', `Campaign ${id} cannot be unposted: its status is ${campaign.status}.`, ['id']);
    }
    await this.campaigns.update({ id, status: 'QUEUED' }, { status: 'EDITABLE', updatedAt: this.clock.now() });
  }

  /** Moves every due campaign (after the clock was set or advanced). Returns how many changed. */
  async refreshDue(): Promise<number> {
    const due = await this.campaigns.findBy({ status: In(['QUEUED', 'RUNNING']), sendDate: LessThanOrEqual(this.clock.now()) });
    let changed = 0;
    for (const campaign of due) {
      const before = campaign.status;
      if ((await this.refresh(campaign)).status !== before) changed++;
    }
    return changed;
  }

  async saveHighWater(id: string, counts: Record<string, number>): Promise<void> {
    await this.campaigns.update({ id }, { reportHighWater: counts });
  }

  /**
   * Applies the clock to the stored status. At the send date the recipients are frozen: the
   * members the segment selects then (one statement, guarded so that only one request does it).
   */
  private async refresh(campaign: CampaignEntity): Promise<CampaignEntity> {
    const now = this.clock.now();
    const next = statusAt(campaign.status, campaign.sendDate, now, this.config.SIMULATOR_SEND_DURATION_MINUTES * 60_000);
    if (next === campaign.status) return campaign;
    await this.dataSource.transaction(async (manager) => {
      const sending = campaign.status === 'QUEUED';
      const updated = await manager.update(CampaignEntity, { id: campaign.id, status: campaign.status }, {
        status: next,
        updatedAt: now,
        ...(sending ? { sentAt: campaign.sendDate } : {}),
      });
      if (sending && updated.affected) {
        const members = await this.segments.membersSql(manager, campaign.segmentId);
        await manager.query(
          `INSERT INTO simulator.campaign_recipient (campaign_id, member_id)
           SELECT $2, member_id FROM (${members}) selected ON CONFLICT DO NOTHING`,
          [campaign.segmentId, campaign.id],
        );
        // Each recipient's engagement, once, in the database (see reports/engagement-sql.ts).
        await recordEngagement(manager, this.config.SIMULATOR_ENGAGEMENT_SEED, campaign.id);
      }
    });
    const fresh = await this.campaigns.findOneByOrFail({ id: campaign.id });
    return fresh;
  }
}

function messageAlreadyUsed(messageId: string, campaignId: string): SmartFocusFault {
  return new SmartFocusFault('MESSAGE_ALREADY_USED', `Message ${messageId} is already used by campaign ${campaignId}; clone it for a new campaign.`, ['messageId']);
}
