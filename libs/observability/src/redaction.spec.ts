import { captureLogsForSpec } from './test-support';
import { createLogger } from './logger';
import { redactText, registerSecret } from './redaction';

describe(redactText.name, () => {
  it('should mask the login, password and key of a SmartFocus connect URL', () => {
    const text = 'GET https://p7apie.emv3.com/apiccmd/services/rest/connect/open/acme/s3cr3t-pass/CdX7Crxx failed';

    expect(redactText(text)).toBe('GET https://p7apie.emv3.com/apiccmd/services/rest/connect/open/[redacted] failed');
  });

  it('should mask the session token in SmartFocus paths when a call is logged', () => {
    const text = 'apiccmd/services/rest/campaign/create/TOKEN123abc/name/desc and segmentationservice/TOKEN123abc/segment';

    expect(redactText(text)).not.toContain('TOKEN123abc');
  });

  it('should mask passwords in connection URLs and bearer tokens', () => {
    expect(redactText('amqp://guest:guest@127.0.0.1:5672 Authorization: Bearer abc.def')).toBe(
      'amqp://guest:[redacted]@127.0.0.1:5672 Authorization: Bearer [redacted]',
    );
  });

  it('should mask credentials passed in a query string', () => {
    expect(redactText('/connect/close?token=abc123&x=1 /open?login=a&password=pw&key=k')).toBe(
      '/connect/close?token=[redacted]&x=1 /open?login=a&password=[redacted]&key=[redacted]',
    );
  });

  it('should mask a registered secret wherever it appears, URL-encoded too', () => {
    registerSecret('p@ss word!');

    expect(redactText('error: p@ss word! / p%40ss%20word!')).toBe('error: [redacted] / [redacted]');
  });
});

describe(createLogger.name, () => {
  it('should redact secrets in messages, fields and error stacks before writing', () => {
    const capture = captureLogsForSpec();
    registerSecret('the-api-token-value');
    const logger = createLogger({ service: 'test', level: 'info', destination: capture.stream });

    logger.info({ url: 'http://x/apiccmd/services/rest/connect/open/login/pw/key', password: 'pw-field' }, 'calling with the-api-token-value');
    logger.error({ err: new Error('failed: the-api-token-value') }, 'boom');

    expect(capture.text()).not.toMatch(/the-api-token-value|pw-field|login\/pw/);
    expect(capture.text()).toContain('"service":"test"');
  });
});
