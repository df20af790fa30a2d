import { OverviewPage } from './features/overview/OverviewPage';
import { SessionCheck } from './features/auth/SessionCheck';
import { SignInPage } from './features/auth/SignInPage';
import { SessionContext, useAuthState } from './features/auth/useAuth';

/** The sign-in screen until someone is signed in; then the pages, started afresh for each sign-in. */
export function App() {
  const state = useAuthState();
  switch (state.status) {
    case 'restoring':
      return <SessionCheck />;
    case 'signed-out':
      return <SignInPage notice={state.notice} />;
    case 'signed-in':
      return (
        <SessionContext.Provider value={state.session}>
          <OverviewPage key={state.session.key} />
        </SessionContext.Provider>
      );
  }
}
