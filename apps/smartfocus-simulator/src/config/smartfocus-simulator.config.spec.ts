import { loadConfig } from '@optimove/config';
import { composeServiceEnv } from '@optimove/testing';
import { SmartFocusSimulatorConfig } from './smartfocus-simulator.config';

describe(SmartFocusSimulatorConfig.name, () => {
  it('should accept the environment docker-compose.yml gives the smartfocus-simulator service', () => {
    expect(() => loadConfig(SmartFocusSimulatorConfig, composeServiceEnv('smartfocus-simulator'))).not.toThrow();
  });

  it('should name the variable when the environment is invalid', () => {
    expect(() => loadConfig(SmartFocusSimulatorConfig, { ...composeServiceEnv('smartfocus-simulator'), DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  });
});
