// The console's speed on loopback, from Chromium's own navigation and paint timings:
//   npm start            (the demo data; or any running Argus, ARGUS_URL=http://host:port)
//   npm run bench:ui     (ARGUS_BENCH_RUNS=15, ARGUS_EMAIL / ARGUS_PASSWORD for another account)
// Prints the initial JavaScript of the build (gzip), then for the incident list and an incident page the median and
// p90 of: first contentful paint, and the time from navigation start until the page's data is rendered.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const BASE = process.env.ARGUS_URL ?? 'http://localhost:4000';
const RUNS = Number(process.env.ARGUS_BENCH_RUNS ?? 15);
const EMAIL = process.env.ARGUS_EMAIL ?? 'demo@argus.local';
const PASSWORD = process.env.ARGUS_PASSWORD ?? 'argus-demo-password';
const dist = join(import.meta.dirname, '..', 'frontend', 'dist');

function initialJs() {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  const gz = files.reduce((sum, f) => sum + statSync(join(dist, `${f}.gz`)).size, 0);
  const raw = files.reduce((sum, f) => sum + statSync(join(dist, f)).size, 0);
  return { files, raw, gz };
}

async function api(path, init = {}) {
  const res = await fetch(`${BASE}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...init.headers },
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return `median ${at(0.5).toFixed(0)} ms, p90 ${at(0.9).toFixed(0)} ms`;
};

const js = initialJs();
console.log(
  `initial JavaScript: ${js.files.length} file(s), ${(js.raw / 1024).toFixed(1)} KB, ${(js.gz / 1024).toFixed(1)} KB gzipped`,
);

const auth = await api('/api/v1/auth/login', {
  method: 'POST',
  body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
});
const list = await api('/api/v1/incidents/?limit=1', { headers: { authorization: `Bearer ${auth.access_token}` } });
const key = list.items[0]?.key;
if (!key) throw new Error('no incident to open: start Argus with the demo data (npm start)');
const stored = JSON.stringify({
  accessToken: auth.access_token,
  refreshToken: auth.refresh_token,
  expiresAt: Date.now() + auth.expires_in * 1000,
  user: auth.user,
});

const browser = await chromium.launch({
  executablePath: process.env.ARGUS_CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});
const pages = [
  { name: 'incident list', path: '/incidents', ready: 'table.incidents tbody tr' },
  { name: `incident page (${key})`, path: `/incidents/${key}`, ready: '.timeline li' },
];
try {
  for (const target of pages) {
    for (const cache of ['cold', 'warm']) {
      const fcp = [];
      const ready = [];
      // One context per mode: "cold" is a new context (empty HTTP cache) per run, "warm" reuses one.
      let shared = null;
      for (let i = 0; i < RUNS + 1; i++) {
        const context = cache === 'warm' ? (shared ??= await browser.newContext()) : await browser.newContext();
        await context.addInitScript((value) => localStorage.setItem('argus.session', value), stored);
        const page = await context.newPage();
        await page.goto(`${BASE}${target.path}`);
        await page.waitForSelector(target.ready);
        const t = await page.evaluate(() => ({
          ready: performance.now(),
          fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
        }));
        await page.close();
        if (cache === 'cold') await context.close();
        if (i === 0) continue; // the first run warms the server and the browser
        fcp.push(t.fcp);
        ready.push(t.ready);
      }
      if (shared) await shared.close();
      console.log(
        `${target.name}, ${cache} cache, ${RUNS} runs: first contentful paint ${stats(fcp)}; data rendered ${stats(ready)}`,
      );
    }
  }
} finally {
  await browser.close();
}
