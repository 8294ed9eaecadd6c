// Header spellings of columns that carry personal data the system must never store (e-mail
// addresses, names, phone numbers, postal addresses). The list is configurable
// (IMPORT_PII_HEADER_DENY_LIST); these are the defaults.
export const DEFAULT_PII_HEADER_DENY_LIST: readonly string[] = [
  'email', 'e_mail', 'mail', 'email_address', 'mail_address',
  'name', 'first_name', 'last_name', 'full_name', 'given_name', 'family_name', 'middle_name', 'surname', 'forename',
  'maiden_name', 'nick_name', 'salutation',
  'phone', 'telephone', 'tel', 'mobile', 'cell', 'fax', 'msisdn', 'phone_number', 'mobile_number',
  'address', 'street', 'street_address', 'house_number', 'postal_address', 'post_code', 'postcode', 'zip', 'zip_code', 'postal_code',
];

/** A spelling is compared by its words: lower case, split at non-alphanumerics and camelCase humps. */
function words(header: string): string[] {
  return header
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

/**
 * Decides which headers are personal data. A deny-list spelling of five or more letters matches
 * anywhere in the header, ignoring separators (`customerEmail`, `EMAIL_ADDRESS_2`, `firstname`);
 * a shorter one (`name`, `tel`, `zip`, `mail`) only as whole words (`store name` matches,
 * `mailing_opt_in` and `hotel` do not).
 */
export class PiiHeaderMatcher {
  private readonly long: string[];
  private readonly short: string[][];

  constructor(denyList: readonly string[]) {
    const spellings = denyList.map(words).filter((spelling) => spelling.length > 0);
    this.long = spellings.filter((spelling) => spelling.join('').length >= 5).map((spelling) => spelling.join(''));
    this.short = spellings.filter((spelling) => spelling.join('').length < 5);
  }

  isPii(header: string): boolean {
    const headerWords = words(header);
    const joined = headerWords.join('');
    if (this.long.some((spelling) => joined.includes(spelling))) return true;
    return this.short.some((spelling) => containsRun(headerWords, spelling));
  }
}

function containsRun(haystack: readonly string[], needle: readonly string[]): boolean {
  for (let i = 0; i + needle.length <= haystack.length; i++) {
    if (needle.every((word, k) => haystack[i + k] === word)) return true;
  }
  return false;
}
