/** Calendar days as `YYYY-MM-DD` strings (UTC arithmetic; a day has no time zone of its own). */
export const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

export function isDay(text: unknown): text is string {
  if (typeof text !== 'string' || !DAY_PATTERN.test(text)) return false;
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
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const get = (type: string): string => parts.find((part) => part.type === type)?.value ?? '00';
  return { day: `${get('year')}-${get('month')}-${get('day')}`, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

/**
 * The UTC instant of a local day and `HH:MM` in an IANA time zone. A time the clock skips (the
 * spring change) moves forward by the jump: it is read on the clock of before the jump, so 02:30 in
 * Berlin on the day the clock goes from 02:00 to 03:00 is 03:30. A time the clock shows twice (the
 * autumn change) is its first occurrence.
 */
export function zonedTimeToUtc(day: string, time: string, timeZone: string): Date {
  const [hours, minutes] = time.split(':').map(Number);
  // The wanted local time read as if it were UTC; the instant is it minus the zone's offset then.
  const wanted = Date.parse(`${day}T00:00:00Z`) + (hours * 60 + minutes) * 60_000;
  const localAsUtc = (instant: number): number => {
    const local = localDayAndMinutes(new Date(instant), timeZone);
    return Date.parse(`${local.day}T00:00:00Z`) + local.minutes * 60_000;
  };
  // Offsets are within ±14 h: a day either side is before and after any change around the time.
  const offsetBefore = localAsUtc(wanted - DAY_MS) - (wanted - DAY_MS);
  const offsetAfter = localAsUtc(wanted + DAY_MS) - (wanted + DAY_MS);
  const candidates = [wanted - offsetBefore, wanted - offsetAfter].filter((instant) => localAsUtc(instant) === wanted);
  return new Date(candidates.length > 0 ? Math.min(...candidates) : wanted - offsetBefore);
}

const DAY_MS = 86_400_000;

export function isTimeZone(name: unknown): name is string {
  if (typeof name !== 'string' || name.length === 0) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
