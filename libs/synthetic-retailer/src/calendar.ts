// Days, instants and the retailer's seasonality. Time inside the generator is a number of days
// since 1970-01-01 UTC (fractional for instants), which keeps the hot loops free of Date objects.

export const SECONDS_PER_DAY = 86_400;
const MS_PER_DAY = SECONDS_PER_DAY * 1000;

/** `YYYY-MM-DD` -> days since 1970-01-01 (UTC). Throws on anything else. */
export function dayNumber(date: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`not a calendar day (YYYY-MM-DD): ${date}`);
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) throw new Error(`not a calendar day: ${date}`);
  return ms / MS_PER_DAY;
}

/** A Date or an ISO instant -> fractional days since 1970-01-01 (UTC). */
export function instantDays(instant: Date | string): number {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(ms)) throw new Error(`not an instant: ${String(instant)}`);
  return ms / MS_PER_DAY;
}

/** Days since 1970-01-01 -> `YYYY-MM-DD`. */
export function dayString(day: number): string {
  return new Date(Math.floor(day) * MS_PER_DAY).toISOString().slice(0, 10);
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, value) => String(value).padStart(2, '0'));
const dayStringCache = new Map<number, string>();

/**
 * Fractional days -> `YYYY-MM-DDTHH:MM:SSZ`, the instant format profile-import reads. Cached per
 * day and built from two-digit tables: this runs once per generated transaction.
 */
export function formatInstant(days: number): string {
  const day = Math.floor(days);
  let date = dayStringCache.get(day);
  if (date === undefined) {
    date = dayString(day);
    if (dayStringCache.size > 20_000) dayStringCache.clear();
    dayStringCache.set(day, date);
  }
  const secondOfDay = Math.min(SECONDS_PER_DAY - 1, Math.floor((days - day) * SECONDS_PER_DAY));
  const hours = Math.floor(secondOfDay / 3600);
  const minutes = Math.floor((secondOfDay % 3600) / 60);
  return `${date}T${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[secondOfDay % 60]}Z`;
}

/** Weekday of a day number: 0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday). */
export function weekday(day: number): number {
  return (((Math.floor(day) + 3) % 7) + 7) % 7;
}

/**
 * Shopping intensity by weekday, Monday first: a quiet Tuesday/Wednesday, a busier weekend.
 * Mean 1 over the week.
 */
export const WEEKDAY_FACTORS: readonly number[] = normalise([0.95, 0.85, 0.88, 0.95, 1.1, 1.2, 1.07]);

/**
 * Shopping intensity by day of the year (before normalisation to a yearly mean of 1): a January
 * lull, a quiet late summer, a Black Friday week at the end of November and a December that
 * climbs to the days before Christmas, then a dip between the holidays.
 */
function yearlyShape(day: number): number {
  const date = new Date(Math.floor(day) * MS_PER_DAY);
  const month = date.getUTCMonth(); // 0 = January
  const dayOfMonth = date.getUTCDate();
  let factor = 1;
  if (month === 0) factor = 0.75;
  else if (month === 1) factor = 0.82;
  else if (month === 7) factor = 0.9;
  if (month === 10 && dayOfMonth >= 22) factor = 1.6; // Black Friday and Cyber Monday week
  if (month === 11) factor = dayOfMonth <= 23 ? 1.35 + 0.6 * (dayOfMonth / 23) : dayOfMonth <= 26 ? 0.6 : 0.9;
  return factor;
}

const yearlyCache = new Map<number, number>();
let yearlyNormaliser = 0;

/** The combined weekly and yearly factor of a day (mean about 1 over a year). */
export function seasonality(day: number): number {
  const whole = Math.floor(day);
  let factor = yearlyCache.get(whole);
  if (factor === undefined) {
    if (yearlyNormaliser === 0) {
      // Normalise over a non-leap reference year.
      let sum = 0;
      const start = dayNumber('2025-01-01');
      for (let offset = 0; offset < 365; offset++) sum += yearlyShape(start + offset);
      yearlyNormaliser = sum / 365;
    }
    factor = (yearlyShape(whole) / yearlyNormaliser) * WEEKDAY_FACTORS[weekday(whole)];
    if (yearlyCache.size > 20_000) yearlyCache.clear();
    yearlyCache.set(whole, factor);
  }
  return factor;
}

/** The largest value `seasonality` takes (the envelope of the thinning in purchases.ts). */
export function maxSeasonality(): number {
  let max = 0;
  const start = dayNumber('2024-01-01');
  for (let offset = 0; offset < 366; offset++) max = Math.max(max, seasonality(start + offset));
  return max;
}

/**
 * Share of purchases per hour of the day (UTC): hardly any at night, a lunchtime bump and an
 * evening peak.
 */
export const HOUR_WEIGHTS: readonly number[] = [
  0.4, 0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1.2, 2.2, 3.2, 4.2, 5.0, 6.2, 6.0, 5.2, 5.0, 5.3, 6.0, 7.2, 8.2, 8.6, 7.0, 4.2, 1.6,
];

function normalise(values: number[]): number[] {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return values.map((value) => value / mean);
}
