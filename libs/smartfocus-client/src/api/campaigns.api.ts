import type { Logger } from '@optimove/observability';
import type { SmartFocusCaller } from '../http/smartfocus-caller';
import { pathOf } from '../http/smartfocus-caller';
import { formatZonedWallTime } from '@optimove/clock';
import { EMPTY_SEGMENT_STATUS, SmartFocusEmptySegmentError, SmartFocusError } from '../errors/smartfocus-errors';
import type { SegmentsApi } from './segments.api';
import { snapshotRates } from '../reports/snapshot-rates';
import type { Campaign, CampaignSnapshot, CampaignStatus, CreatedCampaign, NewCampaign } from '../types';
import { decodeBoolean, decodeCampaign, decodeCampaignStatus, decodeId, decodeIdList, decodeSnapshot } from '../xml/decoders';

/** `yyyy-MM-dd HH:mm:ss` on the wall clock of the account's time zone: CCMD reads dates without an offset. */
export function formatSendDate(date: Date, timeZone: string): string {
  return formatZonedWallTime(date, timeZone);
}

/** Campaigns and their snapshot report on `apiccmd`. */
export class CampaignsApi {
  constructor(
    private readonly caller: SmartFocusCaller,
    private readonly logger: Logger,
    private readonly segments: SegmentsApi,
    /** Send dates are written, and dates without an offset read, in this zone (SMARTFOCUS_TIME_ZONE). */
    private readonly timeZone: string,
  ) {}

  /**
   * Creates the campaign unless one of that name exists (`campaign/create` is not idempotent).
   * It is never retried blindly: after a transient failure the name is looked up again, and the
   * error is rethrown only when no campaign of that name was made. A segment without criteria
   * selects every member, so a campaign on one is refused (`SmartFocusEmptySegmentError`).
   */
  async create(campaign: NewCampaign): Promise<CreatedCampaign> {
    const existing = await this.findByName(campaign.name);
    if (existing !== undefined) {
      this.logger.info({ campaignId: existing }, 'SmartFocus campaign already exists; not creating it again');
      return { id: existing, created: false };
    }
    if (!(await this.segments.hasCriteria(campaign.segmentId))) {
      throw new SmartFocusEmptySegmentError(`segment ${campaign.segmentId} has no criteria: it would select every member`, {
        operation: 'campaign/create',
        status: EMPTY_SEGMENT_STATUS,
        fields: ['mailingListId'],
      });
    }
    try {
      const id = await this.caller.call(
        {
          module: 'apiccmd',
          operation: 'campaign/create',
          method: 'GET',
          // The 9-segment path form proven in production (reference §6.2).
          path: (token) =>
            pathOf(
              'campaign',
              'create',
              token,
              campaign.name,
              campaign.description || campaign.name,
              formatSendDate(campaign.sendDate, this.timeZone),
              campaign.messageId,
              campaign.segmentId,
              campaign.notification ?? false,
              campaign.postClickTracking ?? false,
              campaign.emailDedup ?? true,
            ),
          retryTransient: false,
        },
        decodeId,
      );
      return { id, created: true };
    } catch (error) {
      if (!(error instanceof SmartFocusError) || !error.retryable) throw error;
      // The request may have reached SmartFocus before the failure: find out rather than guess.
      // If even the lookup fails, the original error stands (the caller looks up before retrying).
      const landed = await this.findByName(campaign.name).catch(() => undefined);
      if (landed === undefined) throw error;
      this.logger.info({ campaignId: landed }, 'SmartFocus campaign was created despite the failed answer');
      return { id: landed, created: true };
    }
  }

  /** The newest campaign with exactly this name, if any (`campaign/getCampaignsByField/{token}/name/{name}/{limit}`). */
  async findByName(name: string): Promise<number | undefined> {
    const ids = await this.caller.get('apiccmd', 'campaign/getCampaignsByField', (token) => pathOf('campaign', 'getCampaignsByField', token, 'name', name, 10), decodeIdList);
    return ids.length ? Math.max(...ids) : undefined;
  }

  /** Validates and queues the campaign for its send date (EDITABLE -> QUEUED). */
  post(id: number): Promise<boolean> {
    return this.lifecycle('post', id);
  }

  /** Takes a queued campaign back to EDITABLE (only before its send date). */
  unpost(id: number): Promise<boolean> {
    return this.lifecycle('unpost', id);
  }

  get(id: number): Promise<Campaign> {
    return this.caller.get('apiccmd', 'campaign/get', (token) => pathOf('campaign', 'get', token, id), (body) => decodeCampaign(body, this.timeZone));
  }

  status(id: number): Promise<CampaignStatus> {
    return this.caller.get('apiccmd', 'campaign/getStatus', (token) => pathOf('campaign', 'getStatus', token, id), decodeCampaignStatus);
  }

  /** The campaign's counts so far, with the rates computed from them. */
  async snapshot(id: number): Promise<CampaignSnapshot> {
    const report = await this.caller.get('apiccmd', 'campaign/getCampaignSnapshotReport', (token) => pathOf('campaign', 'getCampaignSnapshotReport', token, id), (body) => decodeSnapshot(body, this.timeZone));
    return { ...report, rates: snapshotRates(report.counts) };
  }

  // Posting twice fails the second time (not EDITABLE): a retry after a lost answer surfaces as a
  // validation error the caller can check with `status`.
  private lifecycle(action: 'post' | 'unpost', id: number): Promise<boolean> {
    return this.caller.get('apiccmd', `campaign/${action}`, (token) => pathOf('campaign', action, token, id), decodeBoolean);
  }
}
