import { UnexpectedXmlError } from './xml-node';
import { parseResponse } from './response-parser';
import {
  decodeBoolean,
  decodeCampaign,
  decodeCriteriaList,
  decodeCampaignStatus,
  decodeId,
  decodeIdList,
  decodeMessage,
  decodeSegmentList,
  decodeSnapshot,
  decodeUploadStatus,
} from './decoders';

const NS = 'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

function success(inner: string): ReturnType<typeof parseResponse> & { outcome: 'success' } {
  const envelope = parseResponse(`<?xml version="1.0" encoding="utf-8" standalone="yes"?><response responseStatus="success">${inner}</response>`);
  if (envelope.outcome !== 'success') throw new Error('expected success');
  return envelope;
}

describe('parseResponse', () => {
  it('should read a failed envelope with its description, fields and status', () => {
    const envelope = parseResponse(
      '<response responseStatus="failed"><description>Too many values</description><fields>values</fields><fields>columnName</fields><status>INVALID_PARAMETERS</status></response>',
    );
    expect(envelope).toEqual({ outcome: 'failed', failure: { status: 'INVALID_PARAMETERS', description: 'Too many values', fields: ['values', 'columnName'] } });
  });

  it.each([
    ['malformed XML', '<response responseStatus="success"><result>1</response>'],
    ['HTML', '<html><body>Bad gateway</body></html>'],
    ['an unknown status', '<response responseStatus="maybe"/>'],
    ['an empty body', ''],
  ])('should reject %s as unexpected XML', (_case, xml) => {
    expect(() => parseResponse(xml)).toThrow(UnexpectedXmlError);
  });
});

