const CANDIDATES = [0x2c, 0x3b, 0x09] as const; // comma, semicolon, tab
const QUOTE = 0x22;
const LF = 0x0a;

export type Delimiter = ',' | ';' | '\t';

/**
 * Picks the delimiter of a file from its header line: the candidate (comma, semicolon, tab) that
 * occurs most often outside quotes. A one-column header has none: comma is assumed.
 */
export function detectDelimiter(headerLine: Uint8Array): Delimiter {
  const counts = [0, 0, 0];
  let inQuotes = false;
  for (let i = 0; i < headerLine.length; i++) {
    const b = headerLine[i];
    if (b === QUOTE) inQuotes = !inQuotes;
    else if (!inQuotes) {
      if (b === LF) break;
      for (let c = 0; c < CANDIDATES.length; c++) if (b === CANDIDATES[c]) counts[c]++;
    }
  }
  let best = 0;
  for (let c = 1; c < CANDIDATES.length; c++) if (counts[c] > counts[best]) best = c;
  return String.fromCharCode(CANDIDATES[best]) as Delimiter;
}

/** How a delimiter is named in messages and reports. */
export function delimiterName(delimiter: Delimiter): string {
  return delimiter === ',' ? 'comma' : delimiter === ';' ? 'semicolon' : 'tab';
}
