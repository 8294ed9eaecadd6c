// Checks of one cell's bytes, run in the scanner's tight loop: no string is built for a valid cell.
// Each returns undefined when the value is valid, else a short reason for the rejection record.
// A value that passes is one PostgreSQL casts without error (the apply step relies on it).

const ZERO = 0x30;
const NINE = 0x39;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const COLON = 0x3a;

function isDigit(b: number): boolean {
  return b >= ZERO && b <= NINE;
}

function digits(buf: Uint8Array, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const b = buf[i];
    if (b < ZERO || b > NINE) return -1;
    value = value * 10 + (b - ZERO);
  }
  return value;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validDay(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]);
}

/** `YYYY-MM-DD`, a real calendar day. */
export function checkDate(buf: Uint8Array, start: number, end: number): string | undefined {
  if (end - start !== 10 || buf[start + 4] !== MINUS || buf[start + 7] !== MINUS) return 'not a date (expected YYYY-MM-DD)';
  const year = digits(buf, start, 4);
  const month = digits(buf, start + 5, 2);
  const day = digits(buf, start + 8, 2);
  if (year < 0 || month < 0 || day < 0) return 'not a date (expected YYYY-MM-DD)';
  return validDay(year, month, day) ? undefined : 'not a calendar day';
}

const TIMESTAMP_FORMAT = 'not a timestamp (expected YYYY-MM-DD, or YYYY-MM-DDTHH:MM[:SS[.ffffff]] with Z or ±HH:MM; without an offset it is UTC)';

/**
 * An instant: a day (midnight UTC), or a day and time with optional seconds and fraction, `T` or a
 * space between them, and an optional offset `Z`, `±HH`, `±HHMM` or `±HH:MM` (none means UTC).
 */
export function checkTimestamp(buf: Uint8Array, start: number, end: number): string | undefined {
  if (end - start < 10) return TIMESTAMP_FORMAT;
  const dateError = checkDate(buf, start, start + 10);
  if (dateError) return dateError === 'not a calendar day' ? dateError : TIMESTAMP_FORMAT;
  let i = start + 10;
  if (i === end) return undefined;
  if (buf[i] !== 0x54 && buf[i] !== 0x20) return TIMESTAMP_FORMAT; // T or space
  i++;
  if (end - i < 5 || buf[i + 2] !== COLON) return TIMESTAMP_FORMAT;
  const hour = digits(buf, i, 2);
  const minute = digits(buf, i + 3, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return TIMESTAMP_FORMAT;
  i += 5;
  if (i < end && buf[i] === COLON) {
    const second = digits(buf, i + 1, 2);
    if (i + 3 > end || second < 0 || second > 59) return TIMESTAMP_FORMAT;
    i += 3;
    if (i < end && buf[i] === DOT) {
      i++;
      const fractionStart = i;
      while (i < end && isDigit(buf[i])) i++;
      if (i === fractionStart || i - fractionStart > 6) return TIMESTAMP_FORMAT;
    }
  }
  if (i === end) return undefined;
  if (buf[i] === 0x5a) return i + 1 === end ? undefined : TIMESTAMP_FORMAT; // Z
  if (buf[i] !== PLUS && buf[i] !== MINUS) return TIMESTAMP_FORMAT;
  i++;
  const offsetHours = digits(buf, i, 2);
  if (i + 2 > end || offsetHours < 0 || offsetHours > 15) return TIMESTAMP_FORMAT;
  i += 2;
  if (i === end) return undefined;
  if (buf[i] === COLON) i++;
  const offsetMinutes = digits(buf, i, 2);
  return i + 2 === end && offsetMinutes >= 0 && offsetMinutes <= 59 ? undefined : TIMESTAMP_FORMAT;
}

/** A money amount: optional minus, up to 12 integer digits, up to 2 decimals (`numeric(14,2)`). */
export function checkAmount(buf: Uint8Array, start: number, end: number): string | undefined {
  let i = start;
  if (i < end && buf[i] === MINUS) i++;
  const integerStart = i;
  while (i < end && isDigit(buf[i])) i++;
  const integerDigits = i - integerStart;
  if (integerDigits === 0 || integerDigits > 12) {
    return integerDigits > 12 ? 'amount too large (at most 12 integer digits)' : 'not an amount (expected e.g. 1234.50, a dot as decimal separator)';
  }
  if (i === end) return undefined;
  if (buf[i] !== DOT) return 'not an amount (expected e.g. 1234.50, a dot as decimal separator)';
  i++;
  const decimalsStart = i;
  while (i < end && isDigit(buf[i])) i++;
  if (i !== end || i === decimalsStart) return 'not an amount (expected e.g. 1234.50, a dot as decimal separator)';
  return i - decimalsStart > 2 ? 'amount has more than 2 decimals' : undefined;
}

/** A decimal number for a `number` attribute: optional sign, digits, optional fraction, optional exponent. */
export function checkNumber(buf: Uint8Array, start: number, end: number): string | undefined {
  const invalid = 'not a number (expected e.g. -12.5 or 3e4, a dot as decimal separator)';
  if (end - start > 40) return 'number longer than 40 characters';
  let i = start;
  if (i < end && (buf[i] === MINUS || buf[i] === PLUS)) i++;
  const integerStart = i;
  while (i < end && isDigit(buf[i])) i++;
  let mantissaDigits = i - integerStart;
  if (i < end && buf[i] === DOT) {
    i++;
    const fractionStart = i;
    while (i < end && isDigit(buf[i])) i++;
    mantissaDigits += i - fractionStart;
  }
  if (mantissaDigits === 0) return invalid;
  if (i < end && (buf[i] === 0x65 || buf[i] === 0x45)) {
    i++;
    if (i < end && (buf[i] === MINUS || buf[i] === PLUS)) i++;
    const exponentStart = i;
    while (i < end && isDigit(buf[i])) i++;
    if (i === exponentStart || i - exponentStart > 3) return invalid;
  }
  return i === end ? undefined : invalid;
}

const BOOLEAN_SPELLINGS = ['true', 'false', '1', '0', 'yes', 'no', 't', 'f', 'y', 'n'].map((word) => Buffer.from(word));

/** A boolean for a `boolean` attribute: true/false, 1/0, yes/no, t/f, y/n in any case. */
export function checkBoolean(buf: Uint8Array, start: number, end: number): string | undefined {
  const length = end - start;
  next: for (const spelling of BOOLEAN_SPELLINGS) {
    if (spelling.length !== length) continue;
    for (let i = 0; i < length; i++) {
      const b = buf[start + i];
      // Upper-case letters compare as lower-case; every other byte as it is.
      if ((b >= 0x41 && b <= 0x5a ? b | 0x20 : b) !== spelling[i]) continue next;
    }
    return undefined;
  }
  return 'not a boolean (expected true/false, 1/0 or yes/no)';
}

/** Letters only, exactly `size` of them (ISO country and currency codes). */
export function checkLetters(size: number, what: string): (buf: Uint8Array, start: number, end: number) => string | undefined {
  return (buf, start, end) => {
    if (end - start !== size) return `not ${what}`;
    for (let i = start; i < end; i++) {
      const b = buf[i] | 0x20;
      if (b < 0x61 || b > 0x7a) return `not ${what}`;
    }
    return undefined;
  };
}
