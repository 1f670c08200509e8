import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, TestApp } from '../support/app';
import { rest } from '../support/client';
import { seedOrg, SeedOrg } from '../support/seed';
import { launch, screenshot, seriousViolations, signedIn } from './browser';

const DAY = 86_400_000;
const ago = (days: number, hours = 0) => new Date(Date.now() - days * DAY - hours * 3_600_000).toISOString();

/**
 * A history through the API: incidents started 2 to 20 days ago in two services and a team, some acknowledged and
 * resolved, a P1 SLA policy and a schedule with the owner on call. The page must show what the API answers.
 */
async function history(t: TestApp): Promise<{ org: SeedOrg; checkout: any; search: any; team: any }> {
  const org = await seedOrg(t.url);
  const token = org.owner.token;
  const checkout = await org.service({ name: 'Checkout' });
  const search = await org.service({ name: 'Search' });
  const team = await org.team({ name: 'Payments' });
  await org.slaPolicy({ severity: 'P1', response_minutes: 15, resolution_minutes: 240 });
  await org.onCallSchedule({ name: 'Primary' });
  const move = async (id: string, status: string) => {
    const res = await rest(t.url, 'PATCH', `/incidents/${id}`, { token, body: { status } });
    if (res.status !== 200) throw new Error(`patch failed: ${res.status} ${JSON.stringify(res.body)}`);
  };
  const specs = [
    {
      severity: 'P1',
      service_id: checkout.id,
      team_id: team.id,
      started_at: ago(2, 3),
      moves: ['acknowledged', 'resolved'],
    },
    { severity: 'P2', service_id: checkout.id, team_id: team.id, started_at: ago(3), moves: ['acknowledged'] },
    { severity: 'P1', service_id: search.id, started_at: ago(12, 5), moves: ['acknowledged', 'mitigated', 'resolved'] },
    { severity: 'P3', service_id: search.id, started_at: ago(20), moves: ['resolved'] },
    { severity: 'P4', started_at: ago(25), moves: [] },
  ];
  for (const [i, { moves, ...body }] of specs.entries()) {
    const incident = await org.incident({ title: `Analytics history ${i + 1}`, ...body });
    for (const status of moves) await move(incident.id, status);
  }
  return { org, checkout, search, team };
}

