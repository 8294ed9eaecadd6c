import type { Readable } from 'node:stream';
import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { SmartFocusSimulatorConfig } from '../config/smartfocus-simulator.config';
import { CampaignsService } from '../campaigns/campaigns.service';
import { SimulatorClock } from '../clock/simulator-clock';
import { NO_FAULTS, type FaultSettings } from '../faults/fault-settings';
import { FaultsService } from '../faults/faults.service';
import { MemberCsvLoader, MemberFileError, type MemberCsvReport } from '../members/member-csv.loader';
import { MembersService } from '../members/members.service';
import { MessagesService } from '../messages/messages.service';
import { campaignProfile, type CampaignProfile } from '../reports/engagement-model';
import { engagementFactor } from '../reports/engagement-sql';
import { SessionsService } from '../sessions/sessions.service';
import type { AdvanceClockDto, FaultsDto, TemplateMessageDto } from './admin.dto';

export type ClockView = { now: string; offsetMs: number; campaignsMoved: number };

/** Templates seeded when none are given: marketers pick `optimove_` ones; the others must stay hidden. */
const DEFAULT_TEMPLATES: TemplateMessageDto[] = [
  { name: 'optimove_welcome', subject: 'Welcome, [EMV FIELD]FIRSTNAME[EMV /FIELD]!', body: '[EMV HTMLPART]<html><body><h1>Welcome [EMV FIELD]FIRSTNAME[EMV /FIELD]</h1><a href="[EMV LINK]1[EMV /LINK]">Shop now</a></body></html>[EMV TEXTPART]Welcome [EMV FIELD]FIRSTNAME[EMV /FIELD]' },
  { name: 'optimove_winback', subject: 'We miss you', body: '[EMV HTMLPART]<html><body><p>Come back for 20% off.</p></body></html>[EMV TEXTPART]Come back for 20% off.' },
  { name: 'optimove_vip_thanks', subject: 'Thank you for being a VIP', body: '[EMV HTMLPART]<html><body><p>A gift for you.</p></body></html>[EMV TEXTPART]A gift for you.' },
  { name: 'newsletter_weekly', subject: 'This week', body: '[EMV HTMLPART]<html><body><p>News.</p></body></html>[EMV TEXTPART]News.' },
  { name: 'transactional_receipt', subject: 'Your receipt', body: '[EMV HTMLPART]<html><body><p>Thanks for your order.</p></body></html>[EMV TEXTPART]Thanks for your order.' },
];

