import { sessionVerdict, type SessionUse } from './session-verdict';

const OPENED = new Date('2026-12-01T08:00:00Z');
const LIMITS = { lifetimeMs: 60 * 60_000, idleTimeoutMs: 30 * 60_000, callCap: 3 };
const use = (overrides: Partial<SessionUse> = {}): SessionUse => ({ module: 'apiccmd', openedAt: OPENED, previousUseAt: OPENED, callCount: 1, closedReason: null, ...overrides });
const minutes = (count: number): Date => new Date(OPENED.getTime() + count * 60_000);

describe(sessionVerdict.name, () => {
  it('should accept a fresh token on its module', () => {
    expect(sessionVerdict(use(), 'apiccmd', minutes(1), LIMITS)).toBe('ok');
  });

  it('should refuse a closed token, a token of another module, an old token, an idle token and a call over the cap', () => {
    expect(sessionVerdict(use({ closedReason: 'closed' }), 'apiccmd', minutes(1), LIMITS)).toBe('closed');
    expect(sessionVerdict(use(), 'apimember', minutes(1), LIMITS)).toBe('wrong-module');
    expect(sessionVerdict(use({ previousUseAt: minutes(59) }), 'apiccmd', minutes(61), LIMITS)).toBe('expired');
    expect(sessionVerdict(use({ previousUseAt: minutes(5) }), 'apiccmd', minutes(36), LIMITS)).toBe('idle');
    expect(sessionVerdict(use({ callCount: 3 }), 'apiccmd', minutes(1), LIMITS)).toBe('ok');
    expect(sessionVerdict(use({ callCount: 4 }), 'apiccmd', minutes(1), LIMITS)).toBe('call-cap');
    expect(sessionVerdict(use({ callCount: 10_000 }), 'apiccmd', minutes(1), { ...LIMITS, callCap: 0 })).toBe('ok');
  });
});
