import { SystemClock } from '@optimove/clock';
import { BaseServiceConfig, loadConfig } from '@optimove/config';
import { createLogger } from '@optimove/observability';
import { clockOf } from './clock-of';

const logger = createLogger({ service: 'test', level: 'silent' });

function config(env: Record<string, string>): BaseServiceConfig {
  return loadConfig(BaseServiceConfig, { API_TOKEN: 'x'.repeat(16), ...env });
}

describe(clockOf.name, () => {
  it("should give the machine's time when no clock is followed", async () => {
    expect(await clockOf(config({}), logger)).toBeInstanceOf(SystemClock);
  });

  it('should refuse to follow a simulated clock in production', async () => {
    await expect(clockOf(config({ NODE_ENV: 'production', CLOCK_FOLLOW_URL: 'http://127.0.0.1:3005/admin/clock' }), logger)).rejects.toThrow(
      'CLOCK_FOLLOW_URL is for development and tests only and is refused in production',
    );
  });

  it('should refuse a clock URL that is not http(s)', () => {
    expect(() => config({ CLOCK_FOLLOW_URL: 'file:///etc/passwd' })).toThrow('CLOCK_FOLLOW_URL must be empty or an http(s):// URL');
  });
});
