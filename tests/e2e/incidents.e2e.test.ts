import type { Browser, Page } from 'playwright-core';
import { startTestApp, TestApp } from '../support/app';
import { rest } from '../support/client';
import { seedOrg, SeedOrg } from '../support/seed';
import { launch, PHONE, screenshot, seriousViolations, signedIn } from './browser';

describe('console: incidents', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp(), launch()]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function open(org: SeedOrg, path: string, viewport?: { width: number; height: number }): Promise<Page> {
    const { page } = await signedIn(browser, t.url, org.owner, viewport);
    await page.goto(path);
    return page;
  }
  const status = (page: Page) => page.getByRole('status').filter({ hasText: /^Showing/ });
  const text = async (page: Page, selector: string) => (await page.locator(selector).first().textContent()) ?? '';

  it('lists incidents with filters held in the URL (shareable, back button), plain-English search and load more', async () => {
    const org = await seedOrg(t.url);
    const payments = await org.service({ name: 'Payments API' });
    for (let i = 1; i <= 26; i++) await org.incident({ title: `Background job slow ${i}`, severity: 'P3' });
    const p1 = await org.incident({ title: 'Checkout payments failing', severity: 'P1', service_id: payments.id });
    const page = await open(org, '/incidents');
    try {
      await status(page).filter({ hasText: 'Showing 25 of 27 incidents' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'incidents');
      await page.getByRole('button', { name: 'Load more' }).click();
      await status(page).filter({ hasText: 'Showing 27 of 27 incidents' }).waitFor();
      expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);

      // The boxes follow the URL, which the router changes in a transition: a click, then the URL is awaited (check()
      // would read the box before it renders the new URL, and can find it unchanged).
      await page.getByRole('checkbox', { name: 'P1' }).click();
      await page.waitForURL(/\?severity=P1$/);
      await status(page).filter({ hasText: 'Showing 1 of 1 incidents' }).waitFor();
      await page.getByRole('link', { name: 'Checkout payments failing' }).waitFor();
      await page.getByLabel('Service').selectOption(payments.id);
      await page.waitForURL(new RegExp(`severity=P1&service=${payments.id}$`));
      await page.getByRole('checkbox', { name: 'Resolved' }).click();
      await page.waitForURL(/status=resolved/);
      await page.getByText('No incidents match these filters.').waitFor();

      // Back: the previous filters, and their results.
      await page.goBack();
      await page.waitForURL(new RegExp(`\\?severity=P1&service=${payments.id}$`));
      await status(page).filter({ hasText: 'Showing 1 of 1 incidents' }).waitFor();
      expect(await page.getByRole('checkbox', { name: 'Resolved' }).isChecked()).toBe(false);
      await page.goBack();
      await page.goBack();
      await page.waitForURL(/\/incidents$/);
      await status(page).filter({ hasText: 'Showing 25 of 27 incidents' }).waitFor();

      // A shared link opens with its filters set.
      await page.goto(`/incidents?severity=P3&sort=created_at`);
      expect(await page.getByRole('checkbox', { name: 'P3' }).isChecked()).toBe(true);
      expect(await page.getByLabel('Sort').inputValue()).toBe('created_at');
      await status(page).filter({ hasText: 'of 26 incidents' }).waitFor();
      expect(await text(page, 'tbody tr .title-cell a')).toBe('Background job slow 1');

      await page.getByLabel('Search').fill('P1 checkout');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.waitForURL(/q=P1\+checkout/);
      await page.locator('.chip', { hasText: 'severity: P1' }).waitFor();
      await page.getByRole('link', { name: p1.title }).waitFor();
      await status(page).filter({ hasText: 'Showing 1 of 1 matching incidents' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await page.context().close();
    }
  });

  it('filters by team, assignee and creation date through the controls, each answered by the API', async () => {
    const org = await seedOrg(t.url);
    const responder = await org.user('responder');
    const team = await org.team({ name: 'Storage team' });
    const teamOnly = await org.incident({ title: 'Disk pressure on storage nodes', team_id: team.id });
    const assigned = await org.incident({ title: 'Replica lag after failover', assignee_id: responder.id });
    await org.incident({ title: 'Slow dashboard loads' });
    // The day the browser (Europe/Berlin) calls today, and its neighbours.
    const day = (offsetDays: number) =>
      new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(
        new Date(Date.now() + offsetDays * 86_400_000),
      );
    const page = await open(org, '/incidents');
    try {
      await status(page).filter({ hasText: 'Showing 3 of 3 incidents' }).waitFor();
      await page.getByLabel('Team').selectOption(team.id);
      await page.waitForURL(new RegExp(`\\?team=${team.id}$`));
      await status(page).filter({ hasText: 'Showing 1 of 1 incidents' }).waitFor();
      expect(await page.locator('tbody tr .title-cell a').allTextContents()).toEqual([teamOnly.title]);

      await page.getByLabel('Team').selectOption('');
      await page.getByLabel('Assignee').selectOption(responder.id);
      await page.waitForURL(new RegExp(`\\?assignee=${responder.id}$`));
      await status(page).filter({ hasText: 'Showing 1 of 1 incidents' }).waitFor();
      expect(await page.locator('tbody tr .title-cell a').allTextContents()).toEqual([assigned.title]);
      await page.getByLabel('Assignee').selectOption('');
      await status(page).filter({ hasText: 'Showing 3 of 3 incidents' }).waitFor();

      // Creation dates are whole local days, both ends inclusive.
      await page.getByLabel('Created from').fill(day(1));
      await page.waitForURL(new RegExp(`\\?from=${day(1)}$`));
      await page.getByText('No incidents match these filters.').waitFor();
      await page.getByLabel('Created from').fill(day(0));
      await page.getByLabel('Created until').fill(day(0));
      await page.waitForURL(new RegExp(`\\?from=${day(0)}&to=${day(0)}$`));
      await status(page).filter({ hasText: 'Showing 3 of 3 incidents' }).waitFor();
      await page.getByLabel('Created until').fill(day(-1));
      await page.getByText('No incidents match these filters.').waitFor();
      await page.getByRole('button', { name: 'Clear filters' }).click();
      await page.waitForURL(/\/incidents$/);
      await status(page).filter({ hasText: 'Showing 3 of 3 incidents' }).waitFor();
    } finally {
      await page.context().close();
    }
  });

  it('declares an incident with a live classification preview, a possible-duplicate warning and the API’s field errors', async () => {
    const org = await seedOrg(t.url);
    const existing = await org.incident({ title: 'Checkout payments failing with 502 errors', severity: 'P1' });
    const over = await org.incident({ title: 'Checkout payments failing with 502 errors again', severity: 'P2' });
    expect(
      (await rest(t.url, 'PATCH', `/incidents/${over.id}`, { token: org.owner.token, body: { status: 'resolved' } }))
        .status,
    ).toBe(200);
    const page = await open(org, '/incidents/new');
    try {
      await page.getByLabel('Title').fill('Checkout payments failing for all customers');
      await page.getByLabel('Description').fill('Every card payment returns 502 since the deploy; revenue impact.');
      await page.getByTestId('preview-confidence').waitFor();
      expect(await text(page, '[data-testid=preview-confidence]')).toMatch(/^\d+% confident$/);
      expect((await text(page, '.preview .reasoning')).length).toBeGreaterThan(10);
      const warning = page.getByRole('note', { name: 'Possible duplicates' });
      await warning.getByRole('link', { name: new RegExp(existing.key) }).waitFor();
      // The similar-incident ranking of the draft, active incidents only: the resolved one is not offered.
      expect(await warning.locator('li').count()).toBe(1);
      expect(await warning.locator('li').textContent()).toMatch(/started within the day, match \d+%/);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'declare');

      // The API refuses a 301-character title: the message is beside the field, and nothing typed is lost.
      await page.getByLabel('Title').fill('x'.repeat(301));
      await page.getByRole('button', { name: 'Declare incident' }).last().click();
      const titleError = page.locator('.field:has(label:text-is("Title")) .field-error');
      await titleError.waitFor();
      expect(await titleError.textContent()).toMatch(/300|length|long/i);
      expect(await page.getByLabel('Description').inputValue()).toMatch(/^Every card payment/);

      await page.getByLabel('Title').fill('Checkout payments failing for all customers');
      await page.getByLabel('Severity').selectOption('P1');
      await page.getByRole('button', { name: 'Declare incident' }).last().click();
      await page.waitForURL(/\/incidents\/INC-3$/);
      await page.getByRole('heading', { name: 'Checkout payments failing for all customers' }).waitFor();
    } finally {
      await page.context().close();
    }
  });

  it('works an incident: only valid moves, assign, severity with a reason, comments, timeline, SLA countdown, similar incidents', async () => {
    const org = await seedOrg(t.url);
    const me = (await rest(t.url, 'GET', '/auth/me', { token: org.owner.token })).body;
    await org.slaPolicy({ severity: 'P1', response_minutes: 15, resolution_minutes: 240 });
    const team = await org.team({ name: 'Git infrastructure', member_ids: [org.owner.id] });
    await org.escalationPolicy({
      name: 'Git paging',
      team_id: team.id,
      levels: [
        { delay_minutes: 5, target_ids: [org.owner.id] },
        { delay_minutes: 30, target_ids: [org.owner.id] },
      ],
    });
    const first = await org.incident({
      title: 'Git pushes failing with 500 errors',
      description: 'HTTPS pushes return 500 for some repositories',
      severity: 'P1',
    });
    const incident = await org.incident({
      title: 'Git push operations failing with errors',
      description: 'Pushes over HTTPS return 500 errors',
      severity: 'P1',
      team_id: team.id,
    });
    const page = await open(org, `/incidents/${incident.key}`);
    try {
      await page.getByRole('heading', { name: incident.title }).waitFor();
      const moves = page.getByRole('group', { name: 'Move to' });
      expect(await moves.getByRole('button').allTextContents()).toEqual([
        'Acknowledge',
        'Investigating',
        'Mitigated',
        'Resolve',
        'Close',
      ]);

      const response = page.locator('.sla', { hasText: 'Response' });
      expect(await response.textContent()).toMatch(/Due in 1[45] min/);
      const before = await response.textContent();
      await page.waitForTimeout(1100);
      expect(await response.textContent()).not.toBe(before);

      const similar = page.locator('.similar li', { hasText: first.key });
      await similar.waitFor();
      expect(await similar.textContent()).toMatch(/score 0\.\d\d/);
      expect(await similar.textContent()).toContain('Possible duplicate');
      // The escalation plan of the team's policy: who is paged at each level, until someone acknowledges.
      const plan = page.locator('section', { has: page.getByRole('heading', { name: 'Escalation: Git paging' }) });
      expect(await plan.locator('li').allTextContents()).toEqual([
        expect.stringMatching(new RegExp(`^Level 1 at .*: ${me.name}$`)),
        expect.stringMatching(new RegExp(`^Level 2 at .*: ${me.name}$`)),
      ]);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'incident');

      await moves.getByRole('button', { name: 'Acknowledge' }).click();
      await page.locator('.incident-head .status-acknowledged').waitFor();
      expect(await moves.getByRole('button').allTextContents()).toEqual([
        'Investigating',
        'Mitigated',
        'Resolve',
        'Close',
      ]);
      await response.filter({ hasText: 'Met at' }).waitFor();
      await plan.getByText(/Stopped escalating/).waitFor();
      expect(await plan.locator('li', { hasText: 'Level 2' }).textContent()).toMatch(/not sent$/);

      await page.getByLabel('Assignee').selectOption(me.id);
      await page.getByRole('button', { name: 'Assign' }).click();
      await page.locator('.facts dd', { hasText: me.name }).waitFor();
      await page.locator('.timeline li', { hasText: 'assigned' }).first().waitFor();

      await page.getByLabel('Severity').selectOption('P2');
      await page.getByRole('button', { name: 'Change severity' }).click();
      await page.locator('.field:has(label:text-is("Reason")) .field-error').waitFor();
      await page.getByLabel('Reason').fill('Only some repositories are affected');
      await page.getByRole('button', { name: 'Change severity' }).click();
      await page.locator('.incident-head .sev-p2').waitFor();
      await page
        .locator('.timeline li', { hasText: 'Severity P1 → P2: Only some repositories are affected' })
        .waitFor();

      await page.getByLabel('Comment').fill('Rolled back the deploy');
      await page.getByRole('button', { name: 'Add comment' }).click();
      await page.locator('.timeline li', { hasText: 'Rolled back the deploy' }).waitFor();
      expect(await page.getByLabel('Comment').inputValue()).toBe('');

      await moves.getByRole('button', { name: 'Resolve' }).click();
      await page.locator('.incident-head .status-resolved').waitFor();
      expect(await moves.getByRole('button').allTextContents()).toEqual(['Reopen', 'Close']);
      await page.locator('.timeline li', { hasText: 'status changed' }).first().waitFor();
    } finally {
      await page.context().close();
    }
  });

  it('drafts a postmortem, edits every section, saves, and moves it through review to published', async () => {
    const org = await seedOrg(t.url);
    const me = (await rest(t.url, 'GET', '/auth/me', { token: org.owner.token })).body;
    const incident = await org.incident({ title: 'Search index stale', severity: 'P2' });
    expect(
      (
        await rest(t.url, 'PATCH', `/incidents/${incident.key}`, {
          token: org.owner.token,
          body: { status: 'resolved' },
        })
      ).status,
    ).toBe(200);
    const page = await open(org, `/incidents/${incident.key}`);
    try {
      await page.getByRole('button', { name: 'Generate postmortem draft' }).click();
      await page.waitForURL(new RegExp(`/incidents/${incident.key}/postmortem$`));
      await page.getByRole('heading', { name: 'Postmortem' }).waitFor();
      await page.getByLabel('Root cause').fill('The indexer crashed on a malformed document and nobody was paged.');
      await page.getByLabel('Impact').fill('Search results were up to 3 hours old.');
      await page.getByRole('button', { name: 'Add timeline entry' }).click();
      await page
        .getByLabel(/^What happened \d+$/)
        .last()
        .fill('Indexer restarted');
      await page.getByRole('button', { name: 'Add contributing factor' }).click();
      await page
        .getByLabel(/^Factor \d+$/)
        .last()
        .fill('No alert on indexer lag');
      await page.getByRole('button', { name: 'Add action item' }).click();
      await page
        .getByLabel(/^Action \d+$/)
        .last()
        .fill('Alert when indexer lag exceeds 10 minutes');
      await page
        .getByLabel(/^Owner of action \d+$/)
        .last()
        .selectOption(me.id);
      await page
        .getByLabel(/^Due date of action \d+$/)
        .last()
        .fill('2027-01-15');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'postmortem');

      await page.reload();
      expect(await page.getByLabel('Root cause').inputValue()).toMatch(/^The indexer crashed/);
      expect(
        await page
          .getByLabel(/^Factor \d+$/)
          .last()
          .inputValue(),
      ).toBe('No alert on indexer lag');
      expect(
        await page
          .getByLabel(/^Action \d+$/)
          .last()
          .inputValue(),
      ).toBe('Alert when indexer lag exceeds 10 minutes');
      // The owner list arrives with the organization's people, after the postmortem itself.
      const owner = page.getByLabel(/^Owner of action \d+$/).last();
      await owner.locator(`option[value="${me.id}"]`).waitFor({ state: 'attached' });
      expect(await owner.inputValue()).toBe(me.id);
      expect(
        await page
          .getByLabel(/^Due date of action \d+$/)
          .last()
          .inputValue(),
      ).toBe('2027-01-15');
      expect(
        await page
          .getByLabel(/^What happened \d+$/)
          .last()
          .inputValue(),
      ).toBe('Indexer restarted');

      await page.getByRole('button', { name: 'Submit for review' }).click();
      await page.locator('.postmortem .status-in_review').waitFor();
      await page.getByRole('button', { name: 'Publish' }).click();
      await page.locator('.postmortem .status-published').waitFor();
      expect(await page.getByLabel('Root cause').isDisabled()).toBe(true);
      expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0);
      const stored = await rest(t.url, 'GET', `/postmortems?incident_id=${incident.key}`, { token: org.owner.token });
      expect(stored.body.items[0]).toMatchObject({
        status: 'published',
        root_cause: 'The indexer crashed on a malformed document and nobody was paged.',
      });
    } finally {
      await page.context().close();
    }
  });

  it('fits a 390 px phone: no sideways scrolling, keyboard reaches the skip link first', async () => {
    const org = await seedOrg(t.url);
    const incident = await org.incident({ title: 'Phone-sized incident page', severity: 'P2' });
    const page = await open(org, `/incidents/${incident.key}`, PHONE);
    try {
      await page.getByRole('heading', { name: incident.title }).waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
      await screenshot(page, 'incident-phone');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
      await page.goto('/incidents');
      await page.getByRole('link', { name: incident.title }).waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    } finally {
      await page.context().close();
    }
  });
});
