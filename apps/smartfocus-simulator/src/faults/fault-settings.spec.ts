import { NO_FAULTS, decideFault, latencyOf, type FaultSettings, type OperationFaults } from './fault-settings';

const faults = (operations: Record<string, Partial<OperationFaults>>, latencyMs = 0): FaultSettings => ({
  latencyMs,
  sessionCallCap: null,
  operations: Object.fromEntries(Object.entries(operations).map(([key, value]) => [key, { errorRate: 0, dropRate: 0, failNext: 0, dropNext: 0, ...value }])),
});

describe(decideFault.name, () => {
  it('should consume failNext and dropNext counts, drops first, and leave other operations alone', () => {
    let settings = faults({ 'campaign/post': { failNext: 1, dropNext: 1 } });
    const first = decideFault(settings, 'campaign/post', () => 0.5);
    expect(first.decision).toBe('drop');
    settings = first.next;
    const second = decideFault(settings, 'campaign/post', () => 0.5);
    expect(second.decision).toBe('fail');
    expect(decideFault(second.next, 'campaign/post', () => 0.5).decision).toBe('none');
    expect(decideFault(faults({ 'campaign/post': { failNext: 1 } }), 'segment/count', () => 0.5).decision).toBe('none');
  });

  it('should apply rates with the random draw, and * to every operation', () => {
    const settings = faults({ '*': { errorRate: 0.3 } });
    expect(decideFault(settings, 'segment/get', () => 0.2).decision).toBe('fail');
    expect(decideFault(settings, 'segment/get', () => 0.4).decision).toBe('none');
    expect(decideFault(NO_FAULTS, 'segment/get', () => 0).decision).toBe('none');
  });

  it('should add the global, the operation and the * latency', () => {
    expect(latencyOf(faults({ 'segment/get': { latencyMs: 100 }, '*': { latencyMs: 5 } }, 10), 'segment/get')).toBe(115);
    expect(latencyOf(faults({ 'segment/get': { latencyMs: 100 } }, 10), 'segment/count')).toBe(10);
  });
});
