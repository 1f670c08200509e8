import type { Browser } from 'playwright-core';
import { startTestApp, TestApp } from '../support/app';
import { rest } from '../support/client';
import { seedOrg } from '../support/seed';
import { launch, screenshot, seriousViolations, signedIn } from './browser';

describe('console: on call, roles and tenancy', () => {
  let t: TestApp;
  /** A small request budget per user, for the RATE_LIMITED case. */
  let limited: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    [t, limited, browser] = await Promise.all([
      startTestApp(),
      startTestApp({ ARGUS_RATE_LIMIT_PER_USER: '12', ARGUS_RATE_LIMIT_WINDOW_SECONDS: '600' }),
      launch(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([t?.close(), limited?.close()]);
  });

  it('shows who is on call now on each schedule and the next handoff, in the viewer’s time zone', async () => {
    const org = await seedOrg(t.url);
    const me = (await rest(t.url, 'GET', '/auth/me', { token: org.owner.token })).body;
    const responder = await org.user('responder');
    const schedule = await org.onCallSchedule({
      name: 'Payments primary',
      rotations: [
        {
          name: 'Primary',
          participant_ids: [org.owner.id, responder.id],
          start_at: '2026-01-05T08:00:00Z',
          length_hours: 24,
          handoff_time: '09:00',
        },
      ],
    });
    const now = (await rest(t.url, 'GET', `/on-call-schedules/${schedule.id}/on-call`, { token: org.owner.token }))
      .body;
    const names: Record<string, string> = { [org.owner.id]: me.name, [responder.id]: 'A responder' };
    const { page } = await signedIn(browser, t.url, org.owner);
    try {
      await page.goto('/on-call');
      const card = page.locator('.schedule', { hasText: 'Payments primary' });
      await card.locator('.on-call-now').waitFor();
      expect(await card.locator('.on-call-now').textContent()).toBe(names[now.user_ids[0]]);
      expect(await page.getByText('Times are in your time zone, Europe/Berlin.').count()).toBe(1);
      // The handoff in the browser's zone (Europe/Berlin): 09:00 wall time of the schedule's zone.
      await card.locator('dd', { hasText: /09:00.*to A responder|09:00.*to Owner/ }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'on-call');
    } finally {
      await page.context().close();
    }
  });

  it('shows a viewer no write controls', async () => {
    const org = await seedOrg(t.url);
    const viewer = await org.user('viewer');
    const service = await org.service({ name: 'Checkout' });
    const problem = await org.problem({ title: 'Connection pool exhaustion', service_id: service.id });
    const change = await org.changeRequest({ title: 'Raise the pool size', service_id: service.id });
    const incident = await org.incident({
      title: 'Read-only for viewers',
      severity: 'P2',
      service_id: service.id,
      problem_id: problem.key,
    });
    await rest(t.url, 'PATCH', `/incidents/${incident.key}`, { token: org.owner.token, body: { status: 'resolved' } });
    const { page } = await signedIn(browser, t.url, viewer);
    try {
      await page.goto('/incidents');
      await page.getByRole('link', { name: incident.title }).click();
      await page.getByRole('heading', { name: incident.title }).waitFor();
      await page.getByRole('heading', { name: 'Timeline' }).waitFor();
      await page.getByRole('heading', { name: 'Similar incidents' }).waitFor();
      expect(await page.getByRole('button').allTextContents()).toEqual(['Sign out']);
      expect(await page.getByRole('textbox').count()).toBe(0);
      expect(await page.getByRole('combobox').count()).toBe(0);
      expect(await page.getByRole('link', { name: 'Declare incident' }).count()).toBe(0);
      expect(await page.getByText('No postmortem yet.').count()).toBe(1);
      // The linked problem and the service's recent changes.
      await page.locator('.facts dd', { hasText: `${problem.key} Connection pool exhaustion` }).waitFor();
      await page
        .locator('section', { has: page.getByRole('heading', { name: 'Recent changes on this service' }) })
        .getByText(`${change.key} Raise the pool size`)
        .waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await page.goto('/incidents/new');
      await page.getByText('Your role can read incidents but not declare them.').waitFor();
      expect(await page.getByRole('button', { name: 'Declare incident' }).count()).toBe(0);
    } finally {
      await page.context().close();
    }
  });

  it('answers another organization’s incident, and a made-up one, with “not found”', async () => {
    const mine = await seedOrg(t.url);
    const theirs = await seedOrg(t.url);
    await mine.incident({ title: 'Mine' });
    const other = await theirs.incident({ title: 'Theirs, secret' });
    const { page } = await signedIn(browser, t.url, mine.owner);
    try {
      await page.goto(`/incidents/${other.id}`);
      await page.getByRole('heading', { name: 'Not found' }).waitFor();
      expect(await page.getByText('Theirs, secret').count()).toBe(0);
      expect(await seriousViolations(page)).toEqual([]);
      await page.goto('/incidents/INC-999');
      await page.getByRole('heading', { name: 'Not found' }).waitFor();
      await page.goto('/no/such/page');
      await page.getByRole('heading', { name: 'Not found' }).waitFor();
    } finally {
      await page.context().close();
    }
  });

  it('shows CONFLICT beside the move the API refused', async () => {
    const org = await seedOrg(t.url);
    const incident = await org.incident({ title: 'Moved on by someone else', severity: 'P3' });
    const { page } = await signedIn(browser, t.url, org.owner);
    try {
      await page.goto(`/incidents/${incident.key}`);
      const moves = page.getByRole('group', { name: 'Move to' });
      await moves.getByRole('button', { name: 'Acknowledge' }).waitFor();
      // Someone else closes it meanwhile: this page still offers Acknowledge, and the API refuses it.
      expect(
        (
          await rest(t.url, 'PATCH', `/incidents/${incident.key}`, {
            token: org.owner.token,
            body: { status: 'closed' },
          })
        ).status,
      ).toBe(200);
      await moves.getByRole('button', { name: 'Acknowledge' }).click();
      const alert = page.locator('section', { has: page.getByRole('heading', { name: 'Move to' }) }).getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toMatch(/closed|transition|cannot/i);
    } finally {
      await page.context().close();
    }
  });

  it('shows RATE_LIMITED with its wait, keeping what was typed', async () => {
    const other = await seedOrg(limited.url);
    const { page: form } = await signedIn(browser, limited.url, other.owner);
    try {
      await form.goto('/incidents/new');
      await form.getByLabel('Description').fill('Kept through every refusal');
      await form.getByLabel('Title').fill('x'.repeat(301));
      const alert = form.getByRole('alert');
      const shown = async () => ((await alert.count()) ? ((await alert.textContent()) ?? '') : '');
      for (let i = 0; i < 20 && !/Too many requests/.test(await shown()); i++) {
        await form.getByRole('button', { name: 'Declare incident' }).last().click();
        await alert.waitFor();
      }
      expect(await alert.textContent()).toMatch(/^Too many requests: try again in \d+ s\.$/);
      expect(await form.getByLabel('Description').inputValue()).toBe('Kept through every refusal');
      expect(await form.getByLabel('Title').inputValue()).toHaveLength(301);
    } finally {
      await form.context().close();
    }
  });

  it('serves the console at / with the API unchanged: SPA fallback, cache headers, precompressed files', async () => {
    const html = await fetch(`${t.url}/incidents/INC-3`, {
      headers: { accept: 'text/html', 'accept-encoding': 'br, gzip' },
    });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.headers.get('cache-control')).toBe('no-cache');
    const page = await html.text();
    const script = /src="(\/assets\/index-[^"]+\.js)"/.exec(page)?.[1];
    expect(script).toBeDefined();
    for (const [encoding, expected] of [
      ['br', 'br'],
      ['gzip', 'gzip'],
      ['identity', null],
    ] as const) {
      const asset = await fetch(`${t.url}${script}`, { headers: { 'accept-encoding': encoding } });
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toMatch(/javascript/);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(asset.headers.get('content-encoding')).toBe(expected);
      expect(asset.headers.get('vary')).toBe('Accept-Encoding');
      expect((await asset.text()).length).toBeGreaterThan(1000);
    }
    // API clients keep their answers.
    expect(await (await fetch(`${t.url}/`, { headers: { accept: 'application/json' } })).json()).toMatchObject({
      graphql: '/graphql',
    });
    expect(await (await fetch(`${t.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${t.url}/api/v1/incidents`)).status).toBe(401);
    expect((await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } })).headers.get('content-type')).toMatch(
      /^text\/html/,
    );
    expect((await fetch(`${t.url}/api/v1/nothing-here`, { headers: { accept: 'text/html' } })).status).toBe(404);
    expect((await fetch(`${t.url}/assets/missing.js`)).status).toBe(404);
  });
});
