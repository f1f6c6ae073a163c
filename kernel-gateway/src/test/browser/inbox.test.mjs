// The console's Inbox page in a real browser, against the whole suite (gateway + registry + context-bus),
// for example started by `./memroos up`. Settings: see support.mjs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
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
const run = randomUUID().slice(0, 8);
const state = {};

/** Calls the API with a bearer key; returns the parsed JSON (or null), failing on an unexpected status. */
async function api(method, uri, key, body, expected) {
  const response = await fetch(`${BASE}${uri}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  assert.ok(expected.includes(response.status), `${method} ${uri}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function registerWithKey(name) {
  const agent = await api('POST', '/api/agents', OPERATOR_KEY, {
    name, description: `inbox browser test ${name}`, owner: 'browser-tests', capabilities: ['inbox-test'], skills: [],
    endpoint: { kind: 'rest', url: 'http://127.0.0.1:9/agent' },
  }, [201]);
  const key = await api('POST', `/api/agents/${agent.id}/keys`, OPERATOR_KEY, { label: 'inbox-test' }, [201]);
  return { id: agent.id, name, key: key.key };
}

describe('operator console: inbox', { concurrency: false }, () => {
  it('sets up two agents, a conversation and a dead letter through the API', async () => {
    state.alice = await registerWithKey(`inbox-alice-${run}`);
    state.bob = await registerWithKey(`inbox-bob-${run}`);
    state.subject = `quarterly-report-${run}`;
    // the keys take effect at the gateway within 2 s
    let sent;
    for (let i = 0; i < 20 && !sent; i++) {
      const r = await fetch(`${BASE}/api/agent-context/messages`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${state.alice.key}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ to: [state.bob.id], subject: state.subject, body: { text: 'numbers attached' } }),
      });
      if (r.status === 201) sent = await r.json();
      else if (r.status === 401) await new Promise((ok) => setTimeout(ok, 250));
      else assert.fail(`send: ${r.status} ${await r.text()}`);
    }
    assert.ok(sent, 'alice can send to bob');
    state.message = sent;
    await api('POST', '/api/agent-context/messages', state.bob.key,
      { to: [state.alice.id], subject: `re: ${state.subject}`, body: 'thanks', replyTo: sent.id }, [201]);
    // a message with a one-second time to live, never read: the bus dead-letters it as expired
    state.doomed = await api('POST', '/api/agent-context/messages', state.alice.key,
      { to: [state.bob.id], subject: `doomed-${run}`, body: 'too late', ttlSeconds: 1 }, [201]);
    let dead;
    for (let i = 0; i < 40 && !dead; i++) {
      await new Promise((ok) => setTimeout(ok, 250));
      const page1 = await api('GET', `/api/agent-context/admin/dead-letters?agentId=${state.bob.id}`, OPERATOR_KEY, null, [200]);
      dead = page1.items.find((d) => d.message.id === state.doomed.id);
    }
    assert.ok(dead, 'the expired message is dead-lettered');
    assert.equal(dead.reason, 'expired');
    state.dead = dead;
  });

  it('signs in and shows the recipient backlog on the Inbox page', async () => {
    await page.goto(`${BASE}/login`);
    await page.fill('#operatorKey', OPERATOR_KEY);
    await Promise.all([page.waitForURL(`${BASE}/`), page.click('button[type=submit]')]);
    await page.click('nav >> text=Inbox');
    await page.waitForURL(`${BASE}/inbox`);
    assert.equal(await page.locator('#bus-unavailable').count(), 0, 'the bus is up');
    const row = page.locator(`#backlog-rows tr[data-agent-id="${state.bob.id}"]`);
    await row.waitFor();
    assert.match(await row.textContent(), new RegExp(state.bob.name));
    assert.ok(Number((await row.locator('[data-role=pending]').textContent()).trim()) >= 1, 'bob has a pending message');
    assert.equal((await row.locator('[data-role=dead]').textContent()).trim(), '1');
    assert.equal(await page.locator(`#dead-table tr[data-dead-id="${state.dead.id}"]`).count(), 1);
    await shot('09-inbox');
  });

  it('searches for the subject and opens the thread', async () => {
    await page.fill('#q', state.subject);
    await Promise.all([page.waitForURL(/\/inbox\?q=/), page.click('#search-form button[type=submit]')]);
    const hit = page.locator(`#search-results tr[data-message-id="${state.message.id}"]`);
    await hit.waitFor();
    assert.match(await hit.textContent(), new RegExp(state.subject));
    assert.equal(await page.locator('#search-results tbody tr').count(), 2, 'the message and its reply');
    await shot('10-inbox-search');
    await Promise.all([page.waitForURL(/\/inbox\/threads\//), hit.locator('[data-role=thread]').click()]);
    const messages = page.locator('#thread li[data-message-id]');
    assert.equal(await messages.count(), 2);
    assert.equal(await messages.nth(0).getAttribute('data-message-id'), state.message.id, 'in the order sent');
    assert.match(await messages.nth(1).textContent(), /thanks/);
    await shot('11-inbox-thread');
  });

  it('requeues the dead letter', async () => {
    await page.goto(`${BASE}/inbox`);
    const row = page.locator(`#dead-table tr[data-dead-id="${state.dead.id}"]`);
    await row.waitFor();
    await row.locator('[data-role=requeue]').click();
    await page.waitForSelector('#dead-notice');
    assert.match(await page.textContent('#dead-notice'), /Requeued/);
    assert.equal(await row.count(), 0, 'gone from the dead letters');
    // the backlog refreshes at once (HX-Trigger: inbox-changed): bob has no dead letter left
    await page.waitForFunction((id) => document.querySelector(`#backlog-rows tr[data-agent-id="${id}"] [data-role=dead]`)
      ?.textContent.trim() === '0', state.bob.id);
    await shot('12-inbox-requeued');
  });
});
