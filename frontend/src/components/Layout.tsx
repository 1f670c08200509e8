import { Suspense, type ReactNode } from 'react';
import { Link, NavLink, useNavigate } from 'react-router-dom';
import { useCanWrite, useSession, useSessionObject } from '../session-context';
import { Loading } from './ui';

export function Layout({ children }: { children: ReactNode }) {
  const session = useSession();
  const sessionObject = useSessionObject();
  const canWrite = useCanWrite();
  const isAdmin = session?.user.role === 'admin' || session?.user.role === 'owner';
  const navigate = useNavigate();
  const signOut = async () => {
    await sessionObject.signOut();
    navigate('/sign-in', { replace: true });
  };
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link className="brand" to="/incidents" aria-label="Argus, incidents">
          <svg aria-hidden="true" width="22" height="22" viewBox="0 0 32 32">
            <circle cx="16" cy="16" r="14" fill="#1d4ed8" />
            <circle cx="16" cy="16" r="6" fill="#fff" />
            <circle cx="16" cy="16" r="3" fill="#0f172a" />
          </svg>
          Argus
        </Link>
        <nav aria-label="Main">
          <NavLink to="/incidents" end>
            Incidents
          </NavLink>
          <NavLink to="/on-call">On call</NavLink>
          <NavLink to="/analytics">Analytics</NavLink>
          <NavLink to="/settings/api-tokens">API tokens</NavLink>
          {isAdmin ? <NavLink to="/settings/single-sign-on">Single sign-on</NavLink> : null}
          {canWrite ? (
            <NavLink to="/incidents/new" className="nav-cta">
              Declare incident
            </NavLink>
          ) : null}
        </nav>
        <div className="who">
          <span>
            {session?.user.name} <span className="role">{session?.user.role}</span>
          </span>
          <button type="button" className="secondary" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>{children}</Suspense>
      </main>
    </>
  );
}
