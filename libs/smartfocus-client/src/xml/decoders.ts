import {
  CAMPAIGN_STATUSES,
  type Campaign,
  type CampaignStatus,
  type EmailMessage,
  type MemberJobStatus,
  type Segment,
  type SegmentCriterion,
  type SegmentSampleType,
  type SnapshotCounts,
  type UploadState,
  type UploadStatus,
} from '../types';
import {
  UnexpectedXmlError,
  asList,
  firstPresent,
  isElement,
  optionalBoolean,
  optionalDate,
  optionalText,
  parseCount,
  parseDate,
  parseId,
  requiredId,
  requiredText,
  textOf,
  type XmlElement,
} from './xml-node';
import { resultObject, resultText } from './response-parser';

// Decoders of the objects SmartFocus returns. Each checks what the client relies on and ignores
// the rest, so an extra field is tolerated but a missing or malformed one is an error.

export function decodeId(body: XmlElement): number {
  return parseId(resultText(body), 'response/result');
}

export function decodeCount(body: XmlElement): number {
  return parseCount(resultText(body), 'response/result');
}

export function decodeBoolean(body: XmlElement): boolean {
  const text = resultText(body).trim().toLowerCase();
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new UnexpectedXmlError(`response/result is not a boolean: ${JSON.stringify(text)}`);
}

/**
 * A call whose answer is `success` alone (segment delete, reference §5.2): `<result>true</result>`,
 * or an empty success envelope, is done; `<result>false</result>` is not.
 */
export function decodeSuccess(body: XmlElement): boolean {
  return body['result'] === undefined ? true : decodeBoolean(body);
}

/** `<entities><id>1</id><id>2</id></entities>`; an empty list is `<entities/>` (or no element). */
export function decodeIdList(body: XmlElement): number[] {
  const entities = body['entities'];
  if (entities === undefined || entities === '') return [];
  if (!isElement(entities)) throw new UnexpectedXmlError('response/entities is not an element');
  return asList(entities['id']).map((id) => parseId(textOf(id, 'response/entities/id') ?? '', 'response/entities/id'));
}

export function decodeMessage(body: XmlElement, timeZone: string): EmailMessage {
  const path = 'response/apiMessage';
  const message = resultObject(body, ['apiMessage', 'message']);
  return {
    id: requiredId(message, 'id', path),
    name: requiredText(message, 'name', path),
    description: optionalText(message, 'description', path),
    subject: optionalText(message, 'subject', path),
    from: optionalText(message, 'from', path),
    fromEmail: optionalText(message, 'fromEmail', path),
    to: optionalText(message, 'to', path),
    replyTo: optionalText(message, 'replyTo', path),
    replyToEmail: optionalText(message, 'replyToEmail', path),
    body: optionalText(message, 'body', path),
    encoding: optionalText(message, 'encoding', path),
    type: optionalText(message, 'type', path),
    createDate: optionalDate(message, 'createDate', path, timeZone),
  };
}

const SAMPLE_TYPES: readonly SegmentSampleType[] = ['ALL', 'PERCENT', 'FIX'];

function decodeSegmentElement(segment: XmlElement, path: string, timeZone: string): Segment {
  const sampleType = requiredText(segment, 'sampleType', path).toUpperCase();
  if (!SAMPLE_TYPES.includes(sampleType as SegmentSampleType)) {
    throw new UnexpectedXmlError(`${path}/sampleType is ${JSON.stringify(sampleType)}`);
  }
  const sampleRate = optionalText(segment, 'sampleRate', path);
  if (sampleRate !== undefined && !Number.isFinite(Number(sampleRate))) {
    throw new UnexpectedXmlError(`${path}/sampleRate is not a number: ${JSON.stringify(sampleRate)}`);
  }
  return {
    id: requiredId(segment, 'id', path),
    name: requiredText(segment, 'name', path),
    description: optionalText(segment, 'description', path),
    sampleType: sampleType as SegmentSampleType,
    sampleRate: sampleRate === undefined ? undefined : Number(sampleRate),
    dateCreate: optionalDate(segment, 'dateCreate', path, timeZone),
    dateModif: optionalDate(segment, 'dateModif', path, timeZone),
  };
}

export function decodeSegment(body: XmlElement, timeZone: string): Segment {
  return decodeSegmentElement(resultObject(body, ['apiSegmentation', 'segmentation']), 'response/segmentation', timeZone);
}

/** A page of segments: `<segmentations><segmentation>...</segmentation>...</segmentations>`. */
export function decodeSegmentList(body: XmlElement, timeZone: string): Segment[] {
  const list = resultObject(body, ['segmentations', 'apiSegmentations']);
  return asList(list['segmentation'] ?? list['apiSegmentation']).map((item) => {
    if (!isElement(item)) throw new UnexpectedXmlError('response/segmentations/segmentation is not an element');
    return decodeSegmentElement(item, 'response/segmentations/segmentation', timeZone);
  });
}

/**
 * A page of a segment's criteria: `<criterias>` with one element per criterion, named after its
 * type (`stringDemographicCriteria`, ...), each with `orderFrag` and, for string criteria,
 * `groupNumber`, `columnName`, `operator` and repeated `values`.
 */
