import { captureLogsForSpec } from './test-support';
import { createLogger } from './logger';
import { redactText, registerRedactionPattern, registerSecret } from './redaction';

describe(redactText.name, () => {
  it('should mask the shapes a component registers, from then on', () => {
    const text = 'GET /vendor/session/abc123secret/call';
    expect(redactText(text)).toBe(text);

    registerRedactionPattern(/(vendor\/session\/)[^/\s]+/g, '$1[redacted]');

    expect(redactText(text)).toBe('GET /vendor/session/[redacted]/call');
    expect(() => registerRedactionPattern(/not-global/, 'x')).toThrow(/global/);
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

  it('should mask e-mail addresses, URL-encoded too, keeping their shape', () => {
    expect(redactText('"url":"/imports/customers?fileName=c_zelda.quarry%40pii-example.org.csv","to":"Zelda.Q+news@mail.example.co.uk"')).toBe(
      '"url":"/imports/customers?fileName=c***@***.org.csv","to":"Z***@***.co.uk"',
    );
    expect(redactText('postgres://postgres@127.0.0.1:5432/db @optimove/observability pkg@1.2.3')).toBe('postgres://postgres@127.0.0.1:5432/db @optimove/observability pkg@1.2.3');
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

    logger.info({ url: 'http://login:pw@x/', password: 'pw-field' }, 'calling with the-api-token-value');
    logger.error({ err: new Error('failed: the-api-token-value') }, 'boom');

    expect(capture.text()).not.toMatch(/the-api-token-value|pw-field|login:pw/);
    expect(capture.text()).toContain('"service":"test"');
  });

  it("should never write a session cookie the response sets, nor a request's cookie, authorization or CSRF token", () => {
    const capture = captureLogsForSpec();
    const logger = createLogger({ service: 'test', level: 'info', destination: capture.stream });

    logger.info(
      {
        req: { headers: { authorization: 'Bearer abc-request-token', cookie: 'console_session=req-cookie-value', 'x-csrf-token': 'csrf-token-value' } },
        res: { headers: { 'set-cookie': 'console_session=06l1ZI85-session-token; Path=/; HttpOnly' } },
      },
      'request completed',
    );

    expect(capture.text()).not.toMatch(/abc-request-token|req-cookie-value|csrf-token-value|06l1ZI85-session-token/);
    expect(capture.text()).toContain('request completed');
  });
});