/** The admin API's use cases (behind the bearer token). */
@Injectable()
export class AdminService {
  constructor(
    private readonly clock: SimulatorClock,
    private readonly campaigns: CampaignsService,
    private readonly faults: FaultsService,
    private readonly sessions: SessionsService,
    private readonly messages: MessagesService,
    private readonly members: MembersService,
    private readonly csvLoader: MemberCsvLoader,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SmartFocusSimulatorConfig) private readonly config: SmartFocusSimulatorConfig,
  ) {}

  /** Sets the engagement factor of a template message (applies to campaigns sent afterwards). */
  async setEngagementFactor(messageId: string, factor: number): Promise<{ messageId: string; factor: number }> {
    if (!/^\d{1,18}$/.test(messageId)) throw new BadRequestException('messageId must be a message id (digits)');
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO simulator.template_engagement (message_id, factor, updated_at)
       SELECT message_id, $2, $3 FROM simulator.message WHERE message_id = $1
       ON CONFLICT (message_id) DO UPDATE SET factor = EXCLUDED.factor, updated_at = EXCLUDED.updated_at
       RETURNING message_id`,
      [messageId, factor, this.clock.now()],
    );
    if (rows.length === 0) throw new NotFoundException(`No message ${messageId}`);
    return { messageId, factor };
  }

  clockView(): Omit<ClockView, 'campaignsMoved'> {
    return { now: this.clock.now().toISOString(), offsetMs: this.clock.offset() };
  }

  /** Sets the clock and moves campaigns whose send date it passed. */
  async setClock(now: string): Promise<ClockView> {
    await this.clock.set(new Date(now));
    return { ...this.clockView(), campaignsMoved: await this.campaigns.refreshDue() };
  }

  async advanceClock(by: AdvanceClockDto): Promise<ClockView> {
    const milliseconds = (by.milliseconds ?? 0) + (by.minutes ?? 0) * 60_000 + (by.hours ?? 0) * 3_600_000 + (by.days ?? 0) * 86_400_000;
    await this.clock.advance(milliseconds);
    return { ...this.clockView(), campaignsMoved: await this.campaigns.refreshDue() };
  }

  faultsView(): FaultSettings {
    return this.faults.current();
  }

  replaceFaults(dto: FaultsDto): Promise<FaultSettings> {
    const operations = Object.fromEntries(
      (dto.operations ?? []).map((faults) => [
        faults.operation,
        {
          errorRate: faults.errorRate ?? 0,
          dropRate: faults.dropRate ?? 0,
          failNext: faults.failNext ?? 0,
          dropNext: faults.dropNext ?? 0,
          latencyMs: faults.latencyMs ?? 0,
        },
      ]),
    );
    return this.faults.replace({ latencyMs: dto.latencyMs ?? 0, sessionCallCap: dto.sessionCallCap ?? null, operations });
  }

  resetFaults(): Promise<FaultSettings> {
    return this.faults.replace(NO_FAULTS);
  }

  async expireSessions(): Promise<{ expired: number }> {
    return { expired: await this.sessions.expireAll() };
  }

  async seedTemplates(templates: TemplateMessageDto[] | undefined): Promise<{ messages: { id: string; name: string }[] }> {
    const created: { id: string; name: string }[] = [];
    for (const template of templates ?? DEFAULT_TEMPLATES) {
      const id = await this.messages.create({
        name: template.name,
        subject: template.subject,
        body: template.body,
        fromName: template.fromName ?? 'Retail Co',
        fromEmail: template.fromEmail ?? 'news@retail.example',
      });
      created.push({ id, name: template.name });
    }
    return { messages: created };
  }

  /** Loads a member CSV (header line naming EMAIL, FIRSTNAME, LASTNAME, CUSTOMER_ID) streamed from the request. */
  async loadMembersCsv(source: Readable, delimiter: string): Promise<MemberCsvReport> {
    if (![',', ';', '|', '\t'].includes(delimiter)) throw new BadRequestException('delimiter must be , ; | or tab');
    try {
      return await this.csvLoader.load(source, { delimiter, columns: 'header', skipFirstLine: false });
    } catch (error) {
      if (error instanceof MemberFileError || (error instanceof Error && 'code' in error && String(error.code).startsWith('CSV_'))) {
        throw new BadRequestException(error.message);
      }
      throw error;
    }
  }

  /** The customer ids of a campaign's recipients, sorted; members without a customer id are left out. */
  async recipients(campaignId: string): Promise<{ campaignId: string; sent: boolean; customerIds: string[] }> {
    if (!/^\d{1,18}$/.test(campaignId)) throw new BadRequestException('campaignId must be a campaign id (digits)');
    const [campaign] = await this.dataSource.query<{ sent: boolean }[]>('SELECT sent_at IS NOT NULL AS sent FROM simulator.campaign WHERE campaign_id = $1', [campaignId]);
    if (!campaign) throw new NotFoundException(`No campaign ${campaignId}`);
    const rows = await this.dataSource.query<{ customer_id: string }[]>(
      `SELECT m.customer_id FROM simulator.campaign_recipient r JOIN simulator.member m USING (member_id)
       WHERE r.campaign_id = $1 AND m.customer_id IS NOT NULL ORDER BY m.customer_id`,
      [campaignId],
    );
    return { campaignId, sent: campaign.sent, customerIds: rows.map((row) => row.customer_id) };
  }

  /**
   * The rates a campaign's send follows: its own (drawn from the seed and its id, as if its
   * template message had no factor) and its template message's engagement factor now (a send
   * after a change follows the new one).
   */
  async engagement(campaignId: string): Promise<{ campaignId: string; engagementFactor: number; rates: CampaignProfile }> {
    if (!/^\d{1,18}$/.test(campaignId)) throw new BadRequestException('campaignId must be a campaign id (digits)');
    const [campaign] = await this.dataSource.query<unknown[]>('SELECT 1 FROM simulator.campaign WHERE campaign_id = $1', [campaignId]);
    if (!campaign) throw new NotFoundException(`No campaign ${campaignId}`);
    return {
      campaignId,
      engagementFactor: await engagementFactor(this.dataSource.manager, campaignId),
      rates: campaignProfile(this.config.SIMULATOR_ENGAGEMENT_SEED, campaignId),
    };
  }

  async stats(): Promise<{ members: number; openSessions: number }> {
    return { members: await this.members.count(), openSessions: await this.sessions.openCount() };
  }
}

