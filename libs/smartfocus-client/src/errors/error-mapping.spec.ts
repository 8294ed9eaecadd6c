import { errorFromEnvelope, errorFromUnexpectedAnswer } from './error-mapping';
import {
  SmartFocusAuthenticationError,
  SmartFocusNotFoundError,
  SmartFocusProtocolError,
  SmartFocusSessionError,
  SmartFocusTransientError,
  SmartFocusValidationError,
} from './smartfocus-errors';
import { registerSecret } from '@optimove/observability';

describe('errorFromEnvelope', () => {
  it.each([
    ['CHECK_SESSION_FAILED', 'No available connection for the specified token.', SmartFocusSessionError],
    ['SESSION_RETRIEVING_FAILED', 'whatever', SmartFocusSessionError],
    ['', 'Your session has expired due to timeout', SmartFocusSessionError],
    ['SOME_CODE', 'The maximum number of connection allowed per session has been reached', SmartFocusSessionError],
    ['OPEN_CONNECTION_FAILED', 'No manager retrieved for those login, password.', SmartFocusAuthenticationError],
    ['CAMPAIGN_NOT_FOUND', 'No campaign with id 5.', SmartFocusNotFoundError],
    ['INVALID_UPLOAD_ID', 'No upload.', SmartFocusNotFoundError],
    ['INTERNAL_ERROR', 'An error occured on the server', SmartFocusTransientError],
    ['UNKNOWN', 'An error occurred on the server', SmartFocusTransientError],
    ['MESSAGE_ALREADY_USED', 'Message 1 is already used', SmartFocusValidationError],
    ['INVALID_PARAMETERS', 'Too many values', SmartFocusValidationError],
  ])('should map status %s / "%s" to %p', (status, description, type) => {
    const error = errorFromEnvelope('campaign/create', 500, { status, description, fields: ['values'] });
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ operation: 'campaign/create', status, httpStatus: 500, fields: ['values'] });
  });

  it('should mark only transient failures as retryable', () => {
    expect(errorFromEnvelope('x', 500, { status: 'INTERNAL_ERROR', description: '', fields: [] }).retryable).toBe(true);
    expect(errorFromEnvelope('x', 500, { status: 'INVALID_PARAMETERS', description: '', fields: [] }).retryable).toBe(false);
  });

  it('should redact secrets a description carries', () => {
    registerSecret('s3cret-token-value');
    const error = errorFromEnvelope('x', 500, { status: 'CHECK_SESSION_FAILED', description: 'token s3cret-token-value is closed', fields: [] });
    expect(error.message).not.toContain('s3cret-token-value');
    expect(error.description).not.toContain('s3cret-token-value');
  });
});

describe('errorFromUnexpectedAnswer', () => {
  it('should treat gateway and server errors without an envelope as transient, other answers as protocol errors', () => {
    expect(errorFromUnexpectedAnswer('x', 502, 'HTML')).toBeInstanceOf(SmartFocusTransientError);
    expect(errorFromUnexpectedAnswer('x', 429, 'HTML')).toBeInstanceOf(SmartFocusTransientError);
    expect(errorFromUnexpectedAnswer('x', 404, 'HTML')).toBeInstanceOf(SmartFocusProtocolError);
    expect(errorFromUnexpectedAnswer('x', 200, 'not XML')).toBeInstanceOf(SmartFocusProtocolError);
  });
});
