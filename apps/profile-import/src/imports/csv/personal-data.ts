// Personal data in cells. Columns named like personal data are dropped unread (pii-columns.ts);
// these checks catch it where the header does not say so: an e-mail address or a phone number in
// an id or a free-text attribute (a shifted row, a misused column) rejects the row instead of
// storing it, and a rejected cell is quoted back only when it cannot be personal data.

const AT = 0x40;
const DOT = 0x2e;
const PLUS = 0x2b;

function isDigit(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}

/**
 * Why the cell buf[start, end) must not be stored, or undefined. An e-mail address (text@text.text)
 * anywhere; in free text (`text`) also a phone number: only digits, spaces and `+()-./`, at least
 * seven digits. Names cannot be told from other words: the attribute catalogue refuses columns
 * named like personal data, and a declared text attribute is the client's statement that it is not.
 */
export function looksLikePersonalData(buf: Uint8Array, start: number, end: number, text: boolean): string | undefined {
  let at = -1;
  for (let i = start; i < end; i++) {
    if (buf[i] === AT) {
      at = i;
      break;
    }
  }
  if (at > start) {
    for (let i = at + 2; i < end - 1; i++) if (buf[i] === DOT) return 'looks like an e-mail address (personal data is not loaded)';
  }
  if (!text || end - start < 7) return undefined;
  const first = buf[start];
  if (!isDigit(first) && first !== PLUS && first !== 0x28) return undefined;
  let digits = 0;
  for (let i = start; i < end; i++) {
    const b = buf[i];
    if (isDigit(b)) digits++;
    // space ( ) + - . /
    else if (b !== 0x20 && b !== 0x28 && b !== 0x29 && b !== PLUS && b !== 0x2d && b !== DOT && b !== 0x2f) return undefined;
  }
  return digits >= 7 ? 'looks like a phone number (personal data is not loaded)' : undefined;
}

const DATE_LIKE = /^\d{4}-\d{1,2}-\d{1,2}(?:[T ][0-9:.]*)?(?:Z|[+-][0-9:]*)?$/i;
const NUMBER_LIKE = /^[+-]?[0-9.,]*(?:e[+-]?[0-9]*)?$/i;
const SHORT_CODE = /^[A-Za-z]{1,3}$/;
const MAX_SHOWN = 40;

/**
 * What a rejection may show of a bad cell of a typed column (date, instant, amount, number, code,
 * boolean): the value itself when its shape cannot be personal data (a date-like text, a number
 * with fewer than seven digits, up to three letters), else only its shape: an e-mail address as
 * `a***@***.com`, anything else with letters as `a`/`A` and digits as `9` (`Aaaaa Aaaaa`,
 * `+99 999 9999`), cut to 40 characters (code points, never inside a surrogate pair).
 */
export function safeValue(cell: string): string {
  if (cell.length <= MAX_SHOWN) {
    const digits = cell.replace(/\D/g, '').length;
    if (DATE_LIKE.test(cell) || SHORT_CODE.test(cell) || (NUMBER_LIKE.test(cell) && digits < 7)) return cell;
  }
  const email = /^([^@\s])[^@]*@[^@]+\.([A-Za-z]{2,6})$/.exec(cell.trim());
  if (email) return `${email[1].replace(/[^A-Za-z0-9]/, '*')}***@***.${email[2]}`;
  const shape = cell.replace(/\p{L}|\p{N}/gu, (c) => (/\p{N}/u.test(c) ? '9' : /\p{Lu}/u.test(c) ? 'A' : 'a'));
  // Cut by code points: a cut inside a surrogate pair would leave text no database accepts.
  const points = Array.from(shape);
  return points.length > MAX_SHOWN ? `${points.slice(0, MAX_SHOWN).join('')}…` : shape;
}

// An e-mail address inside a longer text (a file name): from the text's start or a separator on,
// as where the address starts cannot be told; its top-level domain ends at a non-letter.
const EMAIL_IN_TEXT = /([^\s@\\/])[^\s@\\/]*@[^\s@\\/]+?\.([A-Za-z]{2,6})(?![A-Za-z])/g;

/** `text` with each e-mail address in it shown as its shape (`a***@***.com`), as safeValue shows one. */
export function maskEmailAddresses(text: string): string {
  return text.replace(EMAIL_IN_TEXT, (_address, first: string, domain: string) => `${first.replace(/[^A-Za-z0-9]/, '*')}***@***.${domain}`);
}
