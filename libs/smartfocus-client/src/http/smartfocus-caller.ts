import {
  BrokenCircuitError,
  ConsecutiveBreaker,
  ExponentialBackoff,
  bulkhead,
  circuitBreaker,
  handleWhen,
  retry,
  wrap,
  type IPolicy,
  type RetryPolicy,
} from 'cockatiel';
import type { Logger } from '@optimove/observability';
import type { SmartFocusClientSettings } from '../smartfocus-client.config';
import { errorFromEnvelope, errorFromUnexpectedAnswer } from '../errors/error-mapping';
import {
  SmartFocusCircuitOpenError,
  SmartFocusProtocolError,
  SmartFocusSessionError,
  SmartFocusTransientError,
  SmartFocusValidationError,
} from '../errors/smartfocus-errors';
import { SessionPool } from '../sessions/session-pool';
import type { SmartFocusModule } from '../types';
import { parseResponse } from '../xml/response-parser';
import { UnexpectedXmlError, textOf, type XmlElement } from '../xml/xml-node';

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE';

/** One SmartFocus call, described without its token. */
export type CallRequest = {
  module: SmartFocusModule;
  /** Name for logs and errors, e.g. `campaign/post`. The URL itself is never logged. */
  operation: string;
  method: HttpMethod;
  /** The path below `/{module}/services/rest/`, given the session token; build it with `pathOf`. */
  path: (token: string) => string;
  body?: { contentType: string; content: string };
  /**
   * Whether a transient failure may be retried. False for calls that are not idempotent
   * (`campaign/create`): their caller decides after looking at the server's state.
   */
  retryTransient: boolean;
};

/** Joins URL path segments, encoding each one (`/` in a name becomes `%2F`). */
export function pathOf(...segments: ReadonlyArray<string | number | boolean>): string {
  return segments
    .map((segment) => {
      const text = String(segment);
      if (text.length === 0) throw new SmartFocusValidationError('an empty value cannot travel as a path segment', { operation: 'request' });
      // Dot segments would be collapsed by the URL parser.
      if (text === '.' || text === '..') return text.replace(/\./g, '%2E');
      // encodeURIComponent leaves ! ' ( ) * as they are; an apostrophe in the password ended the
      // masking of connect/open/... in the logs (here and in any server's access log) part-way.
      return encodeURIComponent(text).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
    })
    .join('/');
}

/**
 * Performs SmartFocus calls: a session token per module (lazy, reused, re-opened once when
 * refused), a timeout per request, a concurrency limit, a circuit breaker over transient failures
 * and retries with exponential backoff and jitter for transient failures of idempotent calls.
 */
export class SmartFocusCaller {
  private readonly sessions: SessionPool;
  private readonly retryPolicy: RetryPolicy;
  private readonly exchangePolicy: IPolicy;

  constructor(
    private readonly settings: SmartFocusClientSettings,
    private readonly logger: Logger,
  ) {
    const isTransient = (error: Error): boolean => error instanceof SmartFocusTransientError;
    this.retryPolicy = retry(handleWhen(isTransient), {
      maxAttempts: settings.retryMaxAttempts - 1,
      // Decorrelated jitter (cockatiel's default generator) between the initial and the maximum delay.
      backoff: new ExponentialBackoff({ initialDelay: settings.retryInitialDelayMs, maxDelay: settings.retryMaxDelayMs }),
    });
    const breaker = circuitBreaker(handleWhen(isTransient), {
      halfOpenAfter: settings.circuitBreakerHalfOpenAfterMs,
      breaker: new ConsecutiveBreaker(settings.circuitBreakerThreshold),
    });
    breaker.onBreak(() => this.logger.warn({ halfOpenAfterMs: settings.circuitBreakerHalfOpenAfterMs }, 'SmartFocus circuit opened'));
    breaker.onReset(() => this.logger.info('SmartFocus circuit closed'));
    this.exchangePolicy = wrap(breaker, bulkhead(settings.maxConcurrency, Number.MAX_SAFE_INTEGER));
    this.sessions = new SessionPool({
      open: (module) => this.openSession(module),
      close: (module, token) => this.closeSession(module, token),
      logger,
    });
  }

  /** Performs the call and decodes the success body; a body the decoder rejects is a SmartFocusProtocolError. */
  async call<T>(request: CallRequest, decode: (body: XmlElement) => T): Promise<T> {
    const body = request.retryTransient
      ? await this.retryPolicy.execute(({ attempt }) => this.attemptWithSession(request, attempt))
      : await this.attemptWithSession(request, 0);
    try {
      return decode(body);
    } catch (error) {
      if (error instanceof UnexpectedXmlError) {
        throw new SmartFocusProtocolError(`unexpected answer: ${error.message}`, { operation: request.operation, httpStatus: 200 });
      }
      throw error;
    }
  }

