import { TestApp, startTestApp } from '../support/app';
import { errorCode, gql, gqlRaw, rest } from '../support/client';
import { seedOrg } from '../support/seed';
import { postBearer, postSigned } from '../support/inbound';
import {
  CreateWebhookSourceDocument,
  RotateWebhookSourceSecretDocument,
  UpdateWebhookSourceDocument,
  WebhookSourceDocument,
  WebhookSourcesDocument,
} from '../support/generated/graphql';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const trigger = (title = 'Queue depth above 10k') => ({ title, severity: 'P3', dedup_key: `k-${title}` });

describe('webhook sources', () => {
  it('creates a signature source over REST and shows its whsec_ secret in that response only', async () => {
    const org = await seedOrg(t.url);
    const service = await org.service();
    const res = await rest(t.url, 'POST', '/webhook-sources', {
      token: org.owner.token,
      body: {
        name: 'Payments monitors',
        kind: 'generic',
        verification: 'signature',
        default_severity: 'P2',
        default_service_id: service.id,
      },
    });
    expect(res.status).toBe(201);
    const secret: string = res.body.signing_secret;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64').length).toBeGreaterThanOrEqual(24);
    expect(res.body.bearer_token).toBeNull();
    // Flat, like every body: the source's fields and its secret side by side.
    const source = res.body;
    expect(source).toMatchObject({
      name: 'Payments monitors',
      kind: 'generic',
      verification: 'signature',
      default_severity: 'P2',
      default_service_id: service.id,
      enabled: true,
      ingest_path: `/api/v1/webhook-sources/${source.id}/alerts`,
      last_alert_at: null,
    });
    expect(source).not.toHaveProperty('webhook_source');

    // Never readable again: not on read, list, update, nor any GraphQL query.
    const read = await rest(t.url, 'GET', `/webhook-sources/${source.id}`, { token: org.owner.token });
    const list = await rest(t.url, 'GET', '/webhook-sources', { token: org.owner.token });
    const updated = await rest(t.url, 'PATCH', `/webhook-sources/${source.id}`, {
      token: org.owner.token,
      body: { name: 'Renamed' },
    });
    const viaGraphQL = await gql(t.url, WebhookSourceDocument, { id: source.id }, org.owner.token);
    for (const answer of [read.body, list.body, updated.body, viaGraphQL.data]) {
      expect(JSON.stringify(answer)).not.toContain(secret.slice(6, 30));
      expect(JSON.stringify(answer)).not.toContain('whsec_');
    }
    expect(read.status).toBe(200);
    expect(list.body.items.map((s: { id: string }) => s.id)).toEqual([source.id]);
    expect(read.body).toMatchObject({ signing_secret: null, bearer_token: null });
    const probe = await gqlRaw(
      t.url,
      {
        query: `query($id: UUID!) { webhookSource(id: $id) { signingSecret bearerToken } }`,
        variables: { id: source.id },
      },
      org.owner.token,
    );
    expect(probe.data.webhookSource).toEqual({ signingSecret: null, bearerToken: null });
  });

  it('defaults to bearer verification for Alertmanager and Grafana, with an opaque token shown once', async () => {
    const org = await seedOrg(t.url);
    for (const kind of ['alertmanager', 'grafana']) {
      const res = await rest(t.url, 'POST', '/webhook-sources', {
        token: org.owner.token,
        body: { name: `From ${kind}`, kind },
      });
      expect(res.status).toBe(201);
      expect(res.body.verification).toBe('bearer');
      expect(res.body.signing_secret).toBeNull();
      expect(res.body.bearer_token).toMatch(/^whtok_[A-Za-z0-9_-]{40,}$/);
    }
  });

  it('rotates the secret: the new one works, the old one is refused', async () => {
    const org = await seedOrg(t.url);
    const source = await org.webhookSource({ kind: 'generic' });
    const before = await postSigned(t.url, source.id, source.signing_secret, trigger('Before rotation'));
    expect(before.status).toBe(202);

    const rotated = await rest(t.url, 'POST', `/webhook-sources/${source.id}/rotate-secret`, {
      token: org.owner.token,
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.signing_secret).toMatch(/^whsec_/);
    expect(rotated.body.signing_secret).not.toBe(source.signing_secret);
    expect(rotated.body).toMatchObject({ id: source.id, kind: 'generic', bearer_token: null });
    expect(new Date(rotated.body.secret_rotated_at).getTime()).toBeGreaterThan(
      new Date(source.secret_rotated_at).getTime(),
    );

    expect((await postSigned(t.url, source.id, source.signing_secret, trigger('Old secret'))).status).toBe(401);
    expect((await postSigned(t.url, source.id, rotated.body.signing_secret, trigger('New secret'))).status).toBe(202);
  });

  it('switches verification only together with a new secret (GraphQL rotate)', async () => {
    const org = await seedOrg(t.url);
    const source = await org.webhookSource({ kind: 'generic' });
    const rotated = await gql(
      t.url,
      RotateWebhookSourceSecretDocument,
      { id: source.id, verification: 'bearer' },
      org.owner.token,
    );
    expect(rotated.errors).toBeUndefined();
    const result = rotated.data!.rotateWebhookSourceSecret;
    expect(result.verification).toBe('bearer');
    expect(result.signingSecret).toBeNull();
    expect(result.bearerToken).toMatch(/^whtok_/);
    expect((await postBearer(t.url, source.id, result.bearerToken!, trigger())).status).toBe(202);
    expect((await postSigned(t.url, source.id, source.signing_secret, trigger('Signed'))).status).toBe(401);
    const patch = await rest(t.url, 'PATCH', `/webhook-sources/${source.id}`, {
      token: org.owner.token,
      body: { verification: 'signature' },
    });
    expect(patch.status).toBe(400);
    expect(patch.body.error.details[0].field).toBe('verification');
  });

  it('works through GraphQL: create with the nested default service, update, filtered list with pagination', async () => {
    const org = await seedOrg(t.url);
    const service = await org.service({ name: 'Search' });
    const created = await gql(
      t.url,
      CreateWebhookSourceDocument,
      { input: { name: 'Grafana prod', kind: 'grafana', defaultServiceId: service.id } },
      org.owner.token,
    );
    expect(created.errors).toBeUndefined();
    const source = created.data!.createWebhookSource;
    expect(source).toMatchObject({
      kind: 'grafana',
      verification: 'bearer',
      defaultServiceId: service.id,
      defaultService: { name: 'Search' },
    });
    expect(source.bearerToken).toMatch(/^whtok_/);
    await org.webhookSource({ name: 'Generic A' });
    await org.webhookSource({ name: 'Generic B', enabled: false });

    const updated = await gql(
      t.url,
      UpdateWebhookSourceDocument,
      { id: source.id, input: { defaultSeverity: 'P1', enabled: false } },
      org.owner.token,
    );
    expect(updated.data?.updateWebhookSource).toMatchObject({ defaultSeverity: 'P1', enabled: false });

    const disabled = await gql(t.url, WebhookSourcesDocument, { filter: { enabled: false } }, org.owner.token);
    expect(disabled.data?.webhookSources.items.map((s) => s.name).sort()).toEqual(['Generic B', 'Grafana prod']);
    const page1 = await rest(t.url, 'GET', '/webhook-sources?kind=generic&limit=1', { token: org.owner.token });
    expect(page1.body.total).toBe(2);
    expect(page1.body.items.map((s: { name: string }) => s.name)).toEqual(['Generic A']);
    const page2 = await rest(
      t.url,
      'GET',
      `/webhook-sources?kind=generic&limit=1&cursor=${encodeURIComponent(page1.body.next_cursor)}`,
      { token: org.owner.token },
    );
    expect(page2.body.items.map((s: { name: string }) => s.name)).toEqual(['Generic B']);
    expect(page2.body.next_cursor).toBeNull();
    const byName = await rest(t.url, 'GET', '/webhook-sources?q=grafana', { token: org.owner.token });
    expect(byName.body.items.map((s: { id: string }) => s.id)).toEqual([source.id]);
  });

  it('deletes a source (204), after which its endpoint refuses alerts', async () => {
    const org = await seedOrg(t.url);
    const source = await org.webhookSource();
    expect((await rest(t.url, 'DELETE', `/webhook-sources/${source.id}`, { token: org.owner.token })).status).toBe(204);
    expect((await rest(t.url, 'GET', `/webhook-sources/${source.id}`, { token: org.owner.token })).status).toBe(404);
    expect((await postSigned(t.url, source.id, source.signing_secret, trigger())).status).toBe(401);
  });

  it('validates: unknown kind, missing name, duplicate name, a service of another organization (naming the field)', async () => {
    const org = await seedOrg(t.url);
    const other = await seedOrg(t.url);
    const foreign = await other.service();
    const kind = await rest(t.url, 'POST', '/webhook-sources', {
      token: org.owner.token,
      body: { name: 'x', kind: 'nagios' },
    });
    expect(kind.status).toBe(400);
    expect(kind.body.error.details[0].field).toBe('kind');
    const name = await rest(t.url, 'POST', '/webhook-sources', { token: org.owner.token, body: { kind: 'generic' } });
    expect(name.status).toBe(400);
    expect(name.body.error.details[0].field).toBe('name');
    const service = await rest(t.url, 'POST', '/webhook-sources', {
      token: org.owner.token,
      body: { name: 'x', kind: 'generic', default_service_id: foreign.id },
    });
    expect(service.status).toBe(400);
    expect(service.body.error.details[0].field).toBe('default_service_id');
    const severity = await rest(t.url, 'POST', '/webhook-sources', {
      token: org.owner.token,
      body: { name: 'x', kind: 'generic', default_severity: 'P9' },
    });
    expect(severity.status).toBe(400);
    await org.webhookSource({ name: 'Twice' });
    const twice = await rest(t.url, 'POST', '/webhook-sources', {
      token: org.owner.token,
      body: { name: 'Twice', kind: 'generic' },
    });
    expect(twice.status).toBe(409);
    const patch = await rest(t.url, 'PATCH', `/webhook-sources/${(await org.webhookSource()).id}`, {
      token: org.owner.token,
      body: { default_service_id: foreign.id },
    });
    expect(patch.status).toBe(400);
    expect(patch.body.error.details[0].field).toBe('default_service_id');
  });

  it('lets admins manage sources and everyone read them, without ever showing a secret', async () => {
    const org = await seedOrg(t.url);
    const admin = await org.user('admin');
    const responder = await org.user('responder');
    const viewer = await org.user('viewer');
    const denied = await rest(t.url, 'POST', '/webhook-sources', {
      token: responder.token,
      body: { name: 'Nope', kind: 'generic' },
    });
    expect(denied.status).toBe(403);
    const made = await rest(t.url, 'POST', '/webhook-sources', {
      token: admin.token,
      body: { name: 'By admin', kind: 'generic' },
    });
    expect(made.status).toBe(201);
    const id = made.body.id;
    for (const user of [viewer, responder]) {
      expect((await rest(t.url, 'POST', `/webhook-sources/${id}/rotate-secret`, { token: user.token })).status).toBe(
        403,
      );
      const read = await rest(t.url, 'GET', `/webhook-sources/${id}`, { token: user.token });
      expect(read.status).toBe(200);
      expect(JSON.stringify(read.body)).not.toContain('whsec_');
    }
    const viaGraphQL = await gql(t.url, RotateWebhookSourceSecretDocument, { id }, viewer.token);
    expect(errorCode(viaGraphQL)).toBe('FORBIDDEN');
    expect((await rest(t.url, 'POST', `/webhook-sources/${id}/rotate-secret`, { token: admin.token })).status).toBe(
      200,
    );
  });

  it("answers another organization's rotate-secret as not found, and keeps the secret working", async () => {
    const owner = await seedOrg(t.url);
    const intruder = await seedOrg(t.url);
    const source = await owner.webhookSource();
    const res = await rest(t.url, 'POST', `/webhook-sources/${source.id}/rotate-secret`, {
      token: intruder.owner.token,
    });
    expect([res.status, res.body.error.code]).toEqual([404, 'NOT_FOUND']);
    expect((await postSigned(t.url, source.id, source.signing_secret, trigger())).status).toBe(202);
  });
});
