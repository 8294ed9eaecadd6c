import type { SmartFocusCaller } from '../http/smartfocus-caller';
import { pathOf } from '../http/smartfocus-caller';
import { SmartFocusValidationError } from '../errors/smartfocus-errors';
import type { NewSegment, Segment, SegmentCriterion, StringDemographicCriterion } from '../types';
import { decodeBoolean, decodeCount, decodeCriteriaList, decodeId, decodeSegment, decodeSegmentList, decodeSuccess } from '../xml/decoders';
import { xmlDocument } from '../xml/request-builder';

const XML = 'application/xml; charset=utf-8';

export type CustomerIdCriteriaOptions = { groupName?: string; groupNumber?: number };

/** The segmentation service on `apiccmd` (`segmentationservice/{token}/segment/...`). */
export class SegmentsApi {
  constructor(
    private readonly caller: SmartFocusCaller,
    private readonly valuesCap: number,
    private readonly maxConcurrency: number,
    /** Dates without an offset are wall-clock times of this zone (SMARTFOCUS_TIME_ZONE). */
    private readonly timeZone: string,
  ) {}

  /** `PUT segmentationservice/{token}/segment` (sample type ALL); returns the segment id. Not retried (not idempotent). */
  create(segment: NewSegment): Promise<number> {
    const content = xmlDocument('segmentation', { name: segment.name, description: segment.description ?? segment.name, sampleType: 'ALL' });
    return this.caller.call(
      {
        module: 'apiccmd',
        operation: 'segment/create',
        method: 'PUT',
        path: (token) => pathOf('segmentationservice', token, 'segment'),
        body: { contentType: XML, content },
        retryTransient: false,
      },
      decodeId,
    );
  }

  get(id: number): Promise<Segment> {
    return this.caller.get('apiccmd', 'segment/get', (token) => pathOf('segmentationservice', token, 'segment', id), (body) => decodeSegment(body, this.timeZone));
  }

  /** One page (1-based) of segments. */
  list(page: number, perPage: number): Promise<Segment[]> {
    return this.caller.get('apiccmd', 'segment/list', (token) => pathOf('segmentationservice', token, 'segment', 'list', page, 'items', perPage), (body) => decodeSegmentList(body, this.timeZone));
  }

  /** `DELETE segmentationservice/{token}/segment/{id}`; SmartFocus may answer `success` without a `<result>`. */
  delete(id: number): Promise<boolean> {
    return this.caller.call(
      { module: 'apiccmd', operation: 'segment/delete', method: 'DELETE', path: (token) => pathOf('segmentationservice', token, 'segment', id), retryTransient: true },
      decodeSuccess,
    );
  }

  /**
   * One page (1-based) of the segment's criteria, in the order they were added
   * (`GET segmentationservice/{token}/segment/{id}/criteria/list/{page}/items/{perPage}`).
   */
  criteria(id: number, page: number, perPage: number): Promise<SegmentCriterion[]> {
    return this.caller.get(
      'apiccmd',
      'segment/getCriteria',
      (token) => pathOf('segmentationservice', token, 'segment', id, 'criteria', 'list', page, 'items', perPage),
      decodeCriteriaList,
    );
  }

  /** False for a segment without criteria, which selects every member. */
  async hasCriteria(id: number): Promise<boolean> {
    return (await this.criteria(id, 1, 1)).length > 0;
  }

  /** Members the segment selects. */
  count(id: number): Promise<number> {
    return this.caller.get('apiccmd', 'segment/count', (token) => pathOf('segmentationservice', token, 'segment', id, 'count'), decodeCount);
  }

  /**
   * Adds one string criterion (at most `criteriaValuesCap` values). Retried after a transient
   * failure: a criterion added twice selects the same members (criteria of a group are OR-ed).
   */
  async addStringDemographic(segmentId: number, criterion: StringDemographicCriterion): Promise<void> {
    if (criterion.values.length > this.valuesCap) {
      throw new SmartFocusValidationError(`${criterion.values.length} values exceed the cap of ${this.valuesCap} per criterion`, {
        operation: 'segment/addStringDemographic',
        fields: ['values'],
      });
    }
    const content = xmlDocument('stringDemographicCriteria', {
      groupName: criterion.groupName,
      groupNumber: criterion.groupNumber,
      columnName: criterion.columnName,
      operator: criterion.operator,
      values: [...criterion.values],
    });
    await this.caller.call(
      {
        module: 'apiccmd',
        operation: 'segment/addStringDemographic',
        method: 'PUT',
        path: (token) => pathOf('segmentationservice', token, 'segment', segmentId, 'criteria', 'addStringDemographic'),
        body: { contentType: XML, content },
        retryTransient: true,
      },
      decodeBoolean,
    );
  }

  /**
   * Selects the given customer IDs: `CUSTOMER_ID EQUALS_CASE_SENSITIVE` criteria of at most the
   * values cap each, all in one group (OR-ed), sent concurrently up to the client's concurrency
   * limit. Returns the number of criteria added. Duplicate IDs are sent once.
   */
  async addCustomerIdCriteria(segmentId: number, customerIds: readonly string[], options: CustomerIdCriteriaOptions = {}): Promise<number> {
    const unique = [...new Set(customerIds)];
    const chunks: string[][] = [];
    for (let start = 0; start < unique.length; start += this.valuesCap) chunks.push(unique.slice(start, start + this.valuesCap));
    let next = 0;
    let failed = false;
    const worker = async (): Promise<void> => {
      // After a failure the other workers stop taking chunks: the segment is incomplete either way
      // and the caller rebuilds it.
      while (next < chunks.length && !failed) {
        const values = chunks[next++];
        try {
          await this.addStringDemographic(segmentId, {
            groupName: options.groupName ?? 'GROUP 1',
            groupNumber: options.groupNumber ?? 1,
            columnName: 'CUSTOMER_ID',
            // Customer ids are exact strings; plain EQUALS ignores case, so `abc001` would select `ABC001` too.
            operator: 'EQUALS_CASE_SENSITIVE',
            values,
          });
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.maxConcurrency, chunks.length) }, worker));
    return chunks.length;
  }
}
