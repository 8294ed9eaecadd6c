import { formatZonedIso, formatZonedWallTime, isTimeZone, parseZonedDateTime, zoneOffsetMinutes } from './zoned-time';

describe('zoned time', () => {
  it('should write an instant as the wall-clock time of the zone', () => {
    expect(formatZonedWallTime(new Date('2026-12-01T20:00:00Z'), 'Europe/Paris')).toBe('2026-12-01 21:00:00');
    expect(formatZonedWallTime(new Date('2026-07-01T20:00:00Z'), 'Europe/Paris')).toBe('2026-07-01 22:00:00');
    expect(formatZonedWallTime(new Date('2026-12-01T20:00:00Z'), 'UTC')).toBe('2026-12-01 20:00:00');
  });

  it('should write ISO dates with the offset in force', () => {
    expect(formatZonedIso(new Date('2026-12-01T20:00:00Z'), 'Europe/Paris')).toBe('2026-12-01T21:00:00+01:00');
    expect(formatZonedIso(new Date('2026-07-01T20:00:00Z'), 'America/New_York')).toBe('2026-07-01T16:00:00-04:00');
    expect(formatZonedIso(new Date('2026-07-01T20:00:00Z'), 'Asia/Kolkata')).toBe('2026-07-02T01:30:00+05:30');
    expect(zoneOffsetMinutes(new Date('2026-12-01T20:00:00Z'), 'UTC')).toBe(0);
  });

  it('should read a date without an offset in the zone, and one with an offset as it says', () => {
    expect(parseZonedDateTime('2026-12-01 21:00:00', 'Europe/Paris')?.toISOString()).toBe('2026-12-01T20:00:00.000Z');
    expect(parseZonedDateTime('2026-07-01T22:00', 'Europe/Paris')?.toISOString()).toBe('2026-07-01T20:00:00.000Z');
    expect(parseZonedDateTime('2026-12-01T21:00:00+02:00', 'Europe/Paris')?.toISOString()).toBe('2026-12-01T19:00:00.000Z');
    expect(parseZonedDateTime('2026-12-01T21:00:00Z', 'Europe/Paris')?.toISOString()).toBe('2026-12-01T21:00:00.000Z');
    expect(parseZonedDateTime('2026-12-01 25:00:00', 'Europe/Paris')).toBeUndefined();
    expect(parseZonedDateTime('tomorrow', 'Europe/Paris')).toBeUndefined();
  });

  it('should round-trip every hour of a year across both daylight-saving changes', () => {
    for (let hour = 0; hour < 365 * 24; hour += 1) {
      const instant = new Date(Date.UTC(2026, 0, 1) + hour * 3_600_000);
      expect(parseZonedDateTime(formatZonedIso(instant, 'Europe/Paris'), 'UTC')?.getTime()).toBe(instant.getTime());
      const wall = formatZonedWallTime(instant, 'Europe/Paris');
      // In the autumn overlap the wall time names two instants; the earlier is taken.
      const read = parseZonedDateTime(wall, 'Europe/Paris')!;
      expect(formatZonedWallTime(read, 'Europe/Paris')).toBe(wall);
    }
  });

  it('should move a wall time skipped in spring forward by the gap', () => {
    expect(parseZonedDateTime('2026-03-29 02:30:00', 'Europe/Paris')?.toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });

  it('should tell IANA names from unknown zones', () => {
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
