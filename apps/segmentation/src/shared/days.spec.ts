import { isTimeZone, localDayAndMinutes } from './days';

describe('localDayAndMinutes', () => {
  it('should give the local day and minutes on both sides of a time zone change and of midnight', () => {
    // Berlin is UTC+1 until 01:00 UTC on 2026-03-29, UTC+2 after it.
    expect(localDayAndMinutes(new Date('2026-03-29T00:59:00Z'), 'Europe/Berlin')).toEqual({ day: '2026-03-29', minutes: 119 });
    expect(localDayAndMinutes(new Date('2026-03-29T01:00:00Z'), 'Europe/Berlin')).toEqual({ day: '2026-03-29', minutes: 180 });
    // New York is UTC-5 in winter: 03:30 UTC is 22:30 the day before.
    expect(localDayAndMinutes(new Date('2026-12-01T03:30:00Z'), 'America/New_York')).toEqual({ day: '2026-11-30', minutes: 22 * 60 + 30 });
    expect(localDayAndMinutes(new Date('2026-12-01T00:00:00Z'), 'UTC')).toEqual({ day: '2026-12-01', minutes: 0 });
  });
});

describe('isTimeZone', () => {
  it('should take IANA names and nothing else', () => {
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    for (const name of ['', 'Mars/Olympus', 42, null, undefined]) expect(isTimeZone(name)).toBe(false);
  });
});
