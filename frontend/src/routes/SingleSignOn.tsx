import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { FormError, Loading, SelectField, TextArea, TextField } from '../components/ui';
import { apiError, fromCombined, type ApiError } from '../errors';
import { graphql } from '../gql';

const IdentityProviderQuery = graphql(`
  query IdentityProviderSettings {
    identityProviders(limit: 1) {
      items {
        id
        issuer
        clientId
        allowedDomains
        groupsClaim
        roleMapping
        defaultRole
        jitProvisioning
        ssoRequired
        breakGlassUserId
      }
    }
    owners: users(limit: 100, filter: { role: [owner] }) {
      items {
        id
        name
        email
      }
    }
  }
`);

const CreateIdentityProviderMutation = graphql(`
  mutation CreateIdentityProvider($input: CreateIdentityProviderInput!) {
    createIdentityProvider(input: $input) {
      id
    }
  }
`);

const UpdateIdentityProviderMutation = graphql(`
  mutation UpdateIdentityProvider($id: UUID!, $input: UpdateIdentityProviderInput!) {
    updateIdentityProvider(id: $id, input: $input) {
      id
    }
  }
`);

const MAPPABLE = ['admin', 'responder', 'viewer'] as const;
type MappableRole = (typeof MAPPABLE)[number];

/** `group = role` lines → the role mapping; a line that is not one is reported by its number. */
function parseMapping(text: string): Record<string, MappableRole> | string {
  const mapping: Record<string, MappableRole> = {};
  const lines = text.split('\n').map((l) => l.trim());
  for (const [i, line] of lines.entries()) {
    if (!line) continue;
    const at = line.lastIndexOf('=');
    const group = line.slice(0, at).trim();
    const role = line.slice(at + 1).trim() as MappableRole;
    if (at < 1 || !group || !MAPPABLE.includes(role))
      return `line ${i + 1} must be "group = admin", "responder" or "viewer"`;
    mapping[group] = role;
  }
  return mapping;
}

/**
 * The organization's identity provider (admins): issuer, client, domains, groups → roles, provisioning, "SSO required".
 */
