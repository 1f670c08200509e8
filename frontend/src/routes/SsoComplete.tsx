import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { Loading } from '../components/ui';
import { ApiRequestError } from '../session';
import { useSessionObject } from '../session-context';
import { AuthFrame } from './auth-shared';

/** Where single sign-on lands: the one-time code is exchanged for tokens (once), then the incident list. */
export default function SsoComplete() {
  const session = useSessionObject();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const code = params.get('code');
  const [error, setError] = useState<string | null>(
    params.get('error') ? (params.get('message') ?? 'Single sign-on failed') : null,
  );
  const started = useRef(false);

  useEffect(() => {
    if (!code || started.current) return;
    started.current = true;
    // The code is spent by the exchange: it leaves the address bar and the history entry now.
    window.history.replaceState(null, '', '/sso/complete');
    session.exchangeSsoCode(code).then(
      () => navigate('/incidents', { replace: true }),
      (e: unknown) => setError(e instanceof ApiRequestError ? e.error.message : 'Single sign-on failed'),
    );
  }, [code, session, navigate]);

  if (!error && code) return <Loading label="Signing you in…" />;
  return (
    <AuthFrame title="Single sign-on failed">
      <p role="alert">{error ?? 'This sign-in address carries no code.'}</p>
      <p className="aside">
        <Link to="/sign-in">Back to sign-in</Link>
      </p>
    </AuthFrame>
  );
}
