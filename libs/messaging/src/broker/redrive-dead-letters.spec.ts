import { originalRoutingKeyOf } from '../consumer/event-consumer';
import { deadLetterReasonOf } from './redrive-dead-letters';

describe(deadLetterReasonOf.name, () => {
  it('should read the reason the consumer wrote', () => {
    expect(deadLetterReasonOf({ 'x-dead-letter-reason': 'invalid-payload', 'x-death': [{ reason: 'delivery_limit' }] })).toBe('invalid-payload');
  });

  it('should read the broker\'s own dead-lettering from x-death', () => {
    expect(deadLetterReasonOf({ 'x-death': [{ reason: 'delivery_limit', queue: 'segmentation' }] })).toBe('delivery-limit');
    expect(deadLetterReasonOf({})).toBeUndefined();
  });
});

describe(originalRoutingKeyOf.name, () => {
  it('should take the kept header first, then the routing key x-death remembers', () => {
    expect(originalRoutingKeyOf({ 'x-original-routing-key': 'lists.generated.v1' })).toBe('lists.generated.v1');
    expect(originalRoutingKeyOf({ 'x-death': [{ 'routing-keys': ['metrics.fetched.v1'] }] })).toBe('metrics.fetched.v1');
    expect(originalRoutingKeyOf(undefined)).toBeUndefined();
  });
});
