import { Get, Param } from '@nestjs/common';
import { parseId } from '../protocol/parameters';
import { SmartFocusApi, SmartFocusOperation } from '../protocol/smartfocus-operation.decorator';
import { result, type SmartFocusResult } from '../protocol/xml-response';
import { ReportsService } from './reports.service';

/** The campaign snapshot (reference §7.1, path [R] with its aliases). */
@SmartFocusApi('apiccmd')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get([
    'campaign/getCampaignSnapshotReport/:token/:id',
    'campaign/getCampaignSnapshot/:token/:id',
    'campaign/getSnapshotReport/:token/:id',
  ])
  @SmartFocusOperation('campaign/getCampaignSnapshotReport')
  async snapshot(@Param('id') id: string): Promise<SmartFocusResult> {
    const snapshot = await this.reports.snapshot(parseId(id, 'id'));
    return result.element('apiCampaignSnapshot', {
      campaignId: snapshot.campaignId,
      beginDate: snapshot.beginDate ?? undefined,
      endDate: snapshot.endDate ?? undefined,
      ...snapshot.counts,
    });
  }
}