describe('console: analytics', () => {
  let t: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp(), launch()]);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const card = (page: Page, label: string) =>
    page.locator('.kpi', { has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('dd');
  const seconds = async (page: Page, label: string) =>
    (await card(page, label).locator('data').getAttribute('value')) ?? null;
  const row = (page: Page, table: string, key: string) =>
    page
      .locator(`table.figures`, { has: page.locator('caption', { hasText: table }) })
      .locator(`tr[data-key="${key}"]`);
  const cells = async (page: Page, table: string, key: string) =>
    (await row(page, table, key).locator('td').allTextContents()).map((s) => s.trim());

  it('shows the figures, trends, tables, on-call load and definitions that the API answers, and downloads them as CSV', async () => {
    const { org, checkout, search, team } = await history(t);
    const token = org.owner.token;
    const { page } = await signedIn(browser, t.url, org.owner);
    try {
      await page.goto('/analytics');
      await page.getByRole('heading', { name: 'Headline figures' }).waitFor();

      // The page's own window, read off the CSV request it makes: every figure below is asked of the API for it.
      const [request, download] = await Promise.all([
        page.waitForRequest(/\/api\/v1\/analytics\/incidents\?/),
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download CSV by service' }).click(),
      ]);
      const url = new URL(request.url());
      const from = url.searchParams.get('from')!;
      const to = url.searchParams.get('to')!;
      expect(url.searchParams.get('time_zone')).toBe('Europe/Berlin');
      expect(Date.parse(to) - Date.parse(from)).toBe(30 * DAY);
      const windowQuery = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&time_zone=Europe%2FBerlin`;
      const api = async (query: string) => {
        const res = await rest(t.url, 'GET', `/analytics/incidents?${windowQuery}${query}`, { token });
        expect(res.status).toBe(200);
        return res.body;
      };

      const csv = await readFile((await download.path())!, 'utf8');
      const csvAnswer = await fetch(`${t.url}/api/v1/analytics/incidents?${windowQuery}&group_by=service&format=csv`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(download.suggestedFilename()).toBe('incidents-by-service-30d.csv');
      expect(csv).toBe(await csvAnswer.text());
      expect(csv.split('\n')[0]).toMatch(/^key,opened,resolved,reopened,still_open,time_to_acknowledge_count/);

      const overall = (await api('')).groups[0];
      expect(overall.opened).toBe(5);
      expect(await card(page, 'Opened').textContent()).toBe(String(overall.opened));
      expect(await card(page, 'Resolved').textContent()).toBe(String(overall.resolved));
      expect(await card(page, 'Still open').textContent()).toBe(String(overall.still_open));
      expect(await seconds(page, 'Median time to resolve')).toBe(String(overall.time_to_resolve.median_seconds));
      expect(await seconds(page, 'P90 time to acknowledge')).toBe(String(overall.time_to_acknowledge.p90_seconds));
      expect(await seconds(page, 'Median time to mitigate')).toBe(String(overall.time_to_mitigate.median_seconds));
      expect(await card(page, 'Median time to acknowledge').textContent()).toContain(
        `of ${overall.time_to_acknowledge.count}`,
      );
      expect(await card(page, 'Response SLA breached').textContent()).toBe(
        `${Math.round(overall.sla_response_breach_rate * 100)}%`,
      );
      expect(await card(page, 'Postmortem coverage').textContent()).toBe(
        `${Math.round(overall.postmortem_coverage * 100)}%`,
      );

      const byService = (await api('&group_by=service')).groups;
      for (const [key, name] of [
        [checkout.id, 'Checkout'],
        [search.id, 'Search'],
      ]) {
        const g = byService.find((x: any) => x.key === key);
        expect(await row(page, 'by service', key).locator('th').textContent()).toBe(name);
        expect((await cells(page, 'by service', key)).slice(0, 4)).toEqual(
          [g.opened, g.resolved, g.still_open, g.reopened].map(String),
        );
        expect(await row(page, 'by service', key).locator('td data').nth(1).getAttribute('value')).toBe(
          g.time_to_resolve.median_seconds == null ? null : String(g.time_to_resolve.median_seconds),
        );
      }
      const teamGroup = (await api('&group_by=team')).groups.find((x: any) => x.key === team.id);
      expect((await cells(page, 'by team', team.id)).slice(0, 3)).toEqual(
        [teamGroup.opened, teamGroup.resolved, teamGroup.still_open].map(String),
      );

      // Weekly trend of time to resolve by severity: the figures under the chart are the API's week buckets.
      const weeksP1 = (await api('&group_by=week&severity=P1')).groups;
      const resolveTable = page.locator('figure', { hasText: 'Time to resolve (median)' }).locator('table');
      expect(await resolveTable.locator('tbody tr th').allTextContents()).toEqual(weeksP1.map((g: any) => g.key));
      const p1Values = await resolveTable
        .locator('tbody tr')
        .evaluateAll((rows) =>
          rows.map((r) => r.querySelectorAll('td')[0]?.querySelector('data')?.getAttribute('value') ?? null),
        );
      expect(p1Values).toEqual(
        weeksP1.map((g: any) =>
          g.time_to_resolve.median_seconds == null ? null : String(g.time_to_resolve.median_seconds),
        ),
      );
      expect(p1Values.filter(Boolean).length).toBe(2);
      expect(await page.locator('figure .chart .recharts-wrapper').count()).toBe(2);
      await page.getByRole('radio', { name: '90th percentile' }).check();
      await page.locator('figure', { hasText: 'Time to resolve (p90)' }).waitFor();

      const load = (
        await rest(
          t.url,
          'GET',
          `/analytics/on-call-load?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
          { token },
        )
      ).body;
      const owner = load.people.find((p: any) => p.user_id === org.owner.id);
      expect(owner.hours_on_call).toBeGreaterThan(0);
      const loadRow = page.locator('table.on-call-load').locator(`tr[data-key="${org.owner.id}"]`);
      expect((await loadRow.locator('td').allTextContents()).slice(1)).toEqual(
        [owner.incidents, owner.outside_hours, owner.night].map(String),
      );

      const definitions = (await api('')).definitions;
      expect(
        await page
          .locator('.definitions dt', { hasText: /^Time to acknowledge$/ })
          .locator('xpath=following-sibling::dd[1]')
          .textContent(),
      ).toBe(definitions.time_to_acknowledge);
      expect(
        await page
          .locator('.definitions dt', { hasText: /^Window$/ })
          .locator('xpath=following-sibling::dd[1]')
          .textContent(),
      ).toBe(definitions.window);

      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'analytics');

      // A shorter window, held in the URL: the incidents of the last 7 days only.
      await page.getByLabel('Window').selectOption('7');
      await page.waitForURL(/\/analytics\?days=7$/);
      await card(page, 'Opened').filter({ hasText: /^2$/ }).waitFor();
    } finally {
      await page.context().close();
    }
  });

  it('answers a viewer too, and shows empty states for an organization without incidents', async () => {
    const org = await seedOrg(t.url);
    const viewer = await org.user('viewer');
    const { page } = await signedIn(browser, t.url, viewer);
    try {
      await page.goto('/analytics?days=90');
      await page.getByRole('heading', { name: 'Headline figures' }).waitFor();
      expect(await card(page, 'Opened').textContent()).toBe('0');
      expect(await card(page, 'Median time to resolve').textContent()).toContain('—');
      expect(await page.getByText('No incidents started in this window.').count()).toBe(2);
      expect(await page.getByText('Nobody was on call in this window.').count()).toBe(1);
      expect(await page.getByLabel('Window').inputValue()).toBe('90');
    } finally {
      await page.context().close();
    }
  });
});
