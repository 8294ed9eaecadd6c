/** An answer other than 2xx from the console or a service behind it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The validation messages as the service wrote them (Nest answers a list). */
    readonly details: readonly string[],
    /** The service's whole answer, for fields it names its own way. */
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | undefined;
let onSignedOut: (() => void) | undefined;

/** The token every write carries (from the session); set at sign-in and on load. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called when an answer says the session is gone (401), so the app can show the sign-in page. */
export function setSignedOutHandler(handler: () => void): void {
  onSignedOut = handler;
}

export function writeHeaders(): Record<string, string> {
  return csrfToken ? { 'X-CSRF-Token': csrfToken } : {};
}

/** JSON request to the console's API; throws ApiError with the service's message on failure. */
export async function api<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET') Object.assign(headers, writeHeaders());
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    credentials: 'same-origin',
    signal: init.signal,
  });
  return readAnswer<T>(response, path);
}

export async function readAnswer<T>(response: Response, path: string): Promise<T> {
  const text = await response.text();
  const body: unknown = text && (response.headers.get('content-type') ?? '').includes('json') ? safeJson(text) : text;
  if (!response.ok) {
    if (response.status === 401 && !path.endsWith('/api/session')) onSignedOut?.();
    throw toApiError(response.status, body);
  }
  return body as T;
}

export function toApiError(status: number, body: unknown): ApiError {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const raw = record['message'] ?? record['error'] ?? (typeof body === 'string' && body ? body : undefined);
  const details = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? [raw] : [];
  const message = details.length > 0 ? details.join('; ') : status === 502 || status === 504 ? 'The service is not reachable' : `Request failed (${status})`;
  return new ApiError(status, message, details, body);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
