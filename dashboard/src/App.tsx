import { Suspense, lazy, useEffect } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { Redirect, Route, Router, Switch } from 'wouter';
import { AppShell } from './app/AppShell';
import { homePath } from './app/routes';
import { SessionCheck } from './features/auth/SessionCheck';
import { SignInPage } from './features/auth/SignInPage';
import { SessionContext, useAuthState, useSession } from './features/auth/useAuth';
import { useHashPath, useHashSearch } from './lib/hashLocation';
import { queryClient } from './lib/queryClient';

// Each section is its own chunk: a chair's first load does not carry the wall screen, nor the sign-in page the charts.
const OverviewPage = lazy(() => import('./features/overview/OverviewPage').then((m) => ({ default: m.OverviewPage })));
const OperationsPage = lazy(() => import('./features/operations/OperationsPage').then((m) => ({ default: m.OperationsPage })));
const CommunePage = lazy(() => import('./features/commune/CommunePage').then((m) => ({ default: m.CommunePage })));
const NotificationsPage = lazy(() => import('./features/notifications/NotificationsPage').then((m) => ({ default: m.NotificationsPage })));
const SectorsPage = lazy(() => import('./features/sectors/SectorsPage').then((m) => ({ default: m.SectorsPage })));
const ReportsPage = lazy(() => import('./features/reports/ReportsPage').then((m) => ({ default: m.ReportsPage })));
const WallPage = lazy(() => import('./features/wall/WallPage').then((m) => ({ default: m.WallPage })));

function Loading() {
  return <div className="page-loading" role="status" aria-live="polite" />;
}

function Pages() {
  const { person } = useSession();
  return (
    <Suspense fallback={<Loading />}>
      <Switch>
        <Route path="/wall">
          <WallPage />
        </Route>
        <Route>
          <AppShell>
            <Switch>
              <Route path="/overview">{() => <OverviewPage />}</Route>
              <Route path="/overview/:scope">{(p) => <OverviewPage key={p.scope} scope={decodeURIComponent(p.scope)} />}</Route>
              <Route path="/operations">{() => <OperationsPage />}</Route>
              <Route path="/operations/alerts/:id">{(p) => <OperationsPage alertId={decodeURIComponent(p.id)} />}</Route>
              {person.role === 'admin' && <Route path="/notifications">{() => <NotificationsPage />}</Route>}
              <Route path="/reports">{() => <ReportsPage />}</Route>
              <Route path="/sectors">{() => <SectorsPage />}</Route>
              <Route path="/sectors/:scope">{(p) => <SectorsPage key={p.scope} scope={decodeURIComponent(p.scope)} />}</Route>
              <Route path="/commune/:code">{(p) => <CommunePage key={p.code} code={p.code} />}</Route>
              <Route>
                <Redirect to={homePath(person)} replace />
              </Route>
            </Switch>
          </AppShell>
        </Route>
      </Switch>
    </Suspense>
  );
}

/** The sign-in screen until someone is signed in; then the pages, started afresh for each sign-in. */
export function App() {
  const state = useAuthState();
  const sessionKey = state.status === 'signed-in' ? state.session.key : null;
  // A sign-in's figures are not the next one's: the cache goes with the session that filled it.
  useEffect(() => () => queryClient.clear(), [sessionKey]);
  return (
    <QueryClientProvider client={queryClient}>
      <Screens state={state} />
    </QueryClientProvider>
  );
}

function Screens({ state }: { state: ReturnType<typeof useAuthState> }) {
  switch (state.status) {
    case 'restoring':
      return <SessionCheck />;
    case 'signed-out':
      return <SignInPage notice={state.notice} />;
    case 'signed-in':
      return (
        <SessionContext.Provider value={state.session}>
          <Router hook={useHashPath} searchHook={useHashSearch} key={state.session.key}>
            <Pages />
          </Router>
        </SessionContext.Provider>
      );
  }
}
