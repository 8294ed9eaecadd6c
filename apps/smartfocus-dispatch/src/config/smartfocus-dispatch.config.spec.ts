import { loadConfig } from '@optimove/config';
import { composeServiceEnv } from '@optimove/testing';
import { SmartFocusDispatchConfig } from './smartfocus-dispatch.config';

describe(SmartFocusDispatchConfig.name, () => {
  it('should accept the environment docker-compose.yml gives the smartfocus-dispatch service', () => {
    expect(() => loadConfig(SmartFocusDispatchConfig, composeServiceEnv('smartfocus-dispatch'))).not.toThrow();
  });

  it('should name the variable when the environment is invalid', () => {
    expect(() => loadConfig(SmartFocusDispatchConfig, { ...composeServiceEnv('smartfocus-dispatch'), DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  });
});
