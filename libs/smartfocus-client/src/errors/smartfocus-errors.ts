import { redactText } from '@optimove/observability';
import { registerSmartFocusRedaction } from '../redaction/smartfocus-redaction';

/**
 * What kind of failure a SmartFocus call met. Callers branch on it:
 * - `session`: the token was refused (expired, closed, call cap); the client re-opens once itself;
 * - `authentication`: the login, password or API key was refused at `connect/open` (permanent);
 * - `validation`: SmartFocus refused the request (permanent: do not retry);
 * - `not-found`: the object does not exist (permanent);
 * - `transient`: a server error, a timeout or a dropped connection (retried with backoff);
 * - `circuit-open`: too many transient failures in a row; calls are refused for a while;
 * - `protocol`: the answer was not the XML the reference describes (permanent).
 */
export type SmartFocusErrorKind =
  | 'session'
  | 'authentication'
  | 'validation'
  | 'not-found'
  | 'transient'
  | 'circuit-open'
  | 'protocol';

export type SmartFocusErrorDetails = {
  /** The operation, e.g. `campaign/create`; never the URL (it carries the token or the password). */
  operation: string;
  /** The machine code of the failed envelope, e.g. `CHECK_SESSION_FAILED`, when SmartFocus sent one. */
  status?: string;
  /** The human text of the failed envelope. */
  description?: string;
  /** The offending parameters named by the failed envelope. */
  fields?: readonly string[];
  /** HTTP status of the answer, when there was one. */
  httpStatus?: number;
  cause?: unknown;
};

/** Base of every error the SmartFocus client throws. Its message is redacted. */
export abstract class SmartFocusError extends Error {
  abstract readonly kind: SmartFocusErrorKind;
  readonly operation: string;
  readonly status: string | undefined;
  readonly description: string | undefined;
  readonly fields: readonly string[];
  readonly httpStatus: number | undefined;

  constructor(message: string, details: SmartFocusErrorDetails) {
    registerSmartFocusRedaction();
    super(redactText(`SmartFocus ${details.operation}: ${message}`), details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.operation = details.operation;
    this.status = details.status;
    this.description = details.description === undefined ? undefined : redactText(details.description);
    this.fields = (details.fields ?? []).map(redactText);
    this.httpStatus = details.httpStatus;
  }

  /** True when calling again later may succeed (transient failures and an open circuit). */
  get retryable(): boolean {
    return this.kind === 'transient' || this.kind === 'circuit-open';
  }
}

export class SmartFocusSessionError extends SmartFocusError {
  readonly kind = 'session';
}

export class SmartFocusAuthenticationError extends SmartFocusError {
  readonly kind = 'authentication';
}

export class SmartFocusValidationError extends SmartFocusError {
  readonly kind = 'validation';
}

export class SmartFocusNotFoundError extends SmartFocusError {
  readonly kind = 'not-found';
}

export class SmartFocusTransientError extends SmartFocusError {
  readonly kind = 'transient';
}

export class SmartFocusCircuitOpenError extends SmartFocusError {
  readonly kind = 'circuit-open';
}

export class SmartFocusProtocolError extends SmartFocusError {
  readonly kind = 'protocol';
}
