import type { CallRequest, SmartFocusCaller } from '../http/smartfocus-caller';
import { SegmentsApi } from './segments.api';

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
});
