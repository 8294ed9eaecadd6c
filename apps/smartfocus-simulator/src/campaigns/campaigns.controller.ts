import { Get, Inject, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { SmartFocusSimulatorConfig } from '../config/smartfocus-simulator.config';
import { parseFlag, parseId, parseInputDate, parseLimit, requireText } from '../protocol/parameters';
import { RequestBodyReader, xmlText } from '../protocol/request-body';
import { SmartFocusApi, SmartFocusOperation } from '../protocol/smartfocus-operation.decorator';
import { result, type SmartFocusResult } from '../protocol/xml-response';
import type { CampaignEntity } from './campaign.entity';
import { CampaignsService } from './campaigns.service';

/** Campaigns on apiccmd (reference §6). Paths marked [R] in the reference have their aliases too. */
@SmartFocusApi('apiccmd')
export class CampaignsController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly body: RequestBodyReader,
    @Inject(SmartFocusSimulatorConfig) private readonly config: SmartFocusSimulatorConfig,
  ) {}

  /** The 9-segment path form proven in production. */
  @Get([
    'campaign/create/:token/:name/:desc/:sendDate/:messageId/:mailingListId/:notification/:postClickTracking/:emaildedupflg',
    'campaign/createWithAnalytics/:token/:name/:desc/:sendDate/:messageId/:mailingListId/:notification/:postClickTracking/:emaildedupflg',
    'campaign/createCampaignWithAnalytics/:token/:name/:desc/:sendDate/:messageId/:mailingListId/:notification/:postClickTracking/:emaildedupflg',
  ])
  @SmartFocusOperation('campaign/create')
  async create(@Param() params: Record<string, string>): Promise<SmartFocusResult> {
    const id = await this.campaigns.create({
      name: requireText(params['name'], 'name'),
      description: params['desc'] ?? '',
      sendDate: parseInputDate(params['sendDate'], 'sendDate', this.config.SIMULATOR_TIME_ZONE),
      messageId: parseId(params['messageId'], 'messageId'),
      segmentId: parseId(params['mailingListId'], 'mailingListId'),
      notification: parseFlag(params['notification'], 'notification'),
      postClickTracking: parseFlag(params['postClickTracking'], 'postClickTracking'),
      emaildedupflg: parseFlag(params['emaildedupflg'], 'emaildedupflg'),
    });
    return result.long(id);
  }

  /** The object form: `<campaign>` with `mailinglistId` or `mailingListId`. */
  @Post('campaign/create/:token')
  @SmartFocusOperation('campaign/create')
  async createFromObject(@Req() request: Request): Promise<SmartFocusResult> {
    const campaign = await this.body.xml(request, ['campaign', 'apiCampaign']);
    const flag = (name: string, fallback: boolean): boolean => {
      const text = xmlText(campaign, name);
      return text === undefined ? fallback : parseFlag(text, name);
    };
    const id = await this.campaigns.create({
      name: requireText(xmlText(campaign, 'name'), 'name'),
      description: xmlText(campaign, 'description') ?? '',
      sendDate: parseInputDate(xmlText(campaign, 'sendDate'), 'sendDate', this.config.SIMULATOR_TIME_ZONE),
      messageId: parseId(xmlText(campaign, 'messageId'), 'messageId'),
      segmentId: parseId(xmlText(campaign, 'mailinglistId') ?? xmlText(campaign, 'mailingListId'), 'mailinglistId'),
      notification: flag('notification', false),
      postClickTracking: flag('postClickTracking', false),
      emaildedupflg: flag('emaildedupflg', true),
    });
    return result.long(id);
  }

  @Get('campaign/getCampaignsByField/:token/:field/:value/:limit')
  @SmartFocusOperation('campaign/getCampaignsByField')
  async byField(@Param('field') field: string, @Param('value') value: string, @Param('limit') limit: string): Promise<SmartFocusResult> {
    return result.ids(await this.campaigns.findByField(field, value, parseLimit(limit, 'limit')));
  }

  @Get('campaign/post/:token/:id')
  @SmartFocusOperation('campaign/post')
  async post(@Param('id') id: string): Promise<SmartFocusResult> {
    await this.campaigns.post(parseId(id, 'id'));
    return result.boolean(true);
  }

  @Get('campaign/unpost/:token/:id')
  @SmartFocusOperation('campaign/unpost')
  async unpost(@Param('id') id: string): Promise<SmartFocusResult> {
    await this.campaigns.unpost(parseId(id, 'id'));
    return result.boolean(true);
  }

  @Get(['campaign/get/:token/:id', 'campaign/getCampaign/:token/:id'])
  @SmartFocusOperation('campaign/get')
  async get(@Param('id') id: string): Promise<SmartFocusResult> {
    return result.element('apiCampaign', campaignXml(await this.campaigns.get(parseId(id, 'id'))));
  }

  @Get(['campaign/getStatus/:token/:id', 'campaign/getCampaignStatus/:token/:id'])
  @SmartFocusOperation('campaign/getStatus')
  async status(@Param('id') id: string): Promise<SmartFocusResult> {
    return result.string((await this.campaigns.get(parseId(id, 'id'))).status);
  }
}

function campaignXml(campaign: CampaignEntity): Record<string, string | boolean | Date> {
  return {
    id: campaign.id,
    name: campaign.name,
    description: campaign.description,
    messageId: campaign.messageId,
    mailinglistId: campaign.segmentId,
    sendDate: campaign.sendDate,
    status: campaign.status,
    notification: campaign.notification,
    postClickTracking: campaign.postClickTracking,
    emaildedupflg: campaign.emaildedupflg,
  };
}
