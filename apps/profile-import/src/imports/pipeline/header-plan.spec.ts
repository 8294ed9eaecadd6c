import { DATASETS, type AttributeType } from '../../datasets/dataset-definitions';
import { DEFAULT_PII_HEADER_DENY_LIST, PiiHeaderMatcher } from '../../datasets/pii-columns';
import { FileRefusedError, planHeader } from './header-plan';

const pii = new PiiHeaderMatcher(DEFAULT_PII_HEADER_DENY_LIST);
const attributes = new Map<string, AttributeType>([['loyalty_tier', 'text']]);

describe(planHeader.name, () => {
  it('should match columns and attributes case-insensitively and sort out personal data and unknown columns', () => {
    const plan = planHeader(['Customer ID', 'REGISTERED_AT', 'country', 'Loyalty-Tier', 'Email', 'notes'], DATASETS.customers, attributes, pii);

    expect(plan.fields.map(({ index, target, isAttribute }) => ({ index, target, isAttribute }))).toEqual([
      { index: 0, target: 'customer_id', isAttribute: false },
      { index: 1, target: 'registered_at', isAttribute: false },
      { index: 2, target: 'country', isAttribute: false },
      { index: 3, target: 'loyalty_tier', isAttribute: true },
    ]);
    expect(plan.droppedColumns).toEqual(['Email']);
    expect(plan.ignoredColumns).toEqual(['notes']);
  });

  it('should not load attributes into transactions', () => {
    const plan = planHeader(['transaction_id', 'customer_id', 'occurred_at', 'amount', 'loyalty_tier'], DATASETS.transactions, attributes, pii);

    expect(plan.ignoredColumns).toEqual(['loyalty_tier']);
  });

  it('should refuse missing required columns and repeated headers', () => {
    expect(() => planHeader(['customer_id'], DATASETS.customers, attributes, pii)).toThrow(FileRefusedError);
    expect(() => planHeader(['customer_id', 'registered_at', 'country', 'Country'], DATASETS.customers, attributes, pii)).toThrow(
      'line 1: column "Country" appears twice (columns 3 and 4)',
    );
  });
});
