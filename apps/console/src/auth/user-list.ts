import { ConfigError } from '@optimove/config';

/** One person allowed to sign in: the name and the bcrypt hash of the password. */
export type ConsoleUser = { userName: string; passwordHash: string };

const BCRYPT_HASH = /^\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/;
const USER_NAME = /^[A-Za-z0-9._@-]{1,64}$/;

/**
 * Reads CONSOLE_USERS: `name:hash` entries separated by commas or new lines. A mistake names the
 * entry by its position, never its text (the hashes come from a Secret).
 */
export function parseUserList(text: string): ConsoleUser[] {
  const entries = text
    .split(/[,\n]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  const problems: string[] = [];
  const users = new Map<string, ConsoleUser>();
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(':');
    const userName = colon > 0 ? entry.slice(0, colon) : '';
    const passwordHash = colon > 0 ? entry.slice(colon + 1) : '';
    if (!USER_NAME.test(userName)) problems.push(`CONSOLE_USERS entry ${index + 1}: the user name must be 1-64 of A-Z a-z 0-9 . _ @ -, followed by ":"`);
    else if (!BCRYPT_HASH.test(passwordHash)) problems.push(`CONSOLE_USERS entry ${index + 1} (${userName}): the password hash is not a bcrypt hash ($2b$<cost>$...)`);
    else if (users.has(userName)) problems.push(`CONSOLE_USERS entry ${index + 1}: ${userName} is listed twice`);
    else users.set(userName, { userName, passwordHash });
  });
  if (problems.length > 0) throw new ConfigError('ConsoleConfig', problems);
  return [...users.values()];
}
