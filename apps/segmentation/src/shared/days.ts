import { formatZonedWallTime, fromZonedWallTime, isTimeZone as isZone } from '@optimove/clock';

/** Calendar days as `YYYY-MM-DD` strings (UTC arithmetic; a day has no time zone of its own). */
export const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar day of the years 0001 to 9999 (PostgreSQL has no year 0000). */
export function isDay(text: unknown): text is string {
  if (typeof text !== 'string' || !DAY_PATTERN.test(text) || text.startsWith('0000')) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** 0 = Monday ... 6 = Sunday. */
export function isoWeekday(day: string): number {
  return (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/** The local calendar day and minutes after midnight of an instant in an IANA time zone. */
export function localDayAndMinutes(instant: Date, timeZone: string): { day: string; minutes: number } {
  const wall = formatZonedWallTime(instant, timeZone); // yyyy-MM-dd HH:mm:ss
  return { day: wall.slice(0, 10), minutes: Number(wall.slice(11, 13)) * 60 + Number(wall.slice(14, 16)) };
}

/**
 * The UTC instant of a local day and `HH:MM` in an IANA time zone: a time the clock skips on the
 * spring change moves forward by the jump, a time it shows twice in autumn is the first of the two.
 */
export function zonedTimeToUtc(day: string, time: string, timeZone: string): Date {
  const [year, month, date] = day.split('-').map(Number);
  const [hour, minute] = time.split(':').map(Number);
  return fromZonedWallTime({ year, month, day: date, hour, minute, second: 0 }, timeZone);
}

export function isTimeZone(name: unknown): name is string {
  return typeof name === 'string' && name.length > 0 && isZone(name);
}
