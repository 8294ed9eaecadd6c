import { createHash } from 'node:crypto';

/**
 * A uniform number in [0, 1) from a salt and a customer id: the first 52 bits of
 * md5(`salt:customerId`). Same as the SQL function `segmentation.unit_hash` (the run uses that one;
 * this one lets tests and tools check an assignment by hand).
 */
export function unitHash(salt: string, customerId: string): number {
  const hex = createHash('md5').update(`${salt}:${customerId}`, 'utf8').digest('hex').slice(0, 13);
  return parseInt(hex, 16) / 2 ** 52;
}
