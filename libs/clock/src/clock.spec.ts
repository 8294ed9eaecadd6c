import { ManualClock } from './clock';

describe(ManualClock.name, () => {
  it('should move forward only when advanced', () => {
    const clock = new ManualClock(new Date('2026-11-26T00:00:00Z'));

    clock.advance(36 * 3_600_000);

    expect(clock.now().toISOString()).toBe('2026-11-27T12:00:00.000Z');
  });

  it('should hand out copies so callers cannot change its time', () => {
    const clock = new ManualClock(new Date('2026-11-26T00:00:00Z'));

    clock.now().setUTCFullYear(1999);

    expect(clock.now().getUTCFullYear()).toBe(2026);
  });
});
