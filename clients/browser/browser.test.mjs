// A page served from another origin sends a Mantle usage event with a customer's API token through fetch, in
// headless Chromium: the CORS preflight, the token flow and the commit are real. The service's address and admin
// token come from USAGE_BASE_URL and USAGE_ADMIN_TOKEN (ci.sh starts the service and sets them).
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';

const api = process.env.USAGE_BASE_URL;
const adminToken = process.env.USAGE_ADMIN_TOKEN;
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
assert.ok(api && adminToken, 'set USAGE_BASE_URL and USAGE_ADMIN_TOKEN (ci.sh does)');

let site;
let siteOrigin;
let profile;
let browser;
let account;

async function call(path, { method = 'GET', headers = {}, body } = {}) {
  const response = await fetch(api + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

function server() {
  return { 'X-Mantle-App-Id': account.mantle.appId, 'X-Mantle-App-Api-Key': account.mantle.apiKey };
}

/** Opens the customer's page with these query parameters and returns what its fetch reported. */
async function openPage(parameters) {
  const page = await browser.newPage();
  try {
    const url = `${siteOrigin}/page.html?${new URLSearchParams({ api, appId: account.mantle.appId, ...parameters })}`;
    await page.goto(url);
    await page.waitForSelector('body[data-done="true"]', { timeout: 15_000 });
    return JSON.parse(await page.textContent('#result'));
  } finally {
    await page.close();
  }
}

async function eventsOf(customerId) {
  const list = await call(`/v1/usage_events?customerId=${encodeURIComponent(customerId)}`, { headers: server() });
  assert.equal(list.status, 200);
  return list.body.events;
}

before(async () => {
  const html = await readFile(new URL('./page.html', import.meta.url));
  site = createServer((request, response) => {
    if (new URL(request.url, 'http://page').pathname !== '/page.html') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise((resolve) => site.listen(0, '127.0.0.1', resolve));
  // localhost for the page, the service's own address for the API: another host and port, so another origin.
  siteOrigin = `http://localhost:${site.address().port}`;
  assert.notEqual(new URL(siteOrigin).origin, new URL(api).origin);

  profile = await mkdtemp(join(tmpdir(), 'usage-events-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });

  const created = await call('/admin/accounts', {
    method: 'POST', headers: { Authorization: `Bearer ${adminToken}` }, body: { name: 'Browser test' },
  });
  assert.equal(created.status, 201);
  account = created.body;
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (site ? site.close(resolve) : resolve()));
  if (profile) {
    await rm(profile, { recursive: true, force: true });
  }
});

test('a page of another origin sends a usage event with a customer API token, and it is stored', async () => {
  const customerId = `shop-${Date.now()}`;
  const identified = await call('/v1/identify', {
    method: 'POST',
    headers: server(),
    body: { platform: 'shopify', platformId: customerId, myshopifyDomain: `${customerId}.myshopify.com` },
  });
  assert.equal(identified.status, 200);
  const token = identified.body.apiToken;

  const result = await openPage({ token, eventId: 'page-view-1' });

  assert.deepEqual(result, { status: 200, body: { success: true } });
  const events = await eventsOf(customerId);
  assert.equal(events.length, 1);
  assert.equal(events[0].eventId, 'page-view-1');
  assert.equal(events[0].eventName, 'page-view');
  assert.equal(events[0].customerId, customerId);
  assert.equal(events[0].timestamp, '2024-03-01T17:47:04.000Z');
  assert.deepEqual(events[0].properties, { path: '/page.html', origin: siteOrigin });
});

test('a wrong customer token is refused with a body the page can read', async () => {
  const result = await openPage({ token: 'mct_not-a-token', eventId: 'page-view-2' });

  assert.equal(result.status, 401);
  assert.match(result.body.error, /X-Mantle-Customer-Api-Token/);
});

test('the app API key cannot cross origins: the preflight refuses it and nothing is stored', async () => {
  const result = await openPage({ apiKey: account.mantle.apiKey, eventId: 'page-view-3' });

  assert.match(result.error ?? '', /Failed to fetch/);
  const all = await call('/v1/usage_events?take=100', { headers: server() });
  assert.ok(all.body.events.every((event) => event.eventId !== 'page-view-3'));
});
