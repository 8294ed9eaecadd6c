import { statusAt } from './campaign-status';

const SEND = new Date('2026-12-01T20:00:00Z');
const at = (minutes: number): Date => new Date(SEND.getTime() + minutes * 60_000);
const DURATION = 30 * 60_000;

describe(statusAt.name, () => {
  it('should keep a queued campaign QUEUED before its send date, RUNNING during the send, COMPLETED after', () => {
    expect(statusAt('QUEUED', SEND, at(-1), DURATION)).toBe('QUEUED');
    expect(statusAt('QUEUED', SEND, at(0), DURATION)).toBe('RUNNING');
    expect(statusAt('QUEUED', SEND, at(29), DURATION)).toBe('RUNNING');
    expect(statusAt('QUEUED', SEND, at(30), DURATION)).toBe('COMPLETED');
    expect(statusAt('RUNNING', SEND, at(31), DURATION)).toBe('COMPLETED');
  });

  it('should never move an editable campaign nor go backwards', () => {
    expect(statusAt('EDITABLE', SEND, at(1_000), DURATION)).toBe('EDITABLE');
    expect(statusAt('RUNNING', SEND, at(-60), DURATION)).toBe('RUNNING');
    expect(statusAt('COMPLETED', SEND, at(-60), DURATION)).toBe('COMPLETED');
  });
});
