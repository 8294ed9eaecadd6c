import { SmartFocusError } from '@optimove/smartfocus-client';

/** A failure retrying cannot fix (unknown template, validation, stale member list with the `fail` policy). */
export class PermanentDispatchError extends Error {
  override readonly name = 'PermanentDispatchError';

  constructor(
    readonly code: string,
    message: string,
    readonly smartFocusStatus?: string,
  ) {
    super(message);
  }
}

/** This replica no longer holds the group's claim (its lease ran out and another took it). */
export class ClaimLostError extends Error {
  override readonly name = 'ClaimLostError';
}

export type ClassifiedFailure = { permanent: boolean; code: string; message: string; smartFocusStatus?: string };

/**
 * Transient: SmartFocus server errors, timeouts, dropped connections, an open circuit, a session
 * refused again after the client's re-open, and anything of ours (database) that may pass.
 * Permanent: what SmartFocus refused (validation, not found, credentials, an answer we cannot read).
 */
export function classifyFailure(error: unknown): ClassifiedFailure {
  if (error instanceof PermanentDispatchError) return { permanent: true, code: error.code, message: error.message, smartFocusStatus: error.smartFocusStatus };
  if (error instanceof SmartFocusError) {
    const code = error.status ?? error.kind.toUpperCase().replace(/-/g, '_');
    const permanent = !(error.retryable || error.kind === 'session');
    return { permanent, code, message: error.message, smartFocusStatus: error.status };
  }
  return { permanent: false, code: 'INTERNAL', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
}
