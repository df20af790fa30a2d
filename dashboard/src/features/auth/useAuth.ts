import { createContext, useContext, useSyncExternalStore } from 'react';
import { type AuthState, type Session, auth } from '../../lib/auth';

export function useAuthState(): AuthState {
  return useSyncExternalStore(auth.subscribe, auth.getState);
}

/** The sign-in the pages below the sign-in screen belong to. */
export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}
