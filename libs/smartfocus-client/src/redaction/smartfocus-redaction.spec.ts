import { Writable } from 'node:stream';
import { createLogger, redactText } from '@optimove/observability';
import { registerSmartFocusRedaction } from './smartfocus-redaction';
import { SmartFocusClient } from '../smartfocus-client';
import { pathOf } from '../http/smartfocus-caller';

describe(registerSmartFocusRedaction.name, () => {
  const connectUrl = 'GET https://p7apie.emv3.com/apiccmd/services/rest/connect/open/acme/s3cr3t-pass/CdX7Crxx failed';

  it('should leave SmartFocus paths to the client: the logger alone does not know them', () => {
    expect(redactText(connectUrl)).toContain('s3cr3t-pass');
  });

  it('should make the logger mask the login, password and key of a connect URL once the client exists', () => {
    let written = '';
    const destination = new Writable({ write: (chunk: Buffer, _encoding, done) => ((written += chunk.toString()), done()) });
    new SmartFocusClient({
      baseUrl: 'http://127.0.0.1:1',
      login: 'acme',
      password: 'another-password',
      apiKey: 'another-api-key',
      requestTimeoutMs: 1_000,
      retryMaxAttempts: 1,
      retryInitialDelayMs: 1,
      retryMaxDelayMs: 1,
      maxConcurrency: 1,
      circuitBreakerThreshold: 5,
      circuitBreakerHalfOpenAfterMs: 100,
      criteriaValuesCap: 10,
      timeZone: 'UTC',
    });

    createLogger({ service: 'test', level: 'info', destination }).info({ url: connectUrl }, connectUrl);

    expect(written).toContain('connect/open/[redacted]');
    expect(written).not.toContain('s3cr3t-pass');
    expect(redactText(connectUrl)).toBe('GET https://p7apie.emv3.com/apiccmd/services/rest/connect/open/[redacted] failed');
  });

  it('should mask the whole password of the connect URL the client sends, whatever characters it holds', () => {
    registerSmartFocusRedaction();
    // encodeURIComponent leaves ' ( ) * ! as they are; the redaction stopped at the apostrophe.
    const sent = `GET /apiccmd/services/rest/${pathOf('connect', 'open', 'acme', "it's(my)pass*word!", 'key-123456')}`;

    expect(redactText(sent)).toBe('GET /apiccmd/services/rest/connect/open/[redacted]');
  });

  it('should mask the session token in SmartFocus paths', () => {
    registerSmartFocusRedaction();
    const text = 'apiccmd/services/rest/campaign/create/TOKEN123abc/name/desc and segmentationservice/TOKEN123abc/segment';

    expect(redactText(text)).not.toContain('TOKEN123abc');
  });
});
