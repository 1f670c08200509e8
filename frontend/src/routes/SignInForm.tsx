import { useState, type FormEvent } from 'react';
import { FormError, TextField } from '../components/ui';
import type { ApiError } from '../errors';
import { ApiRequestError, type Session } from '../session';

/** Email and password, then the authenticator code when the account has MFA on. */
export function SignInForm({ session, onSignedIn }: { session: Session; onSignedIn: () => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [needsCode, setNeedsCode] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await session.signIn(email, password, needsCode ? code : undefined);
      onSignedIn();
    } catch (e) {
      if (!(e instanceof ApiRequestError)) throw e;
      if (!needsCode && e.error.fields.mfaCode) {
        setNeedsCode(true);
      } else {
        setError(e.error);
      }
    } finally {
      setBusy(false);
    }
  };

  if (needsCode) {
    return (
      <form onSubmit={submit} noValidate>
        <p>
          This account has two-factor authentication on. Enter the 6-digit code from your authenticator app, or a
          recovery code.
        </p>
        <FormError error={error} fields={['mfaCode']} />
        <TextField
          label="Authentication code"
          name="mfaCode"
          inputMode="numeric"
          autoComplete="one-time-code"
          autoFocus
          required
          value={code}
          onChange={(e) => setCode(e.target.value)}
          error={error?.fields.mfaCode}
        />
        <button type="submit" disabled={busy}>
          Verify
        </button>
      </form>
    );
  }
  return (
    <form onSubmit={submit} noValidate>
      <FormError error={error} fields={['email', 'password']} />
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="username"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={error?.fields.email}
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={error?.fields.password}
      />
      <button type="submit" disabled={busy}>
        Sign in
      </button>
    </form>
  );
}
