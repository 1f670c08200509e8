import { createContext, useContext, useSyncExternalStore } from 'react';
import type { Session, StoredSession } from './session';

export const SessionContext = createContext<Session | null>(null);

export function useSessionObject(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside <SessionContext>');
  return session;
}

/** The signed-in state; re-renders on sign-in, refresh and sign-out (in this tab or another). */
export function useSession(): StoredSession | null {
  const session = useSessionObject();
  return useSyncExternalStore(
    session.subscribe,
    () => session.current,
    () => null,
  );
}

/** Viewers read; every other role works incidents (the server enforces it either way). */
export function useCanWrite(): boolean {
  const s = useSession();
  return !!s && s.user.role !== 'viewer';
}
