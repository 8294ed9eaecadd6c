/** A channel that breaks within this time of its opening (its setup failed) is reopened after a pause. */
const QUICK_FAILURE_MS = 5_000;
const MAX_PAUSE_MS = 30_000;

/**
 * When to reopen a channel the broker closed with an error: at once, unless it broke soon after
 * it was opened (its setup fails, e.g. a queue or exchange declared before with other
 * arguments), then after a pause that doubles up to 30 s, so it is not reopened in a loop.
 */
export class ReopenBackoff {
  private lastOpened = 0;
  private quickFailures = 0;

  /** The pause before opening again a channel that broke just now. */
  pauseAfterFailure(): number {
    this.quickFailures = Date.now() - this.lastOpened < QUICK_FAILURE_MS ? this.quickFailures + 1 : 0;
    return this.quickFailures === 0 ? 0 : Math.min(MAX_PAUSE_MS, 1_000 * 2 ** (this.quickFailures - 1));
  }

  opened(): void {
    this.lastOpened = Date.now();
  }
}
