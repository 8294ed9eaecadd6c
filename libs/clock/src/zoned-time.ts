// Wall-clock times in a named time zone, for systems (SmartFocus) that write and read dates
// without an offset in their account's zone. Built on Intl: no time-zone database of our own.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** True when `timeZone` is an IANA name this runtime knows (e.g. `Europe/Paris`, `UTC`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

type WallTime = { year: number; month: number; day: number; hour: number; minute: number; second: number };

function wallTime(instant: Date, timeZone: string): WallTime {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(instant).map((part) => [part.type, part.value]));
  return { year: Number(parts['year']), month: Number(parts['month']), day: Number(parts['day']), hour: Number(parts['hour']), minute: Number(parts['minute']), second: Number(parts['second']) };
}

/** The zone's offset from UTC at `instant`, in minutes (Europe/Paris in winter: 60). */
export function zoneOffsetMinutes(instant: Date, timeZone: string): number {
  const wall = wallTime(instant, timeZone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1_000) * 1_000) / 60_000);
}

const pad = (value: number, length = 2): string => String(value).padStart(length, '0');

/** `yyyy-MM-dd HH:mm:ss` of the instant on the zone's wall clock (seconds truncated). */
export function formatZonedWallTime(instant: Date, timeZone: string, separator: ' ' | 'T' = ' '): string {
  const wall = wallTime(instant, timeZone);
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}${separator}${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}`;
}

/** ISO 8601 with the zone's offset, without milliseconds: `2026-12-01T21:00:00+01:00`. */
export function formatZonedIso(instant: Date, timeZone: string): string {
  const offset = zoneOffsetMinutes(instant, timeZone);
  const sign = offset < 0 ? '-' : '+';
  const absolute = Math.abs(offset);
  return `${formatZonedWallTime(instant, timeZone, 'T')}${sign}${pad(Math.floor(absolute / 60))}:${pad(absolute % 60)}`;
}

/**
 * The instant a wall-clock time in the zone names. In the autumn overlap the earlier instant is
 * taken; a time skipped in spring is moved forward by the gap (as most systems do): it is read on
 * the clock of before the jump, so 02:30 in Paris on the day the clock goes from 02:00 to 03:00 is
 * 03:30.
 */
export function fromZonedWallTime(wall: WallTime & { millisecond?: number }, timeZone: string): Date {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond ?? 0);
  // Offsets are within ±14 h: a day either side is before and after any change around the time.
  const offsetBefore = zoneOffsetMinutes(new Date(asUtc - DAY_MS), timeZone) * 60_000;
  const offsetAfter = zoneOffsetMinutes(new Date(asUtc + DAY_MS), timeZone) * 60_000;
  const named = [asUtc - offsetBefore, asUtc - offsetAfter].filter((instant) => instant + zoneOffsetMinutes(new Date(instant), timeZone) * 60_000 === asUtc);
  return new Date(named.length > 0 ? Math.min(...named) : asUtc - offsetBefore);
}

const DAY_MS = 86_400_000;

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Reads `yyyy-MM-dd HH:mm[:ss]` or ISO `yyyy-MM-ddTHH:mm[:ss][.fff]`, with an optional offset or
 * `Z`; without one the time is a wall-clock time in `timeZone`. Undefined when it is not a date.
 */
export function parseZonedDateTime(text: string, timeZone: string): Date | undefined {
  const match = DATE_TIME.exec(text.trim());
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second = '0', fraction = '', zone] = match;
  const wall = { year: +year, month: +month, day: +day, hour: +hour, minute: +minute, second: +second, millisecond: Number(fraction.padEnd(3, '0').slice(0, 3)) };
  if (wall.month < 1 || wall.month > 12 || wall.day < 1 || wall.day > 31 || wall.hour > 23 || wall.minute > 59 || wall.second > 59) return undefined;
  if (zone === undefined) return fromZonedWallTime(wall, timeZone);
  const offset = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
  const date = new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond) - offset * 60_000);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
