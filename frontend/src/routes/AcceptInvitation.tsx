import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { FormError, TextField } from '../components/ui';
import type { ApiError } from '../errors';
import { ApiRequestError } from '../session';
import { useSessionObject } from '../session-context';
import { AuthFrame } from './auth-shared';

/** The link in an invitation: /accept-invitation?token=… */
export default function AcceptInvitation() {
  const session = useSessionObject();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [token, setToken] = useState(params.get('token') ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await session.acceptInvitation(token.trim(), password);
      navigate('/incidents', { replace: true });
    } catch (e) {
      if (!(e instanceof ApiRequestError)) throw e;
      setError(e.error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <AuthFrame title="Join your team on Argus">
      <form onSubmit={submit} noValidate>
        <FormError error={error} fields={['invitationToken', 'password']} />
        {params.get('token') ? null : (
          <TextField
            label="Invitation token"
            name="invitationToken"
            required
            value={token}
            onChange={(e) => setToken(e.target.value)}
            error={error?.fields.invitationToken}
          />
        )}
        <TextField
          label="Choose a password"
          name="password"
          type="password"
          autoComplete="new-password"
          hint="At least 10 characters."
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={error?.fields.password}
        />
        <button type="submit" disabled={busy}>
          Accept invitation
        </button>
      </form>
    </AuthFrame>
  );
}
