import type { CallRequest, SmartFocusCaller } from '../http/smartfocus-caller';
import { SegmentsApi } from './segments.api';
import { parseResponse } from '../xml/response-parser';
import type { XmlElement } from '../xml/xml-node';

describe(SegmentsApi.name, () => {
  it('should select customer ids case-sensitively when adding customer-id criteria', async () => {
    // Customer ids are compared exactly: `abc001` is another customer than `ABC001`, and SmartFocus
    // matches a plain EQUALS criterion whatever the case.
    const bodies: string[] = [];
    const caller = {
      call: (request: CallRequest): Promise<boolean> => {
        bodies.push(request.body?.content ?? '');
        return Promise.resolve(true);
      },
    } as unknown as SmartFocusCaller;

    await new SegmentsApi(caller, 2, 1, 'UTC').addCustomerIdCriteria(7, ['ABC001', 'abc001', 'ABC002']);

    expect(bodies).toHaveLength(2);
    for (const body of bodies) expect(body).toContain('<columnName>CUSTOMER_ID</columnName><operator>EQUALS_CASE_SENSITIVE</operator>');
    expect(bodies[0]).toContain('<values>ABC001</values><values>abc001</values>');
  });

  it('should take a delete answered by an empty success envelope as done', async () => {
    // The reference gives `success` for segment delete, not `<result>true</result>` (§5.2), and
    // SmartFocus answers some calls with `<response responseStatus="success"/>` alone.
    const caller = {
      call: <T>(_request: CallRequest, decode: (body: XmlElement) => T): Promise<T> => {
        const envelope = parseResponse('<?xml version="1.0" encoding="utf-8" standalone="yes"?><response responseStatus="success"></response>');
        return Promise.resolve(decode(envelope.outcome === 'success' ? envelope.body : {}));
      },
    } as unknown as SmartFocusCaller;

    await expect(new SegmentsApi(caller, 2, 1, 'UTC').delete(7)).resolves.toBe(true);
  });
});

