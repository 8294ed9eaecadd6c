import { SmartFocusFault } from './smartfocus-fault';
import { parseInputDate } from './parameters';

describe('parseInputDate', () => {
  it('should read the reference input forms, with an optional offset, without one in the account zone', () => {
    expect(parseInputDate('2026-12-01 21:00:00', 'sendDate', 'Europe/Paris')).toEqual(new Date('2026-12-01T20:00:00Z'));
    expect(parseInputDate('2026-12-01T21:00:00', 'sendDate', 'Europe/Paris')).toEqual(new Date('2026-12-01T20:00:00Z'));
    expect(parseInputDate('2026-12-01T21:00:00+01:00', 'sendDate', 'UTC')).toEqual(new Date('2026-12-01T20:00:00Z'));
    expect(parseInputDate('2026-12-01T20:00:00Z', 'sendDate', 'Europe/Paris')).toEqual(new Date('2026-12-01T20:00:00Z'));
  });

  it('should refuse a date without seconds or with fractions of a second, forms the reference does not name', () => {
    // A client sending Date.toISOString() must not pass here on a form SmartFocus is not known to read.
    for (const text of ['2026-12-01T20:00:00.000Z', '2026-12-01 21:00', '2026-12-01T21:00:00.5']) {
      expect(() => parseInputDate(text, 'sendDate', 'UTC')).toThrow(SmartFocusFault);
    }
  });
});
