// The console's governance pages (Audit, Policies, Usage) in a real browser, against the whole suite
// (gateway + registry + governance), for example started by `./memroos up`. Settings: see support.mjs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
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
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

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

/** Calls with an agent key, retrying while the new key is not yet known at the gateway (up to 2 s). */
async function asAgent(method, uri, body) {
  for (let i = 0; i < 40; i++) {
    const r = await fetch(`${BASE}${uri}`, {
      method,
      headers: { Authorization: `Bearer ${state.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (r.status !== 401) {
      const text = await r.text();
      assert.ok(r.status >= 200 && r.status < 300, `${method} ${uri}: ${r.status} ${text}`);
      return text ? JSON.parse(text) : null;
    }
    await sleep(250);
  }
  assert.fail(`${method} ${uri}: the agent key never worked`);
}

/** Reloads `url` until `selector` is on the page (events and receipts arrive asynchronously). */
async function reloadUntil(url, selector, tries = 40) {
  for (let i = 0; i < tries; i++) {
    await page.goto(url);
    if (await page.locator(selector).count() > 0) return;
    await sleep(500);
  }
  assert.fail(`${selector} never appeared on ${url}`);
}

describe('operator console: governance', { concurrency: false }, () => {
  it('registers an agent and reports a tool call and a model call with its key', async () => {
    const agent = await api('POST', '/api/agents', OPERATOR_KEY, {
      name: `gov-${run}`, description: 'governance browser test', owner: 'browser-tests', capabilities: ['gov-test'],
      skills: [], endpoint: { kind: 'rest', url: 'http://127.0.0.1:9/agent' },
    }, [201]);
    state.agentId = agent.id;
    state.key = (await api('POST', `/api/agents/${agent.id}/keys`, OPERATOR_KEY, { label: 'gov-test' }, [201])).key;
    state.tool = `search-${run}`;
    await asAgent('POST', '/api/tool-attention', {
      tool: state.tool, argsDigest: createHash('sha256').update(run).digest('hex'), durationMs: 42, outcome: 'ok',
    });
    state.model = `model-${run}`;
    await asAgent('POST', '/api/model-usage', { model: state.model, inputTokens: 120, outputTokens: 30, latencyMs: 90 });
  });

  it('finds the registration in the audit log (through the registry outbox) and verifies the chain', async () => {
    await page.goto(`${BASE}/login`);
    await page.fill('#operatorKey', OPERATOR_KEY);
    await Promise.all([page.waitForURL(`${BASE}/`), page.click('button[type=submit]')]);
    await page.click('nav >> text=Audit');
    await page.waitForURL(`${BASE}/audit`);
    assert.equal(await page.locator('#governance-unavailable').count(), 0, 'governance is up');
    assert.ok(Number(await page.locator('#audit-events').textContent()) >= 1, 'the chain has events');
    await reloadUntil(`${BASE}/audit?assetId=${state.agentId}`, '#audit-table [data-role=type]:text("agent.registered")');
    const row = page.locator('#audit-table tbody tr', { hasText: 'agent.registered' }).first();
    assert.match(await row.textContent(), /registry-service/);
    assert.match(await row.textContent(), new RegExp(state.agentId));
    await shot('13-audit');
    await page.click('#verify-button');
    await page.locator('#verify-ok').waitFor();
    assert.match(await page.locator('#verify-ok').textContent(), /The chain verifies/);
    await shot('14-audit-verified');
  });

  it('lists the policies, opens one and validates a broken and the original text', async () => {
    await page.click('nav >> text=Policies');
    await page.waitForURL(`${BASE}/policies`);
    const first = page.locator('#policies-table tbody tr[data-policy-id]').first();
    await first.waitFor();
    assert.ok(await page.locator('#history-table tbody tr[data-version]').count() >= 1, 'a version history');
    await shot('15-policies');
    await first.locator('[data-role=edit]').click();
    await page.waitForURL(/\/policies\/edit\//);
    const original = await page.inputValue('#policy-text');
    assert.ok(original.length > 0, 'the policy text is shown');
    await page.fill('#policy-text', 'permit(principal, action');
    await page.click('#validate-button');
    await page.locator('#validation-errors').waitFor();
    await page.fill('#policy-text', original);
    await page.click('#validate-button');
    await page.locator('#validation-ok').waitFor();
    await shot('16-policy-validate');
  });

  it('shows the receipts and a usage bar for the agent on the Usage page', async () => {
    // receipts commit with governance's next group commit: wait until both are listed
    await reloadUntil(`${BASE}/usage?agentId=${state.agentId}`,
      `#models-table tr:has-text("${state.model}") >> nth=0`);
    await reloadUntil(`${BASE}/usage?agentId=${state.agentId}`, `#tools-table tr:has-text("${state.tool}")`);
    assert.equal(await page.locator(`#models-table tr:has-text("${state.model}")`).count(), 1);
    const bar = page.locator(`#usage-svg g.bar[data-label*="${state.model}"]`);
    assert.equal(await bar.count(), 1, 'a bar for the agent and model');
    assert.equal(await bar.getAttribute('data-value'), '150', 'tokens in + out');
    await shot('17-usage');
    await page.selectOption('#metric', 'calls');
    await Promise.all([page.waitForURL(/metric=calls/), page.click('#usage-form button[type=submit]')]);
    assert.equal(await page.locator(`#usage-svg g.bar[data-label*="${state.model}"]`).getAttribute('data-value'), '1');
  });
});
