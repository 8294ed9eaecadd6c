import fc from 'fast-check';
import { formatZonedWallTime, fromZonedWallTime } from './zoned-time';

const MINUTE = 60_000;
const ZONES = ['Europe/Berlin', 'Europe/London', 'America/New_York', 'America/Santiago', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Pacific/Apia', 'UTC'];

const wallTimeOf = (day: string, minutes: number, timeZone: string): Date => {
  const [year, month, date] = day.split('-').map(Number);
  return fromZonedWallTime({ year, month, day: date, hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0 }, timeZone);
};

/** The wall-clock day and minutes after midnight of an instant in a zone. */
function localDayAndMinutes(instant: Date, timeZone: string): { day: string; minutes: number } {
  const [day, time] = formatZonedWallTime(instant, timeZone).split(' ');
  const [hours, minutes] = time.split(':').map(Number);
  return { day, minutes: hours * 60 + minutes };
}

const addDays = (day: string, days: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Minutes after the local midnight of `day` that `instant` is in `timeZone` (negative or past a day when it falls on another day). */
function localMinutesFrom(day: string, instant: Date, timeZone: string): number {
  const local = localDayAndMinutes(instant, timeZone);
  return (Date.parse(`${local.day}T00:00:00Z`) - Date.parse(`${day}T00:00:00Z`)) / MINUTE + local.minutes;
}

describe('fromZonedWallTime', () => {
  it('gives the instant a local time names, and moves a time skipped by DST forward by the gap', () => {
    // Any day of two years, or one of the zone's days with a change of its UTC offset.
    const zoneAndDay = fc.constantFrom(...ZONES).chain((timeZone) =>
      fc.tuple(fc.constant(timeZone), fc.oneof(fc.integer({ min: 0, max: 2 * 366 }).map((offset) => addDays('2026-01-01', offset)), fc.constantFrom(...offsetChangeDays(timeZone)))),
    );
    fc.assert(
      fc.property(zoneAndDay, fc.integer({ min: 0, max: 24 * 60 - 1 }), ([timeZone, day], wanted) => {
        const instant = wallTimeOf(day, wanted, timeZone);
        const seen = localMinutesFrom(day, instant, timeZone);
        if (seen === wanted) {
          // The first instant the clock shows it: not the second of a time shown twice (the jumps
          // back are of 30 or 60 minutes).
          for (const back of [30, 60]) expect(localMinutesFrom(day, new Date(instant.getTime() - back * MINUTE), timeZone)).not.toBe(wanted);
          return;
        }
        // Not on the clock that day: the clock jumped over it. The instant is where the wanted time
        // would be on the clock from before the jump, so it reads later by the jump's size; where
        // the wanted time would be on the clock after the jump, the clock still read earlier.
        expect(seen).toBeGreaterThan(wanted);
        expect(localMinutesFrom(day, new Date(instant.getTime() - (seen - wanted) * MINUTE), timeZone)).toBeLessThan(wanted);
        expect(instant.getTime()).toBe(Date.parse(`${day}T00:00:00Z`) + wanted * MINUTE - offsetBefore(instant, timeZone));
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['Europe/Berlin', '02:30', '2026-03-29', '2026-03-29T01:30:00.000Z'],
    ['Europe/London', '01:30', '2026-03-29', '2026-03-29T01:30:00.000Z'],
    ['America/New_York', '02:30', '2026-03-08', '2026-03-08T07:30:00.000Z'],
    // In the repeated hour of the autumn the first of the two instants is taken.
    ['Europe/Berlin', '02:30', '2026-10-25', '2026-10-25T00:30:00.000Z'],
  ])('%s %s on %s is %s', (timeZone, time, day, expected) => {
    const [hours, minutes] = time.split(':').map(Number);
    expect(wallTimeOf(day, hours * 60 + minutes, timeZone).toISOString()).toBe(expected);
  });
});

/** The days of 2026 and 2027 at whose end the zone's UTC offset differs from the one at its start (2026-01-01 if none). */
function offsetChangeDays(timeZone: string): string[] {
  const known = changeDays.get(timeZone);
  if (known) return known;
  const offsetAt = (instant: number): number => {
    const local = localDayAndMinutes(new Date(instant), timeZone);
    return Date.parse(`${local.day}T00:00:00Z`) + local.minutes * MINUTE - instant;
  };
  const days: string[] = [];
  for (let day = '2026-01-01'; day < '2028-01-01'; day = addDays(day, 1)) {
    const start = Date.parse(`${day}T00:00:00Z`);
    if (offsetAt(start - 14 * 3600_000) !== offsetAt(start + 38 * 3600_000)) days.push(day);
  }
  if (days.length === 0) days.push('2026-01-01');
  changeDays.set(timeZone, days);
  return days;
}
const changeDays = new Map<string, string[]>();

/** The zone's UTC offset (ms) in force just before `instant`'s local clock jumped. */
function offsetBefore(instant: Date, timeZone: string): number {
  const earlier = new Date(instant.getTime() - 6 * 3600_000);
  const local = localDayAndMinutes(earlier, timeZone);
  return Date.parse(`${local.day}T00:00:00Z`) + local.minutes * MINUTE - earlier.getTime();
}
