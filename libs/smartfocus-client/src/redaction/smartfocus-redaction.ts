import { REDACTED_TEXT, registerRedactionPattern } from '@optimove/observability';

/**
 * The SmartFocus URL shapes that carry credentials, which the client knows and the logger does
 * not: registered with the logger's redaction when the client (or one of its errors) is created.
 */
export const SMARTFOCUS_URL_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  // connect/open/{login}/{password}/{key} carries the password in the path.
  [/(connect\/open)\/[^\s"'?#]+/gi, `$1/${REDACTED_TEXT}`],
  // Every other call carries the session token as the first path segment after the operation
  // (e.g. campaign/create/{token}/...; segmentationservice/{token}/segment).
  [/((?:apiccmd|apimember|apibatchmember)\/services\/rest\/[A-Za-z]+\/[A-Za-z]+\/)[^/\s"'?#]+/g, `$1${REDACTED_TEXT}`],
  [/((?:segmentationservice|batchmemberservice)\/)[^/\s"'?#]+/g, `$1${REDACTED_TEXT}`],
];

let registered = false;

/** Makes every log line and `redactText` mask SmartFocus credentials and tokens. Idempotent. */
export function registerSmartFocusRedaction(): void {
  if (registered) return;
  registered = true;
  for (const [pattern, replacement] of SMARTFOCUS_URL_PATTERNS) registerRedactionPattern(pattern, replacement);
}
