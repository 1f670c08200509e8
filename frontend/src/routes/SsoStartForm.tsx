import { useState, type FormEvent } from 'react';
import { FormError, TextField } from '../components/ui';
import { apiError, fromResponse, type ApiError } from '../errors';

const SLUG = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){1,39}$/;

/**
 * "Sign in with SSO": the organization's slug, or a work email whose domain names the organization; the browser then
 * goes to the API's start address, which sends it on to the identity provider.
 */
export function SsoStartForm({
  go = (path: string) => window.location.assign(path),
  baseUrl = '',
}: {
  go?: (path: string) => void;
  baseUrl?: string;
}) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const entered = value.trim();
    if (!entered.includes('@')) {
      if (!SLUG.test(entered.toLowerCase())) {
        setError(
          apiError('VALIDATION_FAILED', "Enter your organization's slug or your work email", [
            { field: 'organization', message: 'is not a slug or an email address' },
          ]),
        );
        return;
      }
      go(`/api/v1/auth/sso/${encodeURIComponent(entered.toLowerCase())}/start`);
      return;
    }
    setBusy(true);
    try {
      const res = await fetch(`${baseUrl}/api/v1/auth/sso/discover?email=${encodeURIComponent(entered)}`);
      if (!res.ok) {
        const found = await fromResponse(res);
        setError(
          res.status === 404
            ? apiError(
                'NOT_FOUND',
                'No organization signs in with SSO for this email domain: enter its slug instead',
                null,
              )
            : found,
        );
        return;
      }
      const body = (await res.json()) as { start_path: string };
      go(body.start_path);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Single sign-on">
      <FormError error={error} fields={['organization']} />
      <TextField
        label="Organization slug or work email"
        name="organization"
        autoComplete="organization"
        required
        value={value}
        onChange={(e) => setValue(e.target.value)}
        error={error?.fields.organization}
      />
      <button type="submit" className="secondary" disabled={busy}>
        Sign in with SSO
      </button>
    </form>
  );
}
