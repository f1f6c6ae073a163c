// Operator console in a real browser: Debian's chromium driven by playwright-core, run by `node --test`.
// Settings (MEMROOS_URL, MEMROOS_OPERATOR_KEY, MEMROOS_SCREENSHOTS, CHROMIUM): see support.mjs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, OPERATOR_KEY, openBrowser, screenshot } from './support.mjs';

let browser;
let page;
before(async () => {
  ({ browser, page } = await openBrowser());
});
after(async () => {
  await browser?.close();
});
const shot = (name) => screenshot(page, name);
const state = {};

describe('operator console', { concurrency: false }, () => {
  it('refuses a wrong operator key, then signs in with the right one', async () => {
    await page.goto(`${BASE}/`);
    assert.match(page.url(), /\/login$/, 'an anonymous visit lands on the sign-in page');
    await shot('01-login');
    await page.fill('#operatorKey', 'mro_wrong-key');
    await page.click('button[type=submit]');
    await page.waitForSelector('#login-error');
    assert.match(await page.textContent('#login-error'), /not the operator key/);
    await page.fill('#operatorKey', OPERATOR_KEY);
    await Promise.all([page.waitForURL(`${BASE}/`), page.click('button[type=submit]')]);
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'memroos_session');
    assert.ok(session, 'session cookie set');
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
  });

  it('shows the services and their health on the overview', async () => {
    await page.waitForSelector('[data-service="kernel-gateway"] .badge');
    await page.waitForSelector('[data-service="registry"] .badge');
    assert.equal((await page.textContent('[data-service="kernel-gateway"] .badge')).trim(), 'UP');
    assert.equal((await page.textContent('[data-service="registry"] .badge')).trim(), 'UP');
    await shot('02-overview');
  });

  it('registers an agent from the form', async () => {
    await page.click('nav >> text=Agents');
    await page.waitForURL(`${BASE}/agents`);
    state.name = `browser-${Date.now().toString(36)}`;
    await page.fill('#name', state.name);
    await page.fill('#description', 'Registered by the browser test');
    await page.fill('#owner', 'operator');
    await page.fill('#capabilities', 'search, summarise');
    await page.selectOption('#endpointKind', 'rest');
    await page.fill('#endpointUrl', 'http://10.0.0.42:9000/agent');
    await shot('03-agents-form');
    await Promise.all([page.waitForURL(/\/agents\/[^/]+$/), page.click('#register-form button[type=submit]')]);
    state.id = (await page.textContent('#agent-id')).trim();
    assert.ok(state.id.length > 0);
    assert.match(await page.textContent('h1'), new RegExp(state.name));
    await shot('04-agent-detail');
  });

  it('creates a key whose secret is shown once and is gone after a reload', async () => {
    await page.fill('#key-label', 'browser');
    await page.click('#create-key-form button[type=submit]');
    await page.waitForSelector('#new-key-value');
    state.key = (await page.textContent('#new-key-value')).trim();
    assert.match(state.key, /^mrk_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    await shot('05-key-created');
    await page.reload();
    await page.waitForSelector('#keys-table');
    assert.equal(await page.locator('#new-key').count(), 0, 'no secret box after a reload');
    assert.ok(!(await page.content()).includes(state.key), 'the secret is not in the page any more');
  });

  it('rotates the key: a new secret once, the old key revoked', async () => {
    await page.click('#keys-table button:has-text("Rotate")');
    await page.waitForSelector('#new-key-value');
    const rotated = (await page.textContent('#new-key-value')).trim();
    assert.notEqual(rotated, state.key);
    assert.equal(await page.locator('#keys-table .badge-revoked').count(), 1);
    state.key = rotated;
    await shot('06-key-rotated');
  });

  it('turns the agent online in the agents list after a heartbeat (htmx refresh)', async () => {
    await page.goto(`${BASE}/agents`);
    const liveness = page.locator(`tr[data-agent-id="${state.id}"] [data-role="liveness"]`);
    assert.notEqual((await liveness.textContent()).trim(), 'online');
    const response = await fetch(`${BASE}/api/heartbeat`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${state.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ status: 'ok', load: 0.2, version: '1.0.0', metrics: { queue: 1 } }),
    });
    assert.equal(response.status, 202, await response.text());
    const url = page.url();
    await page.waitForFunction((id) => {
      const el = document.querySelector(`tr[data-agent-id="${id}"] [data-role="liveness"]`);
      return el && el.textContent.trim() === 'online';
    }, state.id, { timeout: 15000 });
    assert.equal(page.url(), url, 'refreshed in place, without navigating');
    await shot('07-agents-online');
  });

  it('signs out', async () => {
    await Promise.all([page.waitForURL(/\/login$/), page.click('.signout button')]);
    await shot('08-signed-out');
    await page.goto(`${BASE}/agents`);
    assert.match(page.url(), /\/login$/, 'the session is gone');
  });
});