export default function SingleSignOn() {
  const [{ data, error, fetching }, reload] = useQuery({ query: IdentityProviderQuery });
  const [, create] = useMutation(CreateIdentityProviderMutation);
  const [, update] = useMutation(UpdateIdentityProviderMutation);
  const provider = data?.identityProviders.items[0];
  const [issuer, setIssuer] = useState('');
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [domains, setDomains] = useState('');
  const [groupsClaim, setGroupsClaim] = useState('groups');
  const [mapping, setMapping] = useState('');
  const [defaultRole, setDefaultRole] = useState<MappableRole>('viewer');
  const [jit, setJit] = useState(false);
  const [required, setRequired] = useState(false);
  const [breakGlass, setBreakGlass] = useState('');
  const [formError, setFormError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (!provider) return;
    setIssuer(provider.issuer);
    setClientId(provider.clientId);
    setDomains(provider.allowedDomains.join(', '));
    setGroupsClaim(provider.groupsClaim);
    setMapping(
      Object.entries(provider.roleMapping)
        .map(([g, r]) => `${g} = ${String(r)}`)
        .join('\n'),
    );
    setDefaultRole(provider.defaultRole as MappableRole);
    setJit(provider.jitProvisioning);
    setRequired(provider.ssoRequired);
    setBreakGlass(provider.breakGlassUserId ?? '');
  }, [provider]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    setSaved(false);
    const roleMapping = parseMapping(mapping);
    if (typeof roleMapping === 'string') {
      setFormError(apiError('VALIDATION_FAILED', roleMapping, [{ field: 'roleMapping', message: roleMapping }]));
      return;
    }
    const common = {
      issuer: issuer.trim(),
      clientId: clientId.trim(),
      allowedDomains: domains
        .split(',')
        .map((d) => d.trim().toLowerCase())
        .filter(Boolean),
      groupsClaim: groupsClaim.trim() || 'groups',
      roleMapping,
      defaultRole,
      jitProvisioning: jit,
      ssoRequired: required,
      breakGlassUserId: breakGlass || null,
    };
    const result = provider
      ? await update({ id: provider.id, input: { ...common, ...(clientSecret ? { clientSecret } : {}) } })
      : await create({ input: { ...common, clientSecret } });
    if (result.error) {
      setFormError(fromCombined(result.error));
      return;
    }
    setClientSecret('');
    setSaved(true);
    reload({ requestPolicy: 'network-only' });
  };

  if (error) return <p role="alert">{fromCombined(error).message}</p>;
  if (fetching && !data) return <Loading />;
  return (
    <section className="page single-sign-on">
      <h1>Single sign-on</h1>
      <p className="muted">
        Register <code>{`${window.location.origin}/api/v1/auth/sso/callback`}</code> as the redirect URI at your OpenID
        Connect provider.
      </p>
      <form className="card" onSubmit={submit} noValidate aria-label="Identity provider">
        <FormError
          error={formError}
          fields={[
            'issuer',
            'clientId',
            'clientSecret',
            'allowedDomains',
            'groupsClaim',
            'roleMapping',
            'defaultRole',
            'breakGlassUserId',
          ]}
        />
        {saved ? <p role="status">Saved.</p> : null}
        <TextField
          label="Issuer URL"
          name="issuer"
          type="url"
          required
          value={issuer}
          onChange={(e) => setIssuer(e.target.value)}
          error={formError?.fields.issuer}
        />
        <TextField
          label="Client ID"
          name="clientId"
          required
          value={clientId}
          onChange={(e) => setClientId(e.target.value)}
          error={formError?.fields.clientId}
        />
        <TextField
          label="Client secret"
          name="clientSecret"
          type="password"
          autoComplete="off"
          required={!provider}
          hint={
            provider
              ? 'Stored encrypted and never shown; leave empty to keep it, or enter a new one to rotate it.'
              : 'Stored encrypted and never shown again.'
          }
          value={clientSecret}
          onChange={(e) => setClientSecret(e.target.value)}
          error={formError?.fields.clientSecret}
        />
        <TextField
          label="Allowed email domains"
          name="allowedDomains"
          hint="Comma-separated; empty allows any domain."
          value={domains}
          onChange={(e) => setDomains(e.target.value)}
          error={formError?.fields.allowedDomains}
        />
        <TextField
          label="Groups claim"
          name="groupsClaim"
          value={groupsClaim}
          onChange={(e) => setGroupsClaim(e.target.value)}
          error={formError?.fields.groupsClaim}
        />
        <TextArea
          label="Groups to roles"
          name="roleMapping"
          hint='One "group = admin | responder | viewer" per line; the highest role wins.'
          rows={4}
          value={mapping}
          onChange={(e) => setMapping(e.target.value)}
          error={formError?.fields.roleMapping}
        />
        <SelectField
          label="Role without a mapped group"
          name="defaultRole"
          value={defaultRole}
          onChange={(e) => setDefaultRole(e.target.value as MappableRole)}
          error={formError?.fields.defaultRole}
        >
          {MAPPABLE.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </SelectField>
        <label className="check">
          <input type="checkbox" name="jitProvisioning" checked={jit} onChange={(e) => setJit(e.target.checked)} />{' '}
          Create users at their first sign-in
        </label>
        <label className="check">
          <input
            type="checkbox"
            name="ssoRequired"
            checked={required}
            onChange={(e) => setRequired(e.target.checked)}
          />{' '}
          Require single sign-on (password sign-in refused)
        </label>
        <SelectField
          label="Break-glass owner (may still use a password)"
          name="breakGlassUserId"
          value={breakGlass}
          onChange={(e) => setBreakGlass(e.target.value)}
          error={formError?.fields.breakGlassUserId}
        >
          <option value="">Nobody</option>
          {data?.owners.items.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name} ({o.email})
            </option>
          ))}
        </SelectField>
        <button type="submit">{provider ? 'Save' : 'Set up single sign-on'}</button>
      </form>
    </section>
  );
}
