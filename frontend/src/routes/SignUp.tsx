import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { FormError, TextField } from '../components/ui';
import type { ApiError } from '../errors';
import { ApiRequestError } from '../session';
import { useSessionObject } from '../session-context';
import { AuthFrame } from './auth-shared';

export default function SignUp() {
  const session = useSessionObject();
  const navigate = useNavigate();
  const [form, setForm] = useState({ name: '', email: '', password: '', organizationName: '' });
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [key]: e.target.value });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await session.signUp({
        name: form.name,
        email: form.email,
        password: form.password,
        organization_name: form.organizationName,
      });
      navigate('/incidents', { replace: true });
    } catch (e) {
      if (!(e instanceof ApiRequestError)) throw e;
      setError(e.error);
    } finally {
      setBusy(false);
    }
  };
  const f = error?.fields ?? {};
  return (
    <AuthFrame title="Create your organization">
      <form onSubmit={submit} noValidate>
        <FormError error={error} fields={Object.keys(form)} />
        <TextField
          label="Your name"
          name="name"
          autoComplete="name"
          required
          value={form.name}
          onChange={set('name')}
          error={f.name}
        />
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          value={form.email}
          onChange={set('email')}
          error={f.email}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint="At least 10 characters."
          value={form.password}
          onChange={set('password')}
          error={f.password}
        />
        <TextField
          label="Organization"
          name="organizationName"
          autoComplete="organization"
          required
          value={form.organizationName}
          onChange={set('organizationName')}
          error={f.organizationName}
        />
        <button type="submit" disabled={busy}>
          Create organization
        </button>
      </form>
      <p className="aside">
        Already have an account? <Link to="/sign-in">Sign in</Link>
      </p>
    </AuthFrame>
  );
}
