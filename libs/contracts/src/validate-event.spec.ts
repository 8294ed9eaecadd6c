import { randomUUID } from 'node:crypto';
import { ListsGeneratedV1 } from './events/lists-generated.event';
import { MAX_DATA_DEPTH, validateEvent } from './validate-event';

function listsGenerated(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: randomUUID(),
    type: 'lists.generated.v1',
    source: '/segmentation',
    time: '2026-11-26T22:00:00Z',
    datacontenttype: 'application/json',
    data: {
      executionId: randomUUID(),
      campaignId: randomUUID(),
      campaignName: 'Win back',
      runDate: '2026-11-26',
      scheduledAt: '2026-11-27T08:00:00Z',
      group: { groupId: randomUUID(), kind: 'variant', name: 'A', templateMessageId: '123' },
      chunkIndex: 0,
      chunkCount: 1,
      groupSize: 2,
      customerIds: ['00042', 'C-7'],
    },
    ...overrides,
  };
}

describe(validateEvent.name, () => {
  it('should return the payload as its class when the event is valid', () => {
    const result = validateEvent(listsGenerated());

    expect(result.valid).toBe(true);
    if (!result.valid) return;
    expect(result.event.data).toBeInstanceOf(ListsGeneratedV1);
    expect((result.event.data as ListsGeneratedV1).customerIds).toEqual(['00042', 'C-7']);
  });

  it('should name the nested field when a payload value is invalid', () => {
    const event = listsGenerated();
    (event['data'] as { group: { kind: string } }).group.kind = 'treatment';

    const result = validateEvent(event);

    expect(result).toEqual({ valid: false, errors: [expect.stringMatching(/^data\.group\.kind: /)] });
  });

  it.each(['2026-11-27T08:00:00', '2026-11-27'])('should refuse a send time without its offset (%s): it would be read in the host time zone', (scheduledAt) => {
    const event = listsGenerated();
    (event['data'] as { scheduledAt: string }).scheduledAt = scheduledAt;

    const result = validateEvent(event);

    expect(result).toEqual({ valid: false, errors: [expect.stringMatching(/^data\.scheduledAt: /)] });
  });

  it('should require a template message when the group is a variant', () => {
    const event = listsGenerated();
    delete (event['data'] as { group: { templateMessageId?: string } }).group.templateMessageId;

    const result = validateEvent(event);

    expect(result.valid).toBe(false);
    expect(!result.valid && result.errors.join()).toContain('data.group.templateMessageId');
  });

  it('should refuse customer ids given as numbers when leading zeros would be lost', () => {
    const event = listsGenerated();
    (event['data'] as { customerIds: unknown[] }).customerIds = [42];

    const result = validateEvent(event);

    expect(!result.valid && result.errors.join()).toContain('data.customerIds');
  });

  it('should list every envelope problem when the envelope is wrong', () => {
    const result = validateEvent({ specversion: '0.3', id: 'x', type: 'nope', data: [] });

    expect(result.valid).toBe(false);
    expect(!result.valid && result.errors.map((e) => e.split(':')[0])).toEqual([
      'specversion',
      'id',
      'type',
      'source',
      'time',
      'data',
    ]);
  });

  it('should refuse fields the contract does not have', () => {
    const event = listsGenerated();
    (event['data'] as Record<string, unknown>)['email'] = 'someone@example.com';

    const result = validateEvent(event);

    expect(!result.valid && result.errors.join()).toContain('data.email');
  });

  it('should refuse, with a reason and without throwing, a payload nested deeper than the limit', () => {
    const event = listsGenerated();
    // Some 30 KB: deep enough for class-transformer to exhaust the stack if it were reached.
    (event['data'] as Record<string, unknown>)['extra'] = JSON.parse(`${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`);

    const result = validateEvent(event);

    expect(result).toEqual({ valid: false, errors: [`data: objects and arrays nested deeper than ${MAX_DATA_DEPTH} levels`] });
  });

  it('should judge a payload nested as deep as the limit by its contract, not by its depth', () => {
    const event = listsGenerated();
    let nested: unknown = 1;
    for (let level = 0; level < MAX_DATA_DEPTH; level += 1) nested = { a: nested }; // its deepest object at the limit
    (event['data'] as Record<string, unknown>)['extra'] = nested;

    const result = validateEvent(event);

    expect(result).toEqual({ valid: false, errors: ['data.extra: property extra should not exist'] });
  });
});
