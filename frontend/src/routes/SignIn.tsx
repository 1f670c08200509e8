import { Link, Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { useSession, useSessionObject } from '../session-context';
import { AuthFrame, safeNext } from './auth-shared';
import { SignInForm } from './SignInForm';
import { SsoStartForm } from './SsoStartForm';

export default function SignIn() {
  const session = useSessionObject();
  const current = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  if (current) return <Navigate to={next} replace />;
  return (
    <AuthFrame title="Sign in to Argus">
      <SignInForm session={session} onSignedIn={() => navigate(next, { replace: true })} />
      <div className="sso">
        <h2>Single sign-on</h2>
        <SsoStartForm />
      </div>
      <p className="aside">
        New to Argus? <Link to="/sign-up">Create an organization</Link>
      </p>
    </AuthFrame>
  );
}
