import type { Request, Response } from 'express';

/** The session cookie's name. The browser app never reads it (HttpOnly). */
export const SESSION_COOKIE = 'console_session';

export function readSessionToken(request: Request): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return decodeCookieValue(value.join('='));
  }
  return undefined;
}

// A value that is not valid percent-encoding was never set by the console: no cookie, so 401.
function decodeCookieValue(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

export function setSessionCookie(response: Response, token: string, maxAgeSeconds: number, secure: boolean): void {
  response.setHeader('Set-Cookie', cookie(token, maxAgeSeconds, secure));
}

export function clearSessionCookie(response: Response, secure: boolean): void {
  response.setHeader('Set-Cookie', cookie('', 0, secure));
}

// SameSite=Strict: no other site's page can make the browser send it, not even a link.
function cookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return [`${SESSION_COOKIE}=${encodeURIComponent(value)}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAgeSeconds}`, ...(secure ? ['Secure'] : [])].join('; ');
}
