import { BaseServiceConfig, ConfigError, loadConfig } from '@optimove/config';
import { SmartFocusClientConfig, smartFocusClientSettings, withSmartFocusClientConfig } from './smartfocus-client.config';

const ENV = {
  SMARTFOCUS_BASE_URL: 'https://p5apie.emv3.com/',
  SMARTFOCUS_LOGIN: 'api-login',
  SMARTFOCUS_PASSWORD: 'secret-password',
  SMARTFOCUS_API_KEY: 'manager-key',
  SMARTFOCUS_CRITERIA_VALUES_CAP: '500',
};

describe(SmartFocusClientConfig.name, () => {
  it('should load the client settings on their own, with defaults', () => {
    const settings = smartFocusClientSettings(loadConfig(SmartFocusClientConfig, ENV));
    expect(settings).toMatchObject({ baseUrl: 'https://p5apie.emv3.com', login: 'api-login', criteriaValuesCap: 500, requestTimeoutMs: 30_000, retryMaxAttempts: 5 });
  });

  it('should fold into an app config class and name a missing variable without showing secrets', () => {
    class DispatchConfig extends withSmartFocusClientConfig(BaseServiceConfig) {}
    const config = loadConfig(DispatchConfig, { ...ENV, API_TOKEN: 'a-token-of-16-chars' });
    expect(config.SMARTFOCUS_LOGIN).toBe('api-login');
    expect(config.HTTP_PORT).toBe(3000);
    const error = (() => {
      try {
        loadConfig(DispatchConfig, { ...ENV, API_TOKEN: 'a-token-of-16-chars', SMARTFOCUS_PASSWORD: '', SMARTFOCUS_BASE_URL: 'ftp://x' });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/SMARTFOCUS_PASSWORD/);
    expect((error as ConfigError).message).toMatch(/SMARTFOCUS_BASE_URL/);
  });
});
