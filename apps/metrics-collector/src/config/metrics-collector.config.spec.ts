import { loadConfig } from '@optimove/config';
import { composeServiceEnv } from '@optimove/testing';
import { MetricsCollectorConfig } from './metrics-collector.config';

describe(MetricsCollectorConfig.name, () => {
  it('should accept the environment docker-compose.yml gives the metrics-collector service', () => {
    expect(() => loadConfig(MetricsCollectorConfig, composeServiceEnv('metrics-collector'))).not.toThrow();
  });

  it('should name the variable when the environment is invalid', () => {
    expect(() => loadConfig(MetricsCollectorConfig, { ...composeServiceEnv('metrics-collector'), DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  });
});
