import { lazy, Suspense, useMemo, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { Provider } from 'urql';
import { createClient } from './client';
import { Layout } from './components/Layout';
import { Loading } from './components/ui';
import type { Session } from './session';
import { SessionContext, useSession } from './session-context';

const SignIn = lazy(() => import('./routes/SignIn'));
const SignUp = lazy(() => import('./routes/SignUp'));
const AcceptInvitation = lazy(() => import('./routes/AcceptInvitation'));
const Incidents = lazy(() => import('./routes/Incidents'));
const Declare = lazy(() => import('./routes/Declare'));
const IncidentPage = lazy(() => import('./routes/IncidentPage'));
const PostmortemPage = lazy(() => import('./routes/PostmortemPage'));
const OnCall = lazy(() => import('./routes/OnCall'));
const Analytics = lazy(() => import('./routes/Analytics'));
const NotFound = lazy(() => import('./routes/NotFound'));
const SsoComplete = lazy(() => import('./routes/SsoComplete'));
const ApiTokens = lazy(() => import('./routes/ApiTokens'));
const SingleSignOn = lazy(() => import('./routes/SingleSignOn'));

function RequireAuth({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (!session) {
    const next = location.pathname + location.search;
    return <Navigate to={next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  return <Layout>{children}</Layout>;
}

/** One GraphQL client (and cache) per signed-in user: nothing cached for one user is shown to the next. */
function ClientProvider({ session, children }: { session: Session; children: ReactNode }) {
  const current = useSession();
  const userId = current?.user.id ?? null;
  // The user id is a dependency on purpose: a new user gets a new client, even within one session object.
  const client = useMemo(() => createClient(session), [session, userId]);
  return <Provider value={client}>{children}</Provider>;
}

export function App({ session }: { session: Session }) {
  const page = (node: ReactNode) => <RequireAuth>{node}</RequireAuth>;
  return (
    <SessionContext.Provider value={session}>
      <ClientProvider session={session}>
        <BrowserRouter>
          <Suspense fallback={<Loading />}>
            <Routes>
              <Route path="/" element={<Navigate to="/incidents" replace />} />
              <Route path="/sign-in" element={<SignIn />} />
              <Route path="/sign-up" element={<SignUp />} />
              <Route path="/accept-invitation" element={<AcceptInvitation />} />
              <Route path="/sso/complete" element={<SsoComplete />} />
              <Route path="/settings/api-tokens" element={page(<ApiTokens />)} />
              <Route path="/settings/single-sign-on" element={page(<SingleSignOn />)} />
              <Route path="/incidents" element={page(<Incidents />)} />
              <Route path="/incidents/new" element={page(<Declare />)} />
              <Route path="/incidents/:key" element={page(<IncidentPage />)} />
              <Route path="/incidents/:key/postmortem" element={page(<PostmortemPage />)} />
              <Route path="/on-call" element={page(<OnCall />)} />
              <Route path="/analytics" element={page(<Analytics />)} />
              <Route path="*" element={page(<NotFound />)} />
            </Routes>
          </Suspense>
        </BrowserRouter>
      </ClientProvider>
    </SessionContext.Provider>
  );
}
