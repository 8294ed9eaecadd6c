// Checks of what a caller hands an import besides the file: the as-of date and the file name.
import { maskEmailAddresses } from './csv/personal-data';

/**
 * The name without a path and without control characters (a NUL cannot be stored), an e-mail
 * address in it masked (personal data is never stored), at most 255 characters.
 */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() || name;
  const clean = maskEmailAddresses(base.replace(/[\u0000-\u001f\u007f]/g, '_'));
  return Array.from(clean).slice(0, 255).join('') || 'unnamed';
}

/** A real calendar day written YYYY-MM-DD. */
export function isCalendarDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(text);
}
