import type { Request } from 'express';
import type { SessionView } from './sessions.service';

/** The request as the session guard leaves it. */
export type SignedInRequest = Request & { consoleSession?: SessionView };

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function isWrite(method: string): boolean {
  return WRITE_METHODS.has(method.toUpperCase());
}

/**
 * A write must come from a page of this origin: the browser says so in Sec-Fetch-Site and Origin.
 * (Absent headers are allowed: tools such as curl send neither, and they have no cookie to abuse.)
 */
export function isSameOrigin(request: Request): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return false;
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}
