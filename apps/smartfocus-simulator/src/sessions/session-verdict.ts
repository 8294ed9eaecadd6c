/** A session row as the call check sees it (after counting the call). */
export type SessionUse = {
  module: string;
  openedAt: Date;
  previousUseAt: Date;
  callCount: number;
  closedReason: string | null;
};

export type SessionLimits = { lifetimeMs: number; idleTimeoutMs: number; callCap: number };

export type SessionVerdict = 'ok' | 'closed' | 'wrong-module' | 'expired' | 'idle' | 'call-cap';

/** Whether a call may use the session; the first failing rule wins (reference §2.3). */
export function sessionVerdict(use: SessionUse, module: string, now: Date, limits: SessionLimits): SessionVerdict {
  if (use.closedReason !== null) return 'closed';
  if (use.module !== module) return 'wrong-module';
  if (now.getTime() - use.openedAt.getTime() > limits.lifetimeMs) return 'expired';
  if (now.getTime() - use.previousUseAt.getTime() > limits.idleTimeoutMs) return 'idle';
  if (limits.callCap > 0 && use.callCount > limits.callCap) return 'call-cap';
  return 'ok';
}

/** The descriptions the reference lists for refused tokens. */
export const SESSION_DESCRIPTIONS: Record<Exclude<SessionVerdict, 'ok'>, string> = {
  closed: 'No available connection for the specified token.',
  'wrong-module': 'No available connection for the specified token.',
  expired: 'Your session has expired due to timeout',
  idle: 'Your session has expired due to timeout',
  'call-cap': 'The maximum number of connection allowed per session has been reached',
};
