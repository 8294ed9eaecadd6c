import type { Request } from 'express';
import { readSessionToken } from './session-cookie';

const withCookie = (cookie: string | undefined): Request => ({ headers: cookie === undefined ? {} : { cookie } }) as Request;

describe(readSessionToken.name, () => {
  it('should read the token when the session cookie stands among others', () => {
    expect(readSessionToken(withCookie('theme=dark; console_session=abc%2Bdef; lang=de'))).toBe('abc+def');
  });

  it('should give no token when there is no cookie', () => {
    expect(readSessionToken(withCookie(undefined))).toBeUndefined();
  });

  it('should give no token when the cookie is not valid percent-encoding', () => {
    expect(readSessionToken(withCookie('console_session=%E0%A4%A'))).toBeUndefined();
  });
});
