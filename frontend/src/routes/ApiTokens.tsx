import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { FormError, Loading, SelectField, TextField } from '../components/ui';
import { fromCombined, type ApiError } from '../errors';
import { formatTime } from '../format';
import { graphql } from '../gql';
import { useSession } from '../session-context';

const ApiTokensQuery = graphql(`
  query ApiTokens {
    apiTokens(limit: 100, sort: "-createdAt") {
      items {
        id
        name
        kind
        role
        tokenPrefix
        expiresAt
        lastUsedAt
        lastUsedIp
        createdAt
      }
    }
  }
`);

const CreateApiTokenMutation = graphql(`
  mutation CreateApiToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) {
      id
      name
      token
    }
  }
`);

const DeleteApiTokenMutation = graphql(`
  mutation DeleteApiToken($id: UUID!) {
    deleteApiToken(id: $id)
  }
`);

const ROLES = ['owner', 'admin', 'responder', 'viewer'] as const;
type RoleName = (typeof ROLES)[number];

/** API tokens: the list, a new token (shown once), revocation. */
export default function ApiTokens() {
  const session = useSession();
  const myRole = (session?.user.role ?? 'viewer') as RoleName;
  const roles = ROLES.slice(ROLES.indexOf(myRole));
  const [{ data, error, fetching }, reload] = useQuery({ query: ApiTokensQuery, requestPolicy: 'cache-and-network' });
  const [, create] = useMutation(CreateApiTokenMutation);
  const [, revoke] = useMutation(DeleteApiTokenMutation);
  const [name, setName] = useState('');
  const [role, setRole] = useState<RoleName>(myRole);
  const [expires, setExpires] = useState('');
  const [formError, setFormError] = useState<ApiError | null>(null);
  const [issued, setIssued] = useState<{ name: string; token: string } | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    const input = {
      name: name.trim(),
      role,
      expiresAt: expires ? new Date(`${expires}T23:59:59`).toISOString() : null,
    };
    const result = await create({ input });
    if (result.error) {
      setFormError(fromCombined(result.error));
      return;
    }
    setIssued({ name: result.data!.createApiToken.name, token: result.data!.createApiToken.token ?? '' });
    setName('');
    setExpires('');
    reload({ requestPolicy: 'network-only' });
  };

  const remove = async (id: string, tokenName: string) => {
    if (!window.confirm(`Revoke the token "${tokenName}"? Scripts using it stop working at once.`)) return;
    const result = await revoke({ id });
    if (result.error) setFormError(fromCombined(result.error));
    reload({ requestPolicy: 'network-only' });
  };

  return (
    <section className="page api-tokens">
      <h1>API tokens</h1>
      <p className="muted">
        A token acts as you, with at most your role, on <code>/graphql</code> and <code>/api/v1</code> (
        <code>Authorization: Bearer argus_pat_…</code>). It keeps working when your organization requires single
        sign-on.
      </p>
      {issued ? (
        <div className="card issued" role="status">
          <h2>Your new token “{issued.name}”</h2>
          <p>Copy it now: it is shown only once.</p>
          <TextField label="New API token" readOnly value={issued.token} onFocus={(e) => e.currentTarget.select()} />
          <button type="button" className="secondary" onClick={() => setIssued(null)}>
            Done
          </button>
        </div>
      ) : null}
      <form className="card" onSubmit={submit} noValidate aria-label="Create an API token">
        <h2>Create a token</h2>
        <FormError error={formError} fields={['name', 'role', 'expiresAt']} />
        <TextField
          label="Name"
          name="name"
          required
          maxLength={120}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={formError?.fields.name}
        />
        <SelectField
          label="Role"
          name="role"
          value={role}
          onChange={(e) => setRole(e.target.value as RoleName)}
          error={formError?.fields.role}
        >
          {roles.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Expires on (optional)"
          name="expiresAt"
          type="date"
          value={expires}
          onChange={(e) => setExpires(e.target.value)}
          error={formError?.fields.expiresAt}
        />
        <button type="submit">Create token</button>
      </form>
      {error ? <p role="alert">{fromCombined(error).message}</p> : null}
      {fetching && !data ? <Loading /> : null}
      {data ? (
        data.apiTokens.items.length ? (
          <table>
            <caption>Tokens</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Token</th>
                <th scope="col">Kind</th>
                <th scope="col">Role</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.apiTokens.items.map((token) => (
                <tr key={token.id}>
                  <td>{token.name}</td>
                  <td>
                    <code>{token.tokenPrefix}…</code>
                  </td>
                  <td>{token.kind}</td>
                  <td>{token.role}</td>
                  <td>{token.expiresAt ? formatTime(token.expiresAt) : 'Never'}</td>
                  <td>
                    {token.lastUsedAt
                      ? `${formatTime(token.lastUsedAt)} from ${token.lastUsedIp ?? 'unknown'}`
                      : 'Never'}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Revoke ${token.name}`}
                      onClick={() => remove(token.id, token.name)}
                    >
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>No tokens yet.</p>
        )
      ) : null}
    </section>
  );
}
