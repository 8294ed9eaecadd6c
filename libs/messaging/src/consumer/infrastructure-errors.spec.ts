import { effectivePrefetch, isInfrastructureError } from './infrastructure-errors';

describe(isInfrastructureError.name, () => {
  it('should take an unreachable or lost database for infrastructure trouble', () => {
    expect(isInfrastructureError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isInfrastructureError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isInfrastructureError(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isInfrastructureError({ message: 'query failed', driverError: { code: '57P01', message: 'terminating connection due to administrator command' } })).toBe(true);
    expect(isInfrastructureError({ message: 'x', driverError: { code: '08006' } })).toBe(true);
  });

  it('should take an error of the handler\'s work for a failed attempt', () => {
    expect(isInfrastructureError(new Error('handler refuses'))).toBe(false);
    expect(isInfrastructureError({ message: 'duplicate key', driverError: { code: '23505' } })).toBe(false);
    expect(isInfrastructureError({ message: 'division by zero', code: '22012' })).toBe(false);
    expect(isInfrastructureError(undefined)).toBe(false);
  });
});

describe(effectivePrefetch.name, () => {
  it('should never take more deliveries at once than the pool can serve', () => {
    expect(effectivePrefetch(20, 10)).toBe(8);
    expect(effectivePrefetch(5, 10)).toBe(5);
    expect(effectivePrefetch(20, 2)).toBe(1);
  });
});