export function decodeCriteriaList(body: XmlElement): SegmentCriterion[] {
  const list = resultObject(body, ['criterias', 'criteria']);
  const criteria: SegmentCriterion[] = [];
  for (const [type, items] of Object.entries(list)) {
    if (type.startsWith('@_')) continue;
    for (const item of asList(items)) {
      if (!isElement(item)) throw new UnexpectedXmlError(`response/criterias/${type} is not an element`);
      const path = `response/criterias/${type}`;
      const groupNumber = optionalText(item, 'groupNumber', path);
      criteria.push({
        order: parseCount(requiredText(item, 'orderFrag', path), `${path}/orderFrag`),
        type,
        groupNumber: groupNumber === undefined ? undefined : parseCount(groupNumber, `${path}/groupNumber`),
        columnName: optionalText(item, 'columnName', path),
        operator: optionalText(item, 'operator', path),
        values: asList(item['values']).map((value) => textOf(value, `${path}/values`) ?? ''),
      });
    }
  }
  return criteria.sort((a, b) => a.order - b.order);
}

/** Campaign status, case-insensitive (`Editable` in the doc example, `EDITABLE` in the enum). */
export function parseCampaignStatus(text: string, path: string): CampaignStatus {
  const status = text.trim().toUpperCase();
  if (!CAMPAIGN_STATUSES.includes(status as CampaignStatus)) throw new UnexpectedXmlError(`${path} is an unknown status ${JSON.stringify(text)}`);
  return status as CampaignStatus;
}

export function decodeCampaignStatus(body: XmlElement): CampaignStatus {
  return parseCampaignStatus(resultText(body), 'response/result');
}

export function decodeCampaign(body: XmlElement, timeZone: string): Campaign {
  const path = 'response/apiCampaign';
  const campaign = resultObject(body, ['apiCampaign', 'campaign']);
  const segmentField = firstPresent(campaign, ['mailinglistId', 'mailingListId']);
  if (segmentField === undefined) throw new UnexpectedXmlError(`${path}/mailinglistId is missing`);
  return {
    id: requiredId(campaign, 'id', path),
    name: requiredText(campaign, 'name', path),
    description: optionalText(campaign, 'description', path),
    messageId: requiredId(campaign, 'messageId', path),
    segmentId: requiredId(campaign, segmentField, path),
    sendDate: parseDate(requiredText(campaign, 'sendDate', path), `${path}/sendDate`, timeZone),
    status: parseCampaignStatus(requiredText(campaign, 'status', path), `${path}/status`),
    notification: optionalBoolean(campaign, 'notification', path),
    postClickTracking: optionalBoolean(campaign, 'postClickTracking', path),
    emaildedupflg: optionalBoolean(campaign, 'emaildedupflg', path),
  };
}

const SNAPSHOT_FIELDS: Record<keyof SnapshotCounts, string> = {
  selected: 'nbSelected',
  filtered: 'nbFiltered',
  delivered: 'nbDelivered',
  bounces: 'nbBounce',
  hardBounces: 'nbHardBounce',
  softBounces: 'nbSoftBounce',
  complaints: 'nbComplaint',
  uniqueOpens: 'nbUniqueOpen',
  uniqueClicks: 'nbUniqueClick',
  unsubscribes: 'nbUnsubscribe',
  conversions: 'nbConversion',
};

export function decodeSnapshot(body: XmlElement, timeZone: string): { campaignId: number; beginDate?: Date; endDate?: Date; counts: SnapshotCounts } {
  const path = 'response/apiCampaignSnapshot';
  const snapshot = resultObject(body, ['apiCampaignSnapshot', 'campaignSnapshot']);
  const counts = Object.fromEntries(
    Object.entries(SNAPSHOT_FIELDS).map(([key, field]) => [key, parseCount(requiredText(snapshot, field, path), `${path}/${field}`)]),
  ) as SnapshotCounts;
  if (counts.delivered > counts.selected - counts.filtered) {
    throw new UnexpectedXmlError(`${path}: nbDelivered ${counts.delivered} exceeds nbSelected - nbFiltered`);
  }
  return {
    campaignId: requiredId(snapshot, 'campaignId', path),
    beginDate: optionalDate(snapshot, 'beginDate', path, timeZone),
    endDate: optionalDate(snapshot, 'endDate', path, timeZone),
    counts,
  };
}

const JOB_STATUSES: readonly MemberJobStatus[] = ['Insert', 'Processing', 'Processed', 'Error', 'Job_Done_Or_Does_Not_Exist'];

export function decodeMemberJobStatus(body: XmlElement): MemberJobStatus {
  const path = 'response/processStatus';
  const status = requiredText(resultObject(body, ['processStatus']), 'status', path).trim();
  const known = JOB_STATUSES.find((candidate) => candidate.toLowerCase() === status.toLowerCase());
  if (!known) throw new UnexpectedXmlError(`${path}/status is an unknown status ${JSON.stringify(status)}`);
  return known;
}

const UPLOAD_STATES: Record<string, UploadState> = {
  STORAGE: 'pending',
  VALIDATED: 'pending',
  QUEUED: 'pending',
  IMPORTING: 'pending',
  DONE: 'done',
  'DONE WITH ERROR(S)': 'done-with-errors',
  ERROR: 'failed',
  FAILURE: 'failed',
};

export function decodeUploadStatus(uploadId: number, body: XmlElement): UploadStatus {
  const path = 'response/uploadStatus';
  const element = resultObject(body, ['uploadStatus']);
  const status = requiredText(element, 'status', path).trim().toUpperCase();
  const state = UPLOAD_STATES[status];
  if (!state) throw new UnexpectedXmlError(`${path}/status is an unknown status ${JSON.stringify(status)}`);
  return { uploadId, status, state, details: optionalText(element, 'details', path) };
}
