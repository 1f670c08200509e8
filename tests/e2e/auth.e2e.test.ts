import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { generate } from 'otplib';
import { startTestApp, TestApp } from '../support/app';
import { gqlRaw, rest } from '../support/client';
import { PASSWORD, seedOrg } from '../support/seed';
import { anonymous, launch, PHONE, screenshot, seriousViolations, signedIn } from './browser';

describe('console: signing up, in and out', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    // A short access-token lifetime, so that the console's refresh is what keeps a session going.
    [t, browser] = await Promise.all([startTestApp({ ARGUS_ACCESS_TOKEN_TTL_SECONDS: '60' }), launch()]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('signs up a new organization, signs out, and signs back in with Email and Password', async () => {
    const { context, page } = await anonymous(browser, t.url);
    try {
      await page.goto('/incidents');
      await page.waitForURL(/\/sign-in\?next=%2Fincidents$/);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'sign-in');
      await page.getByRole('link', { name: 'Create an organization' }).click();
      const email = `ui-${randomUUID().slice(0, 8)}@example.test`;
      // The API's own validation, shown beside the field, with nothing typed lost.
      await page.getByLabel('Your name').fill('Robin Responder');
      await page.getByLabel('Email', { exact: true }).fill(email);
      await page.getByLabel('Password').fill('short');
      await page.getByLabel('Organization').fill('Robin Co');
      await page.getByRole('button', { name: 'Create organization' }).click();
      await page.locator('.field-error').first().waitFor();
      expect(await page.locator('.field-error').allTextContents()).toEqual([expect.stringMatching(/10/)]);
      expect(await page.getByLabel('Email', { exact: true }).inputValue()).toBe(email);
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Create organization' }).click();
      await page.waitForURL(/\/incidents$/);
      await page.getByRole('heading', { name: 'Incidents' }).waitFor();
      expect(await page.locator('.who').textContent()).toContain('Robin Responder');

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(/\/sign-in$/);
      // Signed out for real: the refresh token was revoked, and a protected page sends back to sign-in.
      await page.goto('/on-call');
      await page.waitForURL(/\/sign-in\?next=%2Fon-call$/);

      await page.getByLabel('Email', { exact: true }).fill(email);
      await page.getByLabel('Password').fill('not the password at all');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').textContent()).toMatch(/invalid|incorrect|credentials/i);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL(/\/on-call$/);
      await page.getByRole('heading', { name: 'On call now' }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('asks for the authenticator code when MFA is on', async () => {
    const org = await seedOrg(t.url);
    const enrolled = await gqlRaw(
      t.url,
      { query: `mutation($p: String!) { enrollMfa(input: { password: $p }) { secret } }`, variables: { p: PASSWORD } },
      org.owner.token,
    );
    const secret = enrolled.data.enrollMfa.secret as string;
    const confirmed = await gqlRaw(
      t.url,
      {
        query: `mutation($c: String!) { confirmMfa(input: { code: $c }) { recoveryCodes } }`,
        variables: { c: await generate({ secret }) },
      },
      org.owner.token,
    );
    expect(confirmed.errors).toBeUndefined();
    const { context, page } = await anonymous(browser, t.url, PHONE);
    try {
      await page.goto('/sign-in');
      await page.getByLabel('Email', { exact: true }).fill(org.owner.email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      const code = page.getByLabel('Authentication code');
      await code.waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await code.fill('000000');
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.locator('.field-error').waitFor();
      // The next time step's code (the current one confirmed the enrolment, and a code is accepted once).
      await code.fill(await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.waitForURL(/\/incidents$/);
    } finally {
      await context.close();
    }
  });

  it('accepts an invitation and joins the organization with the invited role', async () => {
    const org = await seedOrg(t.url);
    const email = `invited-${randomUUID().slice(0, 8)}@example.test`;
    const invited = await rest(t.url, 'POST', '/users', {
      token: org.owner.token,
      body: { email, name: 'Ivy Invited', role: 'responder' },
    });
    expect(invited.status).toBe(201);
    const { context, page } = await anonymous(browser, t.url);
    try {
      await page.goto(`/accept-invitation?token=${encodeURIComponent(invited.body.invitation_token)}`);
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByLabel('Choose a password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Accept invitation' }).click();
      await page.waitForURL(/\/incidents$/);
      expect(await page.locator('.who').textContent()).toContain('Ivy Invited');
      expect(await page.locator('.role').textContent()).toBe('responder');
      // The token is single-use.
      const again = await rest(t.url, 'POST', '/auth/accept-invitation', {
        body: { invitation_token: invited.body.invitation_token, password: PASSWORD },
      });
      expect(again.status).toBeGreaterThanOrEqual(400);
    } finally {
      await context.close();
    }
  });

  it('refreshes the short-lived access token without the user noticing, and a revoked session lands on sign-in', async () => {
    const org = await seedOrg(t.url);
    const login = await rest(t.url, 'POST', '/auth/login', { body: { email: org.owner.email, password: PASSWORD } });
    expect(login.body.expires_in).toBe(60);
    await org.incident({ title: 'Refresh keeps me here' });
    const { context, page } = await signedIn(
      browser,
      t.url,
      { token: login.body.access_token, refreshToken: login.body.refresh_token },
      undefined,
      login.body.expires_in,
    );
    try {
      await page.clock.install();
      await page.goto('/incidents');
      await page.getByRole('link', { name: 'Refresh keeps me here' }).waitFor();
      const stored = () =>
        page.evaluate(
          () =>
            JSON.parse(localStorage.getItem('argus.session') ?? 'null') as {
              accessToken: string;
              refreshToken: string;
              expiresAt: number;
            } | null,
        );
      const first = (await stored())!;

      // Near the end of the 60 s lifetime the console trades the refresh token for a new pair before its next request.
      const refreshed = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/refresh') && r.status() === 200);
      await page.clock.fastForward('00:40');
      await page.getByRole('link', { name: 'On call' }).click();
      await refreshed;
      await page.getByRole('heading', { name: 'On call now' }).waitFor();
      const second = (await stored())!;
      expect(second.refreshToken).not.toBe(first.refreshToken);

      // An access token the API refuses (expired, or forged): refreshed and the request repeated, once.
      await page.evaluate(() => {
        const s = JSON.parse(localStorage.getItem('argus.session')!);
        localStorage.setItem('argus.session', JSON.stringify({ ...s, accessToken: 'not-a-token' }));
      });
      const again = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/refresh') && r.status() === 200);
      const repeated = page.waitForResponse(
        (r) =>
          r.url().endsWith('/graphql') &&
          (r.request().postData() ?? '').includes('query IncidentList') &&
          r.request().headers().authorization !== 'Bearer not-a-token',
      );
      await page.getByRole('link', { name: 'Incidents', exact: true }).click();
      await again;
      expect(await (await repeated).json()).toMatchObject({ data: { incidents: { total: 1 } } });
      await page.getByRole('link', { name: 'Refresh keeps me here' }).waitFor();
      const third = (await stored())!;
      expect(third.accessToken).not.toBe('not-a-token');
      expect(third.refreshToken).not.toBe(second.refreshToken);

      // The session revoked elsewhere (sign-out on another device revokes the token family): back to sign-in.
      expect((await rest(t.url, 'POST', '/auth/logout', { body: { refresh_token: third.refreshToken } })).status).toBe(
        204,
      );
      await page.evaluate(() => {
        const s = JSON.parse(localStorage.getItem('argus.session')!);
        localStorage.setItem('argus.session', JSON.stringify({ ...s, accessToken: 'revoked' }));
      });
      await page.getByRole('link', { name: 'On call' }).click();
      await page.waitForURL(/\/sign-in/);
      expect(await stored()).toBeNull();
    } finally {
      await context.close();
    }
  });
});
