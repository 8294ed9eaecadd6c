// The files: customers and transactions in profile-import's formats (apps/profile-import/README.md,
// "The two datasets"), and the members file the SmartFocus simulator loads (EMAIL, FIRSTNAME,
// LASTNAME, CUSTOMER_ID). Each is a generator of text chunks of about 1 MiB, so a file of any size
// is written or uploaded with bounded memory.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { formatInstant } from './calendar';
import type { LoyaltyTier } from './profiles';
import type { Transaction } from './purchases';
import type { SyntheticRetailer } from './retailer';

/**
 * Collects lines into chunks of about 1 MiB. Lines are joined 256 at a time into flat strings:
 * appending each line to one string with += builds a deep rope, and holding thousands of line
 * strings alive makes every young-generation GC copy them; either costs more than the generation.
 */
class ChunkBuilder {
  private lines: string[] = [];
  private blocks: string[] = [];
  private chars = 0;

  constructor(header: string) {
    this.lines.push(header);
  }

  /** Adds a line (without its line break); returns a full chunk when there is one. */
  add(line: string): string | undefined {
    this.lines.push(line);
    if (this.lines.length < 256) return undefined;
    return this.flushLines();
  }

  /** The rest, or undefined when nothing is left. */
  end(): string | undefined {
    if (this.lines.length > 0) this.flushLines(true);
    if (this.blocks.length === 0) return undefined;
    return this.take();
  }

  private flushLines(force = false): string | undefined {
    const block = `${this.lines.join('\n')}\n`;
    this.lines = [];
    this.blocks.push(block);
    this.chars += block.length;
    return this.chars >= 1 << 20 && !force ? this.take() : undefined;
  }

  private take(): string {
    const chunk = this.blocks.join('');
    this.blocks = [];
    this.chars = 0;
    return chunk;
  }
}

export type Delimiter = ',' | ';' | '\t';

/**
 * The custom attributes of the customers file. Declare them in profile-import's attribute
 * catalogue (`PUT /attributes/{name}` with `{ type, description }`) before the first customers
 * import, or profile-import ignores the columns.
 */
export const CUSTOMER_ATTRIBUTES = [
  { name: 'loyalty_tier', type: 'text', description: 'loyalty programme tier: bronze, silver, gold or platinum' },
  { name: 'newsletter', type: 'boolean', description: 'opted in to the newsletter' },
] as const;

export const CUSTOMERS_HEADER = ['customer_id', 'registered_at', 'country', ...CUSTOMER_ATTRIBUTES.map((attribute) => attribute.name)] as const;
export const TRANSACTIONS_HEADER = ['transaction_id', 'customer_id', 'occurred_at', 'amount', 'currency'] as const;
export const MEMBERS_HEADER = ['EMAIL', 'FIRSTNAME', 'LASTNAME', 'CUSTOMER_ID'] as const;

export type CustomersCsvOptions = {
  readonly delimiter?: Delimiter;
  /**
   * A later day's customers file: with `revision` n > 0, a share `changedShare` of the customers
   * (a different one per revision) has moved up one loyalty tier since revision 0.
   */
  readonly revision?: number;
  /** Default 0.01 when `revision` > 0. */
  readonly changedShare?: number;
};

const TIER_UP: Readonly<Record<LoyaltyTier | '', LoyaltyTier>> = { '': 'bronze', bronze: 'silver', silver: 'gold', gold: 'platinum', platinum: 'gold' };