describe('decoders', () => {
  it('should read a typed long result and keep ids exact', () => {
    expect(decodeId(success(`<result ${NS} xsi:type="xs:long">300000001</result>`).body)).toBe(300000001);
  });

  it('should refuse a result that is not an id or not a safe integer', () => {
    expect(() => decodeId(success('<result>12a</result>').body)).toThrow(UnexpectedXmlError);
    expect(() => decodeId(success('<result>99999999999999999999</result>').body)).toThrow(UnexpectedXmlError);
    expect(() => decodeId(success('<somethingElse/>').body)).toThrow(UnexpectedXmlError);
  });

  it('should read booleans and id lists, empty or not', () => {
    expect(decodeBoolean(success('<result xsi:type="xs:boolean">true</result>').body)).toBe(true);
    expect(() => decodeBoolean(success('<result>yes</result>').body)).toThrow(UnexpectedXmlError);
    expect(decodeIdList(success('<entities><id>3</id><id>1</id></entities>').body)).toEqual([3, 1]);
    expect(decodeIdList(success('<entities><id>7</id></entities>').body)).toEqual([7]);
    expect(decodeIdList(success('<entities/>').body)).toEqual([]);
  });

  it('should read a message and keep text values as text', () => {
    const message = decodeMessage(
      success('<apiMessage><id>100000001</id><name>optimove_00123</name><subject>Hi &amp; bye</subject><createDate>2026-11-26T20:00:00</createDate></apiMessage>').body,
      'UTC',
    );
    expect(message).toMatchObject({ id: 100000001, name: 'optimove_00123', subject: 'Hi & bye', createDate: new Date('2026-11-26T20:00:00Z') });
  });

  it('should read a date without an offset in the account time zone, and one with an offset as it says', () => {
    const campaign = (sendDate: string): string =>
      `<apiCampaign><id>1</id><name>n</name><messageId>2</messageId><mailinglistId>3</mailinglistId><sendDate>${sendDate}</sendDate><status>QUEUED</status></apiCampaign>`;
    expect(decodeCampaign(success(campaign('2026-12-01T21:00:00')).body, 'Europe/Paris').sendDate).toEqual(new Date('2026-12-01T20:00:00Z'));
    expect(decodeCampaign(success(campaign('2026-07-01 22:00:00')).body, 'Europe/Paris').sendDate).toEqual(new Date('2026-07-01T20:00:00Z'));
    expect(decodeCampaign(success(campaign('2026-12-01T21:00:00+01:00')).body, 'America/New_York').sendDate).toEqual(new Date('2026-12-01T20:00:00Z'));
  });

  it('should read a page of segment criteria in their order, values as text', () => {
    const criteria = decodeCriteriaList(
      success(
        '<criterias><stringDemographicCriteria><orderFrag>1</orderFrag><groupNumber>1</groupNumber><columnName>CUSTOMER_ID</columnName><operator>EQUALS</operator><values>007</values></stringDemographicCriteria>' +
          '<stringDemographicCriteria><orderFrag>0</orderFrag><groupNumber>1</groupNumber><columnName>CUSTOMER_ID</columnName><operator>EQUALS</operator><values>001</values><values>002</values></stringDemographicCriteria></criterias>',
      ).body,
    );
    expect(criteria).toEqual([
      { order: 0, type: 'stringDemographicCriteria', groupNumber: 1, columnName: 'CUSTOMER_ID', operator: 'EQUALS', values: ['001', '002'] },
      { order: 1, type: 'stringDemographicCriteria', groupNumber: 1, columnName: 'CUSTOMER_ID', operator: 'EQUALS', values: ['007'] },
    ]);
    expect(decodeCriteriaList(success('<criterias/>').body)).toEqual([]);
  });

  it('should refuse a message without a name', () => {
    expect(() => decodeMessage(success('<apiMessage><id>1</id></apiMessage>').body, 'UTC')).toThrow(/apiMessage\/name is missing/);
  });

  it('should accept both spellings of the segment id and both casings of the status', () => {
    const campaign = (segmentField: string, status: string): string =>
      `<apiCampaign><id>1</id><name>n</name><messageId>2</messageId><${segmentField}>3</${segmentField}><sendDate>2026-12-01 20:00:00</sendDate><status>${status}</status></apiCampaign>`;
    expect(decodeCampaign(success(campaign('mailinglistId', 'Editable')).body, 'UTC')).toMatchObject({ segmentId: 3, status: 'EDITABLE', sendDate: new Date('2026-12-01T20:00:00Z') });
    expect(decodeCampaign(success(campaign('mailingListId', 'QUEUED')).body, 'UTC')).toMatchObject({ segmentId: 3, status: 'QUEUED' });
    expect(() => decodeCampaign(success(campaign('mailingListId', 'DREAMING')).body, 'UTC')).toThrow(UnexpectedXmlError);
    expect(decodeCampaignStatus(success('<result>Running</result>').body)).toBe('RUNNING');
  });

  it('should read a snapshot and refuse one whose counts cannot be', () => {
    const fields = (delivered: number): string =>
      `<apiCampaignSnapshot><campaignId>9</campaignId><nbSelected>100</nbSelected><nbFiltered>2</nbFiltered><nbDelivered>${delivered}</nbDelivered><nbBounce>3</nbBounce><nbHardBounce>1</nbHardBounce><nbSoftBounce>2</nbSoftBounce><nbComplaint>0</nbComplaint><nbUniqueOpen>30</nbUniqueOpen><nbUniqueClick>5</nbUniqueClick><nbUnsubscribe>1</nbUnsubscribe><nbConversion>1</nbConversion></apiCampaignSnapshot>`;
    expect(decodeSnapshot(success(fields(95)).body, 'UTC')).toMatchObject({ campaignId: 9, counts: { selected: 100, filtered: 2, delivered: 95, uniqueOpens: 30 } });
    expect(() => decodeSnapshot(success(fields(99)).body, 'UTC')).toThrow(/exceeds/);
    expect(() => decodeSnapshot(success('<apiCampaignSnapshot><campaignId>9</campaignId></apiCampaignSnapshot>').body, 'UTC')).toThrow(/nbSelected is missing/);
  });

  it('should read a page of segments', () => {
    const page = decodeSegmentList(
      success('<segmentations><segmentation><id>1</id><name>a</name><sampleType>ALL</sampleType></segmentation><segmentation><id>2</id><name>b</name><sampleType>all</sampleType></segmentation></segmentations>').body,
      'UTC',
    );
    expect(page.map((segment) => segment.id)).toEqual([1, 2]);
    expect(decodeSegmentList(success('<segmentations/>').body, 'UTC')).toEqual([]);
  });

  it('should map upload statuses to their state', () => {
    expect(decodeUploadStatus(5, success('<uploadStatus><status>DONE WITH ERROR(S)</status></uploadStatus>').body)).toMatchObject({ state: 'done-with-errors' });
    expect(decodeUploadStatus(5, success('<uploadStatus><status>Importing</status></uploadStatus>').body)).toMatchObject({ state: 'pending' });
    expect(() => decodeUploadStatus(5, success('<uploadStatus><status>LOST</status></uploadStatus>').body)).toThrow(UnexpectedXmlError);
  });
});
