import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { startTestApp, TestApp } from '../support/app';
import { rest } from '../support/client';
import { PASSWORD, seedOrg, SeedOrg } from '../support/seed';
import { startOidcProvider, TestOidcProvider } from '../support/oidc';
import { anonymous, launch, seriousViolations, signedIn } from './browser';

/** The console's single sign-on through a real OpenID provider (oidc-provider on loopback), and its API tokens page. */
describe('console: single sign-on and API tokens', () => {
  let t: TestApp;
  let browser: Browser;
  let idp: TestOidcProvider;
  let org: SeedOrg;
  let slug: string;
  const run = randomUUID().slice(0, 8);
  const domain = `e2e-${run}.test`;
  const CLIENT = { client_id: 'argus-e2e', client_secret: 'argus-e2e-secret-0123456789' };

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp(), launch()]);
    idp = await startOidcProvider([{ ...CLIENT, redirect_uris: [`${t.url}/api/v1/auth/sso/callback`] }], {
      [`lin-${run}`]: { email: `lin@${domain}`, email_verified: true, name: 'Lin Oncall', groups: ['oncall'] },
    });
    org = await seedOrg(t.url);
    slug = (await rest(t.url, 'GET', '/auth/me', { token: org.owner.token })).body.organization.slug;
    const created = await rest(t.url, 'POST', '/identity-providers', {
      token: org.owner.token,
      body: {
        issuer: idp.issuer,
        ...CLIENT,
        allowed_domains: [domain],
        role_mapping: { oncall: 'responder' },
        jit_provisioning: true,
        sso_required: true,
        break_glass_user_id: org.owner.id,
      },
    });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
    await idp?.close();
    await t?.close();
  });

  async function throughProvider(page: import('playwright-core').Page, login: string) {
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
  }

  it('signs in with SSO by organization slug, lands on the incident list, and keeps no code in the address', async () => {
    const { context, page } = await anonymous(browser, t.url);
    try {
      await page.goto('/sign-in');
      await page.getByLabel('Organization slug or work email').fill(slug);
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByRole('button', { name: 'Sign in with SSO' }).click();
      await page.waitForURL((url) => url.origin === idp.issuer);
      await throughProvider(page, `lin-${run}`);
      await page.waitForURL(/\/incidents$/);
      await page.getByRole('heading', { name: 'Incidents' }).waitFor();
      expect(await page.locator('.who').textContent()).toContain('Lin Oncall');
      expect(await page.locator('.who .role').textContent()).toBe('responder');
      const history = await page.evaluate(() => window.location.href);
      expect(history).not.toContain('code=');
    } finally {
      await context.close();
    }
  });

  it('finds the organization by work email; a password sign-in is refused while SSO is required, the break-glass owner is not', async () => {
    const { context, page } = await anonymous(browser, t.url);
    try {
      await page.goto('/sign-in');
      await page.getByLabel('Email', { exact: true }).fill(`lin@${domain}`);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').textContent()).toMatch(/invalid|single sign-on/i);
      await page.getByLabel('Organization slug or work email').fill(`lin@${domain}`);
      await page.getByRole('button', { name: 'Sign in with SSO' }).click();
      await page.waitForURL((url) => url.origin === idp.issuer);
      await throughProvider(page, `lin-${run}`);
      await page.waitForURL(/\/incidents$/);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(/\/sign-in$/);
      await page.getByLabel('Email', { exact: true }).fill(org.owner.email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL(/\/incidents$/);
    } finally {
      await context.close();
    }
  });

  it('shows a refused sign-in on the console (a domain no organization uses, an account of another domain)', async () => {
    const { context, page } = await anonymous(browser, t.url);
    try {
      await page.goto('/sign-in');
      await page.getByLabel('Organization slug or work email').fill('someone@nowhere.test');
      await page.getByRole('button', { name: 'Sign in with SSO' }).click();
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').textContent()).toMatch(/No organization/);
      idp.setAccounts({ [`out-${run}`]: { email: `out@elsewhere-${run}.test`, email_verified: true } });
      await page.getByLabel('Organization slug or work email').fill(slug);
      await page.getByRole('button', { name: 'Sign in with SSO' }).click();
      await page.waitForURL((url) => url.origin === idp.issuer);
      await throughProvider(page, `out-${run}`);
      await page.waitForURL(/\/sso\/complete/);
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').textContent()).toMatch(/not allowed/);
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('creates an API token shown once, lists it, and revokes it', async () => {
    idp.setAccounts({
      [`lin-${run}`]: { email: `lin@${domain}`, email_verified: true, name: 'Lin Oncall', groups: ['oncall'] },
    });
    const { context, page } = await anonymous(browser, t.url);
    try {
      await page.goto('/sign-in');
      await page.getByLabel('Organization slug or work email').fill(slug);
      await page.getByRole('button', { name: 'Sign in with SSO' }).click();
      await page.waitForURL((url) => url.origin === idp.issuer);
      await throughProvider(page, `lin-${run}`);
      await page.waitForURL(/\/incidents$/);
      await page.getByRole('link', { name: 'API tokens' }).click();
      await page.getByRole('heading', { name: 'API tokens', level: 1 }).waitFor();
      await page.getByLabel('Name').fill('nightly export');
      await page.getByRole('button', { name: 'Create token' }).click();
      const shown = page.getByLabel('New API token');
      await shown.waitFor();
      const token = await shown.inputValue();
      expect(token).toMatch(/^argus_pat_/);
      expect((await rest(t.url, 'GET', '/incidents', { token })).status).toBe(200);
      const row = page.getByRole('row', { name: /nightly export/ });
      await row.waitFor();
      expect(await row.textContent()).not.toContain(token);
      expect(await seriousViolations(page)).toEqual([]);
      page.once('dialog', (dialog) => void dialog.accept());
      await page.getByRole('button', { name: 'Revoke nightly export' }).click();
      await row.waitFor({ state: 'detached' });
      expect((await rest(t.url, 'GET', '/incidents', { token })).status).toBe(401);
    } finally {
      await context.close();
    }
  });

  it('lets an admin set up the identity provider in the settings form, then sign in through it', async () => {
    const other = await seedOrg(t.url);
    const otherSlug = (await rest(t.url, 'GET', '/auth/me', { token: other.owner.token })).body.organization.slug;
    const { context, page } = await signedIn(browser, t.url, other.owner);
    try {
      await page.goto('/incidents');
      await page.getByRole('link', { name: 'Single sign-on' }).click();
      await page.getByRole('heading', { name: 'Single sign-on', level: 1 }).waitFor();
      await page.getByLabel('Issuer URL').fill('http://idp.example.com');
      await page.getByLabel('Client ID').fill(CLIENT.client_id);
      await page.getByLabel('Client secret').fill(CLIENT.client_secret);
      await page.getByRole('button', { name: 'Set up single sign-on' }).click();
      await page.locator('.field-error').first().waitFor();
      expect(await page.locator('.field-error').first().textContent()).toMatch(/https/);
      await page.getByLabel('Issuer URL').fill(idp.issuer);
      await page.getByLabel('Client secret').fill(CLIENT.client_secret);
      await page.getByLabel('Allowed email domains').fill(`team-${run}.test`);
      await page.getByLabel('Groups to roles').fill('leads = admin\noncall = responder');
      await page.getByLabel('Create users at their first sign-in').check();
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByRole('button', { name: 'Set up single sign-on' }).click();
      await page.getByText('Saved.').waitFor();
      const stored = await rest(t.url, 'GET', '/identity-providers', { token: other.owner.token });
      expect(stored.body.items[0]).toMatchObject({
        issuer: idp.issuer,
        allowed_domains: [`team-${run}.test`],
        role_mapping: { leads: 'admin', oncall: 'responder' },
        jit_provisioning: true,
      });
      expect(await page.getByLabel('Client secret').inputValue()).toBe('');
    } finally {
      await context.close();
    }
    idp.setAccounts({
      [`kim-${run}`]: { email: `kim@team-${run}.test`, email_verified: true, name: 'Kim Lead', groups: ['leads'] },
    });
    const visitor = await anonymous(browser, t.url);
    try {
      await visitor.page.goto('/sign-in');
      await visitor.page.getByLabel('Organization slug or work email').fill(otherSlug);
      await visitor.page.getByRole('button', { name: 'Sign in with SSO' }).click();
      await visitor.page.waitForURL((url) => url.origin === idp.issuer);
      await throughProvider(visitor.page, `kim-${run}`);
      await visitor.page.waitForURL(/\/incidents$/);
      expect(await visitor.page.locator('.who .role').textContent()).toBe('admin');
    } finally {
      await visitor.context.close();
    }
  });
});
