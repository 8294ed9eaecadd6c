/** One sign-in attempt, from before its password is compared until it is settled. */
export type SignInAttempt = {
  readonly userName: string;
  /** When it began: a failure counts from then. */
  readonly atMs: number;
  state: 'pending' | 'failed';
  /** The failures already settled when it began: a success forgives those, not the ones beside it. */
  before: readonly SignInAttempt[];
};

export type ThrottleAnswer = { ok: true; attempt: SignInAttempt } | { ok: false; reason: 'throttled' | 'busy' };

/** How many user names the throttle tracks at most (each holds at most `maxFailures` attempts). */
export const MAX_TRACKED_NAMES = 10_000;

/**
 * Sign-in attempts per user name within a sliding period. An attempt is reserved before its
 * password is compared and counts while pending, so however many requests arrive at once, at most
 * `maxFailures` of a name's guesses are compared per period; past the limit the name is refused
 * until the oldest failure leaves the period.
 *
 * Held in memory: each replica counts its own, which still caps guessing at replicas x limit per
 * period. Unknown names are tracked like known ones (the answers must not tell them apart), so the
 * table is bounded: a name whose attempts have all left the period is dropped, a tracked name is
 * never forgotten before then, and while the table is full a name not in it is refused ('busy')
 * rather than pushing out another name's count.
 */
export class SignInThrottle {
  // Ordered by last attempt begun (a name moves to the end with each), so expired names come first.
  private readonly attempts = new Map<string, SignInAttempt[]>();

  constructor(
    private readonly maxFailures: number,
    private readonly periodMs: number,
    private readonly maxNames = MAX_TRACKED_NAMES,
  ) {}

  /** Reserves an attempt for `userName`, or says why none may be made now. */
  begin(userName: string, nowMs: number): ThrottleAnswer {
    this.dropExpired(nowMs);
    const tracked = this.attempts.get(userName);
    if (!tracked && this.attempts.size >= this.maxNames) return { ok: false, reason: 'busy' };
    const counted = (tracked ?? []).filter((attempt) => this.counts(attempt, nowMs));
    if (counted.length >= this.maxFailures) return { ok: false, reason: 'throttled' };
    const attempt: SignInAttempt = { userName, atMs: nowMs, state: 'pending', before: counted.filter((earlier) => earlier.state === 'failed') };
    this.touch(userName, [...counted, attempt]);
    return { ok: true, attempt };
  }

  /** The password did not match: the attempt counts as a failure for the rest of its period. */
  fail(attempt: SignInAttempt): void {
    attempt.state = 'failed';
    // Only a pending attempt needs them; a settled one holding them would chain every attempt ever made.
    attempt.before = [];
  }

  /**
   * The password matched: the attempt and the failures settled before it began are forgotten;
   * those still in flight beside it, or begun after it, keep counting.
   */
  succeed(attempt: SignInAttempt): void {
    const forgiven = new Set([attempt, ...attempt.before]);
    const left = (this.attempts.get(attempt.userName) ?? []).filter((other) => !forgiven.has(other));
    if (left.length > 0) this.attempts.set(attempt.userName, left);
    else this.attempts.delete(attempt.userName);
  }

  private counts(attempt: SignInAttempt, nowMs: number): boolean {
    return attempt.state === 'pending' || nowMs - attempt.atMs < this.periodMs;
  }

  private touch(userName: string, attempts: SignInAttempt[]): void {
    this.attempts.delete(userName);
    this.attempts.set(userName, attempts);
  }

  // Amortised O(1): stops at the first name that still counts (later ones were touched later).
  private dropExpired(nowMs: number): void {
    for (const [userName, attempts] of this.attempts) {
      if (attempts.some((attempt) => this.counts(attempt, nowMs))) return;
      this.attempts.delete(userName);
    }
  }
}
