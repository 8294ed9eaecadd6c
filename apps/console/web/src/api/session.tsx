import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, setCsrfToken, setSignedOutHandler } from './client';

export type Session = { userName: string; csrfToken: string; expiresAt: string };

type SessionState = {
  /** undefined while the first check runs; null when nobody is signed in. */
  session: Session | null | undefined;
  signIn: (userName: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
};

const SessionContext = createContext<SessionState | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const adopt = useCallback((next: Session | null) => {
    setCsrfToken(next?.csrfToken);
    setSession(next);
  }, []);

  useEffect(() => {
    setSignedOutHandler(() => adopt(null));
    api<Session>('/api/session').then(adopt, () => adopt(null));
  }, [adopt]);

  const value = useMemo<SessionState>(
    () => ({
      session,
      signIn: async (userName, password) => adopt(await api<Session>('/api/session', { method: 'POST', body: { userName, password } })),
      signOut: async () => {
        await api<void>('/api/session', { method: 'DELETE' }).catch(() => undefined);
        adopt(null);
      },
    }),
    [session, adopt],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}
