import { Delete, Get, Param, Put, Req } from '@nestjs/common';
import type { Request } from 'express';
import { parseId, parseLimit, requireText } from '../protocol/parameters';
import { RequestBodyReader, xmlList, xmlText } from '../protocol/request-body';
import { SmartFocusFault } from '../protocol/smartfocus-fault';
import { SmartFocusApi, SmartFocusOperation } from '../protocol/smartfocus-operation.decorator';
import { result, type SmartFocusResult } from '../protocol/xml-response';
import type { SegmentEntity } from './segment.entity';
import { SegmentsService } from './segments.service';

/** The segmentation service: `segmentationservice/{token}/segment/...` (reference §5.2). */
@SmartFocusApi('apiccmd')
export class SegmentsController {
  constructor(
    private readonly segments: SegmentsService,
    private readonly body: RequestBodyReader,
  ) {}

  @Put('segmentationservice/:token/segment')
  @SmartFocusOperation('segment/create')
  async create(@Req() request: Request): Promise<SmartFocusResult> {
    const segment = await this.body.xml(request, ['segmentation', 'apiSegmentation']);
    const id = await this.segments.create({
      name: requireText(xmlText(segment, 'name'), 'name'),
      description: xmlText(segment, 'description') ?? '',
      sampleType: requireText(xmlText(segment, 'sampleType'), 'sampleType').toUpperCase(),
    });
    return result.long(id);
  }

  @Get('segmentationservice/:token/segment/list/:page/items/:perPage')
  @SmartFocusOperation('segment/list')
  async list(@Param('page') page: string, @Param('perPage') perPage: string): Promise<SmartFocusResult> {
    const segments = await this.segments.list(parseLimit(page, 'page', 1_000_000), parseLimit(perPage, 'perPage'));
    return result.element('segmentations', { segmentation: segments.map(segmentXml) });
  }

  @Get('segmentationservice/:token/segment/:id')
  @SmartFocusOperation('segment/get')
  async get(@Param('id') id: string): Promise<SmartFocusResult> {
    return result.element('segmentation', segmentXml(await this.segments.get(parseId(id, 'id'))));
  }

  @Delete('segmentationservice/:token/segment/:id')
  @SmartFocusOperation('segment/delete')
  async delete(@Param('id') id: string): Promise<SmartFocusResult> {
    await this.segments.delete(parseId(id, 'id'));
    return result.boolean(true);
  }

  @Put('segmentationservice/:token/segment/:id/criteria/addStringDemographic')
  @SmartFocusOperation('segment/addStringDemographic')
  async addStringDemographic(@Param('id') id: string, @Req() request: Request): Promise<SmartFocusResult> {
    const segmentId = parseId(id, 'id');
    const criterion = await this.body.xml(request, ['stringDemographicCriteria', 'apiStringDemographicCriteria']);
    const groupNumber = xmlText(criterion, 'groupNumber');
    await this.segments.addStringCriterion(segmentId, {
      groupNumber: groupNumber === undefined ? 1 : Number(parseId(groupNumber, 'groupNumber')),
      groupName: xmlText(criterion, 'groupName') ?? 'GROUP 1',
      columnName: requireText(xmlText(criterion, 'columnName'), 'columnName').toUpperCase(),
      operator: requireText(xmlText(criterion, 'operator'), 'operator').toUpperCase(),
      values: xmlList(criterion, 'values').map((value) => {
        if (typeof value !== 'string') throw SmartFocusFault.invalid('values', '<values> must be text.');
        return value;
      }),
    });
    return result.boolean(true);
  }

  /** [R] The reference names SOAP `getSegmentCriterias` only; paged like the segment list. */
  @Get('segmentationservice/:token/segment/:id/criteria/list/:page/items/:perPage')
  @SmartFocusOperation('segment/getCriteria')
  async criteria(@Param('id') id: string, @Param('page') page: string, @Param('perPage') perPage: string): Promise<SmartFocusResult> {
    const criteria = await this.segments.criteria(parseId(id, 'id'), parseLimit(page, 'page', 1_000_000), parseLimit(perPage, 'perPage'));
    return result.element('criterias', { stringDemographicCriteria: criteria.map((criterion) => ({ ...criterion })) });
  }

  @Get(['segmentationservice/:token/segment/:id/count', 'segmentationservice/:token/segment/:id/distinctCount'])
  @SmartFocusOperation('segment/count')
  async count(@Param('id') id: string): Promise<SmartFocusResult> {
    return result.long(await this.segments.count(parseId(id, 'id')));
  }
}

function segmentXml(segment: SegmentEntity): Record<string, string | Date> {
  return {
    id: segment.id,
    name: segment.name,
    description: segment.description,
    sampleType: segment.sampleType,
    dateCreate: segment.createdAt,
    dateModif: segment.updatedAt,
  };
}
