import { loadConfig } from '@optimove/config';
import { SegmentationConfig } from '../config/segmentation.config';
import { classify, modelSettings, type CustomerFacts } from './lifecycle';

describe(classify.name, () => {
  const settings = modelSettings(loadConfig(SegmentationConfig, { API_TOKEN: 'unit-test-token-0123456789' }));
  const facts = (first: string | null, last: string | null, extra: Partial<CustomerFacts> = {}): CustomerFacts => ({
    firstPurchaseOn: first,
    lastPurchaseOn: last,
    reactivatedOn: null,
    ordersRfm: 1,
    spendRfm: 20,
    ...extra,
  });

  it('should give each lifecycle stage at its thresholds', () => {
    const day = '2026-06-30';
    expect(classify(facts(null, null), day, settings).lifecycleStage).toBe('prospect');
    expect(classify(facts('2026-05-31', '2026-05-31'), day, settings).lifecycleStage).toBe('new');
    expect(classify(facts('2026-05-30', '2026-05-30'), day, settings).lifecycleStage).toBe('active');
    expect(classify(facts('2025-01-01', '2026-04-01'), day, settings).lifecycleStage).toBe('active');
    expect(classify(facts('2025-01-01', '2026-03-31'), day, settings).lifecycleStage).toBe('at_risk');
    expect(classify(facts('2025-01-01', '2026-01-01'), day, settings).lifecycleStage).toBe('at_risk');
    expect(classify(facts('2025-01-01', '2025-12-31'), day, settings).lifecycleStage).toBe('churned');
    expect(classify(facts('2025-01-01', '2026-06-20', { reactivatedOn: '2026-06-20' }), day, settings).lifecycleStage).toBe('reactivated');
  });

  it('should map the RFM scores to the micro-segment table', () => {
    const day = '2026-06-30';
    expect(classify(facts('2025-01-01', '2026-06-29', { ordersRfm: 9, spendRfm: 2000 }), day, settings)).toMatchObject({ recencyScore: 5, frequencyScore: 5, monetaryScore: 5, microSegment: 'champions' });
    expect(classify(facts('2025-01-01', '2026-06-29', { ordersRfm: 1, spendRfm: 10 }), day, settings).microSegment).toBe('new_customers');
    expect(classify(facts('2024-01-01', '2025-01-01', { ordersRfm: 0, spendRfm: 0 }), day, settings)).toMatchObject({ recencyScore: 1, microSegment: 'lost' });
    expect(classify(facts('2024-01-01', '2025-12-01', { ordersRfm: 8, spendRfm: 1500 }), day, settings)).toMatchObject({ recencyScore: 2, microSegment: 'cant_lose' });
    expect(classify(facts(null, null), day, settings)).toMatchObject({ recencyScore: null, microSegment: null });
  });
});
