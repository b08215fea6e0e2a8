// The web console in headless Chromium, as an operator would use it: sign in with the admin token, create an
// account, watch events sent through the API appear live, supersede one and read its history, define a meter and
// read its total, download its CSV, sign out. A screenshot of each page goes to CONSOLE_OUTPUT (ci.sh sets it).
// The service's address and admin token come from USAGE_BASE_URL and USAGE_ADMIN_TOKEN.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';

const base = process.env.USAGE_BASE_URL;
const adminToken = process.env.USAGE_ADMIN_TOKEN;
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const output = process.env.CONSOLE_OUTPUT ?? join(tmpdir(), 'usage-events-console-test');
assert.ok(base && adminToken, 'set USAGE_BASE_URL and USAGE_ADMIN_TOKEN (ci.sh does)');

let profile;
let context;
let page;
let shot = 0;

async function screenshot(name) {
  shot += 1;
  await page.screenshot({ path: join(output, `${String(shot).padStart(2, '0')}-${name}.png`), fullPage: true });
}

async function sendEvent(credentials, customerEventId, customerAlias, units) {
  const response = await fetch(`${base}/api/usage-events`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}`,
    },
    body: JSON.stringify({ customerEventId, customerAlias, eventType: 'api-call', eventProperties: { units } }),
  });
  const text = await response.text();
  assert.ok(response.status === 200 || response.status === 201, `${response.status} ${text}`);
  return JSON.parse(text).id;
}

before(async () => {
  await mkdir(output, { recursive: true });
  profile = await mkdtemp(join(tmpdir(), 'usage-events-console-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1280, height: 800 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  page = context.pages()[0] ?? await context.newPage();
});

after(async () => {
  await context?.close();
  if (profile) {
    await rm(profile, { recursive: true, force: true });
  }
});

test('an operator runs the console from sign-in to sign-out', async () => {
  const run = Date.now();

  // Sign in: a wrong token first, then the right one.
  await page.goto(`${base}/console`);
  assert.match(page.url(), /\/console\/sign-in$/);
  await screenshot('sign-in');
  await page.fill('#token', 'not-the-token');
  await page.click('text=Sign in as operator');
  await page.waitForSelector('.error');
  assert.match(await page.textContent('.error'), /Wrong admin token/);
  await page.fill('#token', adminToken);
  await page.click('text=Sign in as operator');
  await page.waitForURL(/\/console\/accounts$/);
  await screenshot('accounts');

  // Create an account: its secrets once, with a warning.
  const name = `Console test ${run}`;
  await page.fill('#name', name);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#seq-secret');
  assert.match(await page.textContent('.warning'), /shown on this page only/);
  const credentials = {
    clientId: (await page.textContent('#seq-id')).trim(),
    clientSecret: (await page.textContent('#seq-secret')).trim(),
  };
  const accountId = (await page.textContent('dl.secrets dd code')).trim();
  await screenshot('account-created');

  // The account's events, live: events sent through the API appear without a reload.
  await page.goto(`${base}/console/accounts`);
  assert.ok(!(await page.content()).includes(credentials.clientSecret), 'the secret is shown once only');
  await page.click(`tr:has-text("${name}") >> text=Events`);
  await page.waitForURL(/\/console\/events\?account=/);
  await page.waitForSelector('text=No events match.');
  const first = await sendEvent(credentials, `e1-${run}`, 'cust-a', 5);
  await sendEvent(credentials, `e2-${run}`, 'cust-b', 7);
  await sendEvent(credentials, `e3-${run}`, 'cust-a', 11);
  await page.waitForSelector(`#event-rows >> text=e3-${run}`, { timeout: 15_000 });
  assert.equal(await page.locator('#event-rows tr').count(), 3);
  await screenshot('events-live');

  // Supersede the first: the new version appears, and its page shows both versions.
  const second = await sendEvent(credentials, `e1-${run}`, 'cust-a', 6);
  await page.waitForSelector(`#event-rows a[href*="${second}"]`, { timeout: 15_000 });
  await page.click(`#event-rows a[href*="${second}"]`);
  await page.waitForSelector('#history');
  assert.equal(await page.locator('#history tbody tr').count(), 2);
  const history = await page.textContent('#history');
  assert.ok(history.includes(first) && history.includes(second), history);
  assert.match(history, /superseded at/);
  assert.match(await page.textContent('pre.json'), /"units" : 6/);
  await screenshot('event-history');

  // A meter: the domain's validation message first, then the right total (6 + 7 + 11).
  await page.goto(`${base}/console/meters?account=${accountId}`);
  await page.click('text=New meter');
  await page.fill('#m-name', 'Units');
  await page.fill('#m-event', 'api-call');
  await page.selectOption('#m-agg', 'SUM');
  await page.click('text=Create meter');
  await page.waitForSelector('#form-errors');
  assert.match(await page.textContent('#form-errors'), /valueProperty/);
  await screenshot('meter-invalid');
  await page.fill('#m-value', 'units');
  await page.click('text=Create meter');
  await page.waitForSelector('#meter-total');
  assert.equal((await page.textContent('#meter-total')).trim(), '24');
  assert.match(await page.textContent('#customer-totals'), /cust-a\s*17/);
  assert.ok(await page.locator('svg.chart rect').count() >= 7, 'a bar for each of the 7 days, empty ones too');
  await screenshot('meter');

  // The CSV: one row per day and customer; the customers' sums are the totals.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv-link')]);
  const csv = (await readFile(await download.path(), 'utf8')).trim().split('\n');
  assert.equal(csv[0], 'window_start,window_end,customer_id,value,event_count');
  const sums = {};
  for (const line of csv.slice(1)) {
    const [, , customer, value] = line.split(',');
    sums[customer] = (sums[customer] ?? 0) + Number(value);
  }
  assert.deepEqual(sums, { 'cust-a': 17, 'cust-b': 7 });
  assert.equal(csv.length - 1, 14, 'seven days for each of two customers');

  // Health, at phone width too.
  await page.goto(`${base}/console/health`);
  await page.waitForFunction(() => !document.getElementById('db-state').textContent.includes('loading')
    && !document.getElementById('batch-size').textContent.includes('loading'), null, { timeout: 15_000 });
  assert.match(await page.textContent('#db-state'), /UP/);
  assert.match(await page.textContent('#rate-sequence'), /\(4 since start\)/);
  assert.match(await page.textContent('#batch-size'), /events per commit/);
  await screenshot('health');
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto(`${base}/console/events?account=${accountId}`);
  await screenshot('events-phone');
  await page.setViewportSize({ width: 1280, height: 800 });

  // Sign out: the session is gone.
  await page.click('text=Sign out');
  await page.waitForURL(/\/console\/sign-in$/);
  await page.goto(`${base}/console/accounts`);
  assert.match(page.url(), /\/console\/sign-in$/);
  await screenshot('signed-out');
});
