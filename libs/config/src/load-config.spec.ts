import { IsInt, IsString, Min, MinLength } from 'class-validator';
import { BaseServiceConfig } from './base-service.config';
import { ConfigError, loadConfig } from './load-config';
import { toInteger } from './transformers';

class ExampleConfig {
  @toInteger()
  @IsInt()
  @Min(1)
  WORKERS = 4;

  @IsString()
  @MinLength(8)
  SMARTFOCUS_PASSWORD = '';
}

describe(loadConfig.name, () => {
  it('should take defaults when the environment does not set a variable', () => {
    const config = loadConfig(ExampleConfig, { SMARTFOCUS_PASSWORD: 'long-enough' });

    expect(config.WORKERS).toBe(4);
  });

  it('should convert numeric variables when they are set', () => {
    const config = loadConfig(ExampleConfig, { WORKERS: '12', SMARTFOCUS_PASSWORD: 'long-enough' });

    expect(config.WORKERS).toBe(12);
  });

  it('should name every bad variable when the environment is invalid', () => {
    const load = (): ExampleConfig => loadConfig(ExampleConfig, { WORKERS: 'many', SMARTFOCUS_PASSWORD: 'short' });

    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/WORKERS: .*got "many"/);
    expect(load).toThrow(/SMARTFOCUS_PASSWORD: /);
  });

  it('should never print the value of a secret when it is invalid', () => {
    const load = (): ExampleConfig => loadConfig(ExampleConfig, { SMARTFOCUS_PASSWORD: 'hunter2' });

    expect(load).toThrow(/SMARTFOCUS_PASSWORD: .*got <redacted>/);
    expect(load).not.toThrow(/hunter2/);
  });

  it('should never print a password held in a URL, however the URL is mistyped', () => {
    const env = { API_TOKEN: 'x'.repeat(16), DATABASE_URL: 'postgresql+asyncpg://app:S3cretPassw0rd@db/app', AMQP_URL: 'amqp:/svc:R4bbitSecret@mq:5672' };
    const load = (): BaseServiceConfig => loadConfig(BaseServiceConfig, env);

    expect(load).toThrow(/DATABASE_URL: DATABASE_URL must be a postgres:\/\/ URL \(got "postgresql\+asyncpg:\/\/<redacted>@db\/app"\)/);
    expect(load).toThrow(/AMQP_URL: .*got "amqp:\/<redacted>@mq:5672"/);
    expect(load).not.toThrow(/S3cretPassw0rd|R4bbitSecret/);
  });

  it('should refuse to boot without an API token', () => {
    expect(() => loadConfig(BaseServiceConfig, {})).toThrow(/API_TOKEN: API_TOKEN must be at least 16 characters/);
  });

  it('should read the retry delays as a list', () => {
    const config = loadConfig(BaseServiceConfig, { API_TOKEN: 'x'.repeat(16), AMQP_RETRY_DELAYS_MS: '100, 2000' });

    expect(config.AMQP_RETRY_DELAYS_MS).toEqual(['100', '2000']);
  });
});
