/**
 * Failed sign-ins per user name within a sliding period; past the limit the name is refused until
 * the oldest failure leaves the period. Held in memory: each replica counts its own, which still
 * caps guessing at replicas x limit per period.
 */
export class SignInThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures: number,
    private readonly periodMs: number,
  ) {}

  isBlocked(userName: string, nowMs: number): boolean {
    return this.recent(userName, nowMs).length >= this.maxFailures;
  }

  recordFailure(userName: string, nowMs: number): void {
    const recent = this.recent(userName, nowMs);
    recent.push(nowMs);
    this.failures.set(userName, recent);
    // Unknown names cost memory too: forget the quietest when the map grows large.
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value as string);
  }

  reset(userName: string): void {
    this.failures.delete(userName);
  }

  private recent(userName: string, nowMs: number): number[] {
    return (this.failures.get(userName) ?? []).filter((at) => nowMs - at < this.periodMs);
  }
}
