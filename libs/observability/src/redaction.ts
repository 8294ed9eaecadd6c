// Secrets must never reach a log line or an error message. Two defences: known secret values
// (registered at boot from config) are replaced wherever they appear, and patterns that carry
// credentials are masked by shape: URL user-info, bearer tokens and query-string credentials
// here, and the patterns a component registers for the protocols it knows (the SmartFocus client
// registers the SmartFocus session URLs). E-mail addresses are masked by shape too.

const REDACTED = '[redacted]';
const secrets = new Set<string>();

/** Remembers a secret value (a password, a token) so that `redactText` masks it anywhere. */
export function registerSecret(value: string | undefined): void {
  // Very short values would mask ordinary words; config validation requires longer secrets.
  if (value && value.length >= 6) secrets.add(value);
}

/** The text that replaces a masked secret. */
export const REDACTED_TEXT = REDACTED;

const PATTERNS: Array<[RegExp, string]> = [
  // user:password@host in URLs.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:/\s@]+:)[^@/\s]+@/gi, `$1${REDACTED}@`],
  [/(\bBearer\s+)[A-Za-z0-9._~+/=-]+/g, `$1${REDACTED}`],
  // Credentials in query strings (the simulator accepts connect/open?password=...).
  [/([?&](?:token|password|key|apiKey|api_key)=)[^&\s"'#]+/gi, `$1${REDACTED}`],
  // E-mail addresses (personal data, never logged), URL-encoded too: kept as their shape,
  // `a***@***.com`, as profile-import shows a rejected cell.
  [/([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*(?:@|%40)[A-Za-z0-9.-]+?\.([A-Za-z]{2,6})(?![A-Za-z])/g, '$1***@***.$2'],
];

const registeredPatterns = new Set<string>();

/**
 * Adds a credential-carrying shape that `redactText` (and so every log line) masks from now on,
 * e.g. a protocol's URL paths that hold a password or a session token. `replacement` may use
 * the pattern's groups (`$1`); the pattern must be global (`g`). Registering it again is a no-op.
 */
export function registerRedactionPattern(pattern: RegExp, replacement: string): void {
  if (!pattern.global) throw new Error(`A redaction pattern must be global: ${String(pattern)}`);
  const key = `${String(pattern)} -> ${replacement}`;
  if (registeredPatterns.has(key)) return;
  registeredPatterns.add(key);
  PATTERNS.push([pattern, replacement]);
}

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
