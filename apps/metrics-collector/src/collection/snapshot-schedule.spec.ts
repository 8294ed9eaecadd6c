import { retryDelayMs, snapshotSchedule } from './snapshot-schedule';

describe('snapshotSchedule', () => {
  it('should plan the send-end snapshot and one a day for the configured days after the send time', () => {
    const plan = snapshotSchedule(new Date('2026-11-30T08:00:00Z'), 7, 60);

    expect(plan.map((fetch) => fetch.day)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(plan[0].dueAt.toISOString()).toBe('2026-11-30T09:00:00.000Z');
    expect(plan[1].dueAt.toISOString()).toBe('2026-12-01T08:00:00.000Z');
    expect(plan[7].dueAt.toISOString()).toBe('2026-12-07T08:00:00.000Z');
  });

  it('should double the retry delay up to its cap', () => {
    expect([1, 2, 3, 4, 10].map((attempt) => retryDelayMs(attempt, 1_000, 5_000))).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
  });
});
