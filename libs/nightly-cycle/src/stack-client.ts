import { Readable } from 'node:stream';

/** The apps of a running stack, by the names their URLs are known under. */
export const STACK_APPS = ['smartfocus-simulator', 'profile-import', 'segmentation', 'smartfocus-dispatch', 'metrics-collector'] as const;
export type StackApp = (typeof STACK_APPS)[number];

export type StackAnswer<T = unknown> = { status: number; ok: boolean; body: T };

/** An API error of a stack's app: which call, its status and the start of its body. */
export class StackCallError extends Error {
  constructor(
    readonly app: StackApp,
    readonly method: string,
    readonly path: string,
    readonly status: number,
    body: unknown,
  ) {
    super(`${app} ${method} ${path} answered ${status}: ${JSON.stringify(body).slice(0, 500)}`);
  }
}

/** HTTP client of a running stack's apps, with its bearer token: what a client of the product sees. */
export class StackClient {
  constructor(
    readonly urls: Readonly<Record<StackApp, string>>,
    private readonly token: string,
  ) {}

  /** Calls an app; a JSON body is sent as JSON, a stream or a string as it is (give its Content-Type). */
  async call<T = unknown>(app: StackApp, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<StackAnswer<T>> {
    const init: RequestInit & { duplex?: 'half' } = { method, headers: { Authorization: `Bearer ${this.token}`, ...headers } };
    if (body instanceof Readable) Object.assign(init, { body: Readable.toWeb(body), duplex: 'half' });
    else if (typeof body === 'string') init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
    }
    let response: Response;
    try {
      response = await fetch(`${this.urls[app]}${path}`, init);
    } catch (error) {
      // fetch says only "fetch failed": name the call and the cause (a refused connection, a closed socket, ...).
      const cause = (error as { cause?: { message?: string } }).cause?.message ?? String(error);
      throw new Error(`${app} ${method} ${path.split('?')[0]} failed: ${cause}`, { cause: error });
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: the text itself
    }
    return { status: response.status, ok: response.ok, body: parsed as T };
  }

  /** Like `call`, but a non-2xx answer is a StackCallError. */
  async must<T = unknown>(app: StackApp, method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    const answer = await this.call<T>(app, method, path, body, headers);
    if (!answer.ok) throw new StackCallError(app, method, path, answer.status, answer.body);
    return answer.body;
  }

  /** Waits until the app's `/health/ready` answers 200. */
  async waitReady(app: StackApp, timeoutMs = 120_000, alive: () => void = () => undefined): Promise<void> {
    await waitFor(`${app} ready at ${this.urls[app]}`, timeoutMs, async () => {
      alive();
      try {
        return (await fetch(`${this.urls[app]}/health/ready`)).ok;
      } catch {
        return false; // not listening yet
      }
    });
  }
}

/** Polls `check` every `intervalMs` until it gives a value other than false/undefined; throws after `timeoutMs`. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | false | undefined>, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result !== false && result !== undefined) return result;
    if (Date.now() >= deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
