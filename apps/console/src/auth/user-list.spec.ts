import { ConfigError } from '@optimove/config';
import { parseUserList } from './user-list';

const HASH = '$2b$10$' + 'a'.repeat(53);

describe(parseUserList.name, () => {
  it('should read name:hash pairs separated by commas or new lines when the list is valid', () => {
    expect(parseUserList(`alice:${HASH},\n bob:${HASH.replace('$2b$', '$2a$')}\n`)).toEqual([
      { userName: 'alice', passwordHash: HASH },
      { userName: 'bob', passwordHash: HASH.replace('$2b$', '$2a$') },
    ]);
  });

  it('should give no user when the list is empty', () => {
    expect(parseUserList('')).toEqual([]);
  });

  it('should name the entry but never show the hash when a hash is not bcrypt', () => {
    let error: unknown;
    try {
      parseUserList(`alice:${HASH},bob:plain-text-password`);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('entry 2 (bob)');
    expect((error as Error).message).not.toContain('plain-text-password');
  });

  it('should refuse a user listed twice', () => {
    expect(() => parseUserList(`alice:${HASH},alice:${HASH}`)).toThrow(/listed twice/);
  });
});