  /** A GET call (the path-info style most operations use). */
  get<T>(module: SmartFocusModule, operation: string, path: (token: string) => string, decode: (body: XmlElement) => T, retryTransient = true): Promise<T> {
    return this.call({ module, operation, method: 'GET', path, retryTransient }, decode);
  }

  /** Opens the module's session now if none is open (to fail fast on bad credentials). */
  async open(module: SmartFocusModule): Promise<void> {
    await this.retryPolicy.execute(() => this.sessions.token(module));
  }

  /** Closes the open sessions of the given modules, or all of them (on shutdown). */
  close(modules?: readonly SmartFocusModule[]): Promise<void> {
    return this.sessions.close(modules);
  }

  private async attemptWithSession(request: CallRequest, attempt: number): Promise<XmlElement> {
    if (attempt > 0) this.logger.warn({ operation: request.operation, attempt: attempt + 1 }, 'Retrying SmartFocus call after a transient failure');
    const token = await this.sessions.token(request.module);
    try {
      return await this.send(request, token);
    } catch (error) {
      if (!(error instanceof SmartFocusSessionError)) throw error;
      // The token was refused before the call ran (expired, closed, call cap): re-open once.
      this.logger.info({ operation: request.operation, module: request.module, status: error.status }, 'SmartFocus session refused; re-opening');
      this.sessions.invalidate(request.module, token);
      return this.send(request, await this.sessions.token(request.module));
    }
  }

  private async openSession(module: SmartFocusModule): Promise<string> {
    const { login, password, apiKey } = this.settings;
    const body = await this.send(
      { module, operation: 'connect/open', method: 'GET', path: () => pathOf('connect', 'open', login, password, apiKey), retryTransient: true },
      '',
    );
    let text: string | undefined;
    try {
      text = textOf(body['result'], 'response/result');
    } catch {
      text = undefined;
    }
    // A token travels as a path segment: it must be one.
    if (text === undefined || !/^[^\s/?#]{8,}$/.test(text.trim())) {
      throw new SmartFocusProtocolError('connect/open did not return a token', { operation: 'connect/open', httpStatus: 200 });
    }
    return text.trim();
  }

  private async closeSession(module: SmartFocusModule, token: string): Promise<void> {
    await this.send({ module, operation: 'connect/close', method: 'GET', path: (t) => pathOf('connect', 'close', t), retryTransient: false }, token);
  }

  /** One HTTP exchange through the circuit breaker and the concurrency limit. */
  private async send(request: CallRequest, token: string): Promise<XmlElement> {
    const started = performance.now();
    try {
      const body = await this.exchangePolicy.execute(() => this.exchange(request, token));
      this.logger.debug({ operation: request.operation, durationMs: Math.round(performance.now() - started) }, 'SmartFocus call succeeded');
      return body;
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        throw new SmartFocusCircuitOpenError('refused without calling: the circuit is open after repeated transient failures', {
          operation: request.operation,
        });
      }
      this.logger.debug(
        { operation: request.operation, durationMs: Math.round(performance.now() - started), error: error instanceof Error ? error.message : String(error) },
        'SmartFocus call failed',
      );
      throw error;
    }
  }

  private async exchange(request: CallRequest, token: string): Promise<XmlElement> {
    const { operation } = request;
    const url = `${this.settings.baseUrl}/${request.module}/services/rest/${request.path(token)}`;
    const headers: Record<string, string> = { Accept: 'application/xml' };
    if (request.body) headers['Content-Type'] = request.body.contentType;
    let status: number;
    let text: string;
    try {
      const response = await fetch(url, {
        method: request.method,
        headers,
        body: request.body?.content,
        signal: AbortSignal.timeout(this.settings.requestTimeoutMs),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      throw transportError(operation, error, this.settings.requestTimeoutMs);
    }
    let envelope;
    try {
      envelope = parseResponse(text);
    } catch (error) {
      if (error instanceof UnexpectedXmlError) throw errorFromUnexpectedAnswer(operation, status, error.message);
      throw error;
    }
    if (envelope.outcome === 'failed') throw errorFromEnvelope(operation, status, envelope.failure);
    if (status !== 200) throw errorFromUnexpectedAnswer(operation, status, 'a success envelope with an error status');
    return envelope.body;
  }
}

function transportError(operation: string, error: unknown, timeoutMs: number): SmartFocusTransientError {
  // Checked by name: the DOMException of AbortSignal.timeout may come from another realm.
  const name = typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new SmartFocusTransientError(`no answer within ${timeoutMs} ms`, { operation });
  }
  // undici reports "fetch failed" and puts the reason (ECONNRESET, "other side closed") in the cause.
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const reason = cause ? `${cause.message}${'code' in cause && typeof cause.code === 'string' ? ` (${cause.code})` : ''}` : String(error);
  return new SmartFocusTransientError(`connection failed: ${reason}`, { operation });
}
