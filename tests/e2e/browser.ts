import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, Browser, BrowserContext, Page } from 'playwright-core';
import { rest } from '../support/client';
import type { SeedUser } from '../support/seed';

/** Debian's chromium (.ci/run installs it); Playwright's own browser downloads are never used. */
export const CHROMIUM = process.env.ARGUS_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 390, height: 844 };

/** A browser context signed in as a user: the console's stored session, written before the first page loads. */
export async function signedIn(
  browser: Browser,
  baseUrl: string,
  user: Pick<SeedUser, 'token' | 'refreshToken'>,
  viewport = DESKTOP,
  expiresInSeconds = 3600,
): Promise<{ context: BrowserContext; page: Page }> {
  const me = await rest(baseUrl, 'GET', '/auth/me', { token: user.token });
  if (me.status !== 200) throw new Error(`me failed: ${me.status}`);
  const stored = {
    accessToken: user.token,
    refreshToken: user.refreshToken,
    expiresAt: Date.now() + expiresInSeconds * 1000,
    user: me.body,
  };
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport,
    locale: 'en-GB',
    timezoneId: 'Europe/Berlin',
  });
  await context.addInitScript((value: string) => {
    // Once per tab: a sign-out in the test must stay signed out.
    if (!sessionStorage.getItem('argus.test.seeded')) {
      sessionStorage.setItem('argus.test.seeded', '1');
      localStorage.setItem('argus.session', value);
    }
  }, JSON.stringify(stored));
  const page = await context.newPage();
  return { context, page };
}

export async function anonymous(
  browser: Browser,
  baseUrl: string,
  viewport = DESKTOP,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport,
    locale: 'en-GB',
    timezoneId: 'Europe/Berlin',
  });
  return { context, page: await context.newPage() };
}

const AXE = readFileSync(join(__dirname, '..', '..', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's serious and critical violations on the page as it is (WCAG 2.1 A/AA rules and best practices). */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} (${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')})`,
    );
}

/** A screenshot for the README (docs/screenshots), written when ARGUS_SCREENSHOTS=1 (`npm run screenshots`). */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.ARGUS_SCREENSHOTS !== '1') return;
  await page.screenshot({ path: join(__dirname, '..', '..', 'docs', 'screenshots', `${name}.png`), fullPage: false });
}
