import type { Clock } from './clock';

export type FollowedClockOptions = {
  /** Answers `{ "offsetMs": number }`: the SmartFocus simulator's `GET /admin/clock`. */
  url: string;
  /** Bearer token of that URL. */
  token: string;
  /** How often the offset is read again. */
  pollMs?: number;
  /** How long the first read may take (the followed app may still be starting). */
  startTimeoutMs?: number;
  /** Told when a read fails, once per run of failures (the last offset stays in force). */
  onError?: (error: Error) => void;
};

/**
 * Development and tests only: the machine's time plus the offset a simulated clock reports (the
 * SmartFocus simulator's), read again every `pollMs`. A demo or an end-to-end test moves every app's
 * time through a week by moving the simulator's clock alone.
 */
export class FollowedClock implements Clock {
  private offsetMs = 0;
  private timer?: NodeJS.Timeout;
  private failing = false;

  private constructor(private readonly options: Required<Omit<FollowedClockOptions, 'onError'>> & Pick<FollowedClockOptions, 'onError'>) {}

  /** Reads the offset once (retrying until `startTimeoutMs`), then keeps following it. */
  static async start(options: FollowedClockOptions): Promise<FollowedClock> {
    const clock = new FollowedClock({ pollMs: 200, startTimeoutMs: 60_000, ...options });
    const deadline = Date.now() + clock.options.startTimeoutMs;
    for (;;) {
      try {
        await clock.read();
        break;
      } catch (error) {
        if (Date.now() >= deadline) {
          throw new Error(`The clock to follow at ${options.url} did not answer within ${clock.options.startTimeoutMs} ms: ${(error as Error).message}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    clock.timer = setInterval(() => void clock.poll(), clock.options.pollMs);
    clock.timer.unref();
    return clock;
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async poll(): Promise<void> {
    try {
      await this.read();
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.options.onError?.(error as Error);
      this.failing = true;
    }
  }

  private async read(): Promise<void> {
    const response = await fetch(this.options.url, {
      headers: { Authorization: `Bearer ${this.options.token}`, Accept: 'application/json' },
      signal: AbortSignal.timeout(2_000),
    });
    if (!response.ok) throw new Error(`${this.options.url} answered ${response.status}`);
    const body = (await response.json()) as { offsetMs?: unknown };
    if (typeof body.offsetMs !== 'number' || !Number.isFinite(body.offsetMs)) throw new Error(`${this.options.url} gave no numeric offsetMs`);
    this.offsetMs = body.offsetMs;
  }
}
