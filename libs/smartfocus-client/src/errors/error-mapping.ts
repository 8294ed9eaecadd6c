import {
  SmartFocusAuthenticationError,
  SmartFocusNotFoundError,
  SmartFocusProtocolError,
  SmartFocusSessionError,
  SmartFocusTransientError,
  SmartFocusValidationError,
  type SmartFocusError,
} from './smartfocus-errors';

/** The content of a `<response responseStatus="failed">` envelope. */
export type FailedEnvelope = { status: string; description: string; fields: string[] };

// Codes and texts from the reference (smartfocus-api.md §3): these mean "the token is no good".
const SESSION_STATUSES = new Set(['CHECK_SESSION_FAILED', 'SESSION_RETRIEVING_FAILED']);
const SESSION_DESCRIPTIONS = [
  /session has expired/i,
  /maximum number of connection allowed per session/i,
  /valid token/i,
  /fill in the token/i,
  /no available connection for the specified token/i,
];
// A failure of the server rather than of the request: worth another try.
const TRANSIENT_STATUSES = new Set(['INTERNAL_ERROR', 'SERVICE_UNAVAILABLE', 'GET_MANAGER_FAILED', 'GET_CLIENT_FAILED']);
const TRANSIENT_DESCRIPTIONS = [/an error occur+ed on the server/i];
const NOT_FOUND_STATUSES = new Set(['INVALID_UPLOAD_ID']);

/** Turns a failed envelope into the typed error callers branch on. */
export function errorFromEnvelope(operation: string, httpStatus: number, envelope: FailedEnvelope): SmartFocusError {
  const details = { operation, httpStatus, status: envelope.status, description: envelope.description, fields: envelope.fields };
  const message = `${envelope.status || 'FAILED'}: ${envelope.description}${envelope.fields.length ? ` (fields: ${envelope.fields.join(', ')})` : ''}`;
  if (SESSION_STATUSES.has(envelope.status) || SESSION_DESCRIPTIONS.some((pattern) => pattern.test(envelope.description))) {
    return new SmartFocusSessionError(message, details);
  }
  if (envelope.status === 'OPEN_CONNECTION_FAILED') return new SmartFocusAuthenticationError(message, details);
  if (NOT_FOUND_STATUSES.has(envelope.status) || envelope.status.endsWith('_NOT_FOUND')) {
    return new SmartFocusNotFoundError(message, details);
  }
  if (TRANSIENT_STATUSES.has(envelope.status) || TRANSIENT_DESCRIPTIONS.some((pattern) => pattern.test(envelope.description))) {
    return new SmartFocusTransientError(message, details);
  }
  return new SmartFocusValidationError(message, details);
}

/**
 * An answer that is not a SmartFocus envelope: a gateway or server error is worth another try,
 * anything else (a 404 from a wrong base URL, HTML instead of XML on a 200) is a protocol error.
 */
export function errorFromUnexpectedAnswer(operation: string, httpStatus: number, problem: string): SmartFocusError {
  const details = { operation, httpStatus };
  if (httpStatus >= 500 || httpStatus === 429 || httpStatus === 408) {
    return new SmartFocusTransientError(`HTTP ${httpStatus} without a SmartFocus envelope (${problem})`, details);
  }
  return new SmartFocusProtocolError(`HTTP ${httpStatus}: ${problem}`, details);
}
