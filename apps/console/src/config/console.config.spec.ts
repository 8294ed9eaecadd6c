import { loadConfig } from '@optimove/config';
import { composeServiceEnv } from '@optimove/testing';
import { ConsoleConfig } from './console.config';

describe(ConsoleConfig.name, () => {
  it('should accept the environment docker-compose.yml gives the console service', () => {
    expect(() => loadConfig(ConsoleConfig, composeServiceEnv('console'))).not.toThrow();
  });

  it('should name the variable when a service URL has a path', () => {
    expect(() => loadConfig(ConsoleConfig, { ...composeServiceEnv('console'), SEGMENTATION_URL: 'http://segmentation:3000/api' })).toThrow(/SEGMENTATION_URL/);
  });
});