/** The customers file: every customer, in id order. */
export function* customersCsv(retailer: SyntheticRetailer, options: CustomersCsvOptions = {}): Generator<string> {
  const d = options.delimiter ?? ',';
  const revision = options.revision ?? 0;
  const changedShare = revision > 0 ? (options.changedShare ?? 0.01) : 0;
  const builder = new ChunkBuilder(CUSTOMERS_HEADER.join(d));
  for (let index = 0; index < retailer.customerCount; index++) {
    const profile = retailer.profile(index);
    const tier = changedShare > 0 && retailer.uniform(index, `revision:${revision}`) < changedShare ? TIER_UP[profile.loyaltyTier] : profile.loyaltyTier;
    const chunk = builder.add(`${profile.customerId}${d}${formatInstant(profile.registeredAt)}${d}${profile.country}${d}${tier}${d}${profile.newsletter ? 'true' : 'false'}`);
    if (chunk !== undefined) yield chunk;
  }
  const rest = builder.end();
  if (rest !== undefined) yield rest;
}

/** A transactions file of the given transactions (the history, a day's, or post-send purchases). */
export function* transactionsCsv(transactions: Iterable<Transaction>, options: { readonly delimiter?: Delimiter } = {}): Generator<string> {
  const d = options.delimiter ?? ',';
  const builder = new ChunkBuilder(TRANSACTIONS_HEADER.join(d));
  for (const row of transactions) {
    const chunk = builder.add(`${row.transactionId}${d}${row.customerId}${d}${row.occurredAt}${d}${row.amount}${d}${row.currency}`);
    if (chunk !== undefined) yield chunk;
  }
  const rest = builder.end();
  if (rest !== undefined) yield rest;
}

const FIRST_NAMES = ['Anna', 'Ben', 'Clara', 'David', 'Elena', 'Felix', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Katrin', 'Luca', 'Marie', 'Noah', 'Olivia', 'Paul', 'Rosa', 'Samuel', 'Tara', 'Umberto', 'Vera', 'William', 'Yara', 'Zoe', 'Amelie', 'Bruno', 'Chloe', 'Emil', 'Fatima', 'Jan', 'Lea', 'Mateo'];
const LAST_NAMES = ['Muller', 'Schmidt', 'Dubois', 'Martin', 'Smith', 'Jones', 'de Jong', 'Garcia', 'Rossi', 'Kowalski', 'Novak', 'Jensen', 'Andersson', 'Bauer', 'Peeters', 'Fischer', 'Moreau', 'Taylor', 'Bianchi', 'Lopez', 'Weber', 'Nowak', 'Visser', 'Huber'];
const DOMAINS = ['example.com', 'example.net', 'example.org'];

/**
 * The members file for the SmartFocus simulator only: a generated address and name per customer
 * (reserved example domains). These never go to profile-import.
 */
export function* membersCsv(retailer: SyntheticRetailer): Generator<string> {
  const builder = new ChunkBuilder(MEMBERS_HEADER.join(','));
  for (let index = 0; index < retailer.customerCount; index++) {
    const random = retailer.memberRandom(index);
    const first = FIRST_NAMES[random.int(FIRST_NAMES.length)];
    const last = LAST_NAMES[random.int(LAST_NAMES.length)];
    const customerId = retailer.customerId(index);
    const local = `${first}.${last.replace(/ /g, '')}.${customerId}`.toLowerCase();
    const chunk = builder.add(`${local}@${DOMAINS[random.int(DOMAINS.length)]},${first},${last},${customerId}`);
    if (chunk !== undefined) yield chunk;
  }
  const rest = builder.end();
  if (rest !== undefined) yield rest;
}

/** Joins a (small) file's chunks into one string. */
export function csvText(chunks: Iterable<string>): string {
  let text = '';
  for (const chunk of chunks) text += chunk;
  return text;
}

/** Writes a file's chunks to `path` (gzip-compressed with `gzip: true`); resolves with the bytes written. */
export async function writeCsvFile(path: string, chunks: Iterable<string>, options: { readonly gzip?: boolean } = {}): Promise<number> {
  const out = createWriteStream(path);
  if (options.gzip) {
    await pipeline(Readable.from(chunks), createGzip({ level: 1 }), out);
    return out.bytesWritten;
  }
  for (const chunk of chunks) {
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return out.bytesWritten;
}
