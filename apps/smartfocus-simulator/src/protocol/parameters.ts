import { parseZonedDateTime } from '@optimove/clock';
import { SmartFocusFault } from './smartfocus-fault';

// Path and body parameters, checked the way the reference's errors describe: a bad value is an
// INVALID_PARAMETERS fault naming the parameter.

export function parseId(text: string | undefined, field: string): string {
  const value = (text ?? '').trim();
  if (!/^\d{1,18}$/.test(value)) throw SmartFocusFault.invalid(field, `${field} must be a positive integer.`);
  return value;
}

export function parseLimit(text: string | undefined, field: string, max = 1_000): number {
  const value = Number(parseId(text, field));
  if (value < 1 || value > max) throw SmartFocusFault.invalid(field, `${field} must be between 1 and ${max}.`);
  return value;
}

export function parseFlag(text: string | undefined, field: string): boolean {
  const value = (text ?? '').trim().toLowerCase();
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw SmartFocusFault.invalid(field, `${field} must be true or false.`);
}

export function requireText(text: string | undefined, field: string, maxLength = 255): string {
  const value = (text ?? '').trim();
  if (value.length === 0) throw SmartFocusFault.invalid(field, `${field} is required.`);
  if (value.length > maxLength) throw SmartFocusFault.invalid(field, `${field} is longer than ${maxLength} characters.`);
  return value;
}

// The input forms of reference §1.4, seconds included and no fraction: `yyyy-MM-dd HH:mm:ss` or
// `yyyy-MM-ddTHH:mm:ss`, with an optional offset. Anything looser (`toISOString()`'s millis, no
// seconds) would let a client bug pass here that SmartFocus is not known to accept.
const INPUT_DATE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Input dates: `yyyy-MM-dd HH:mm:ss` or ISO `yyyy-MM-ddTHH:mm:ss`, with an optional offset
 * (reference §1.4); without an offset the time is a wall-clock time of the account's zone
 * (SIMULATOR_TIME_ZONE), as SmartFocus reads it.
 */
export function parseInputDate(text: string | undefined, field: string, timeZone: string): Date {
  const trimmed = (text ?? '').trim();
  const date = INPUT_DATE.test(trimmed) ? parseZonedDateTime(trimmed, timeZone) : undefined;
  if (!date) throw SmartFocusFault.invalid(field, `${field} must be a date like 2026-11-26 20:00:00.`);
  return date;
}
