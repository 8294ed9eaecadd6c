// Secrets must never reach a log line or an error message. Two defences: known secret values
// (registered at boot from config) are replaced wherever they appear, and patterns that carry
// credentials (SmartFocus session URLs, URL user-info, bearer tokens) are masked by shape.

const REDACTED = '[redacted]';
const secrets = new Set<string>();

/** Remembers a secret value (a password, a token) so that `redactText` masks it anywhere. */
export function registerSecret(value: string | undefined): void {
  // Very short values would mask ordinary words; config validation requires longer secrets.
  if (value && value.length >= 6) secrets.add(value);
}

const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  // SmartFocus: connect/open/{login}/{password}/{key} carries the password in the path.
  [/(connect\/open)\/[^\s"'?#]+/gi, `$1/${REDACTED}`],
  // SmartFocus: every other call carries the session token as the first path segment after the
  // operation (e.g. campaign/create/{token}/...; segmentationservice/{token}/segment).
  [/((?:apiccmd|apimember|apibatchmember)\/services\/rest\/[A-Za-z]+\/[A-Za-z]+\/)[^/\s"'?#]+/g, `$1${REDACTED}`],
  [/((?:segmentationservice|batchmemberservice)\/)[^/\s"'?#]+/g, `$1${REDACTED}`],
  // user:password@host in URLs.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:/\s@]+:)[^@/\s]+@/gi, `$1${REDACTED}@`],
  [/(\bBearer\s+)[A-Za-z0-9._~+/=-]+/g, `$1${REDACTED}`],
  // Credentials in query strings (the simulator accepts connect/open?password=...).
  [/([?&](?:token|password|key|apiKey|api_key)=)[^&\s"'#]+/gi, `$1${REDACTED}`],
];

/** Masks registered secrets and credential-carrying patterns in any text. */
export function redactText(text: string): string {
  let result = text;
  for (const [pattern, replacement] of PATTERNS) result = result.replace(pattern, replacement);
  for (const secret of secrets) {
    if (result.includes(secret)) result = result.split(secret).join(REDACTED);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret && result.includes(encoded)) result = result.split(encoded).join(REDACTED);
  }
  return result;
}
