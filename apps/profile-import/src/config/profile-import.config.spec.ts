import { loadConfig } from '@optimove/config';
import { composeServiceEnv } from '@optimove/testing';
import { ProfileImportConfig } from './profile-import.config';

describe(ProfileImportConfig.name, () => {
  it('should accept the environment docker-compose.yml gives the profile-import service', () => {
    expect(() => loadConfig(ProfileImportConfig, composeServiceEnv('profile-import'))).not.toThrow();
  });

  it('should name the variable when the environment is invalid', () => {
    expect(() => loadConfig(ProfileImportConfig, { ...composeServiceEnv('profile-import'), DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  });
});
