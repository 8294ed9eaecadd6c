import { ReopenBackoff } from './reopen-backoff';

describe(ReopenBackoff.name, () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-11-30T06:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('should reopen at once a channel that broke long after it was opened', () => {
    const backoff = new ReopenBackoff();
    backoff.opened();
    jest.advanceTimersByTime(60_000);

    expect(backoff.pauseAfterFailure()).toBe(0);
  });

  it('should double the pause, up to 30 s, while channels break right after they are opened', () => {
    const backoff = new ReopenBackoff();
    const pauses = [backoff.pauseAfterFailure()];
    for (let failure = 0; failure < 7; failure += 1) {
      backoff.opened();
      jest.advanceTimersByTime(100);
      pauses.push(backoff.pauseAfterFailure());
    }

    expect(pauses).toEqual([0, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });

  it('should start again at once when a channel lasted after a streak of failures', () => {
    const backoff = new ReopenBackoff();
    backoff.opened();
    backoff.pauseAfterFailure();
    backoff.opened();
    expect(backoff.pauseAfterFailure()).toBe(2_000);
    backoff.opened();
    jest.advanceTimersByTime(10_000);

    expect(backoff.pauseAfterFailure()).toBe(0);
  });
});
