// The client flows of the e2e suite, run once per client protocol version (broker-v1.test.mjs: the SDK's native
// 1.0 JSON-RPC client; broker-v03.test.mjs: the SDK's v0.3 compat client, LegacyJsonRpcTransport).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { TaskNotFoundError, TaskNotCancelableError } from '@a2a-js/sdk/errors';
import * as L from './lib.mjs';

const { TaskState } = L;
const TERMINAL = new Set([TaskState.TASK_STATE_COMPLETED, TaskState.TASK_STATE_FAILED, TaskState.TASK_STATE_CANCELED,
  TaskState.TASK_STATE_REJECTED]);

function describeEvent(e) {
  const p = e.payload;
  switch (p.$case) {
    case 'task': return `task:${p.value.status?.state}`;
    case 'statusUpdate': return `status:${p.value.status?.state}:${L.partsText(p.value.status?.message?.parts)}`;
    case 'artifactUpdate': return `artifact:${p.value.artifact?.artifactId}:${L.partsText(p.value.artifact?.parts)}`;
    default: return `message:${L.partsText(p.value.parts)}`;
  }
}

function rejectsAs(p, SdkError, code) {
  return assert.rejects(p, (e) => {
    if (e instanceof SdkError) return true;
    // the legacy transport may surface a plain Error carrying the JSON-RPC code in its message
    assert.match(String(e.message), new RegExp(String(code)), `expected ${SdkError.name} (${code}), got ${e}`);
    return true;
  });
}

/** Registers the suite of client flows; `legacy` selects the SDK's v0.3 client path. */
export function clientFlows({ legacy }) {
  const tag = legacy ? 'v0.3' : 'v1.0';
  const rpcVersion = legacy ? undefined : '1.0';
  const m = legacy
    ? { get: 'tasks/get', list: 'tasks/list', send: 'message/send' }
    : { get: 'GetTask', list: 'ListTasks', send: 'SendMessage' };
  let agent, target, caller, other, client, recorder, otherClient;

  before(async () => {
    agent = await L.startAgent();
    target = await L.registerAgent(agent.url);
    caller = await L.createCaller(`caller-${tag}`);
    other = await L.createCaller(`other-${tag}`);
    ({ client, recorder } = await L.brokerClient(target.id, caller.key, { legacy }));
    ({ client: otherClient } = await L.brokerClient(target.id, other.key, { legacy }));
    assert.equal(client.protocolVersion, legacy ? '0.3' : '1.0', 'the SDK picked the expected protocol version');
  });

  after(async () => {
    await agent?.close();
  });

  test(`${tag}: the broker's card for the agent names the broker and a bearer scheme`, async () => {
    const card = await (await fetch(`${L.MEMROOS_URL}/a2a/agents/${target.id}/.well-known/${legacy ? 'agent.json' : 'agent-card.json'}`)).json();
    assert.equal(card.name, target.name);
    if (legacy) {
      assert.equal(card.url, `${L.MEMROOS_URL}/a2a/agents/${target.id}`);
      assert.equal(card.protocolVersion, '0.3.0');
    } else {
      assert.ok(card.supportedInterfaces.some((i) => i.url === `${L.MEMROOS_URL}/a2a/agents/${target.id}`
        && i.protocolBinding === 'JSONRPC' && i.protocolVersion === '1.0'));
    }
    assert.ok(card.securitySchemes.bearer);
  });

  test(`${tag}: blocking send returns the completed task with the agent's artifact`, async () => {
    const r = await client.sendMessage(L.sendParams('echo hello broker'));
    assert.ok(L.isTask(r), `a Task, got ${JSON.stringify(r)}`);
    assert.equal(r.status.state, TaskState.TASK_STATE_COMPLETED);
    assert.equal(r.artifacts.length, 1);
    assert.equal(L.partsText(r.artifacts[0].parts), 'echo: hello broker');
    assert.ok(r.history.some((h) => L.partsText(h.parts) === 'echo hello broker'), 'the user message is in the history');
    assert.equal(recorder.methods.at(-1), legacy ? 'message/send' : 'SendMessage', 'the wire method of this protocol version');
    // the broker's ids, not the agent's, and the task is stored: GetTask finds it
    const again = await client.getTask({ tenant: '', id: r.id });
    assert.equal(again.id, r.id);
    assert.equal(again.status.state, TaskState.TASK_STATE_COMPLETED);
    assert.equal(again.contextId, r.contextId);
  });

  test(`${tag}: a message answer (no task) comes back as a Message`, async () => {
    const r = await client.sendMessage(L.sendParams('reply ping'));
    assert.ok(!L.isTask(r), `a Message, got ${JSON.stringify(r)}`);
    assert.equal(L.partsText(r.parts), 'reply: ping');
    assert.equal(r.role, L.Role.ROLE_AGENT);
  });

  test(`${tag}: non-blocking send returns at once; the task completes in the background`, async () => {
    const t0 = Date.now();
    const r = await client.sendMessage(L.sendParams('stream 4 150', { returnImmediately: true }));
    assert.ok(L.isTask(r));
    assert.ok(!TERMINAL.has(r.status.state), `not finished yet when answered (state ${r.status.state})`);
    assert.ok(Date.now() - t0 < 550, 'answered before the agent finished (4 x 150 ms)');
    const done = await L.until(async () => {
      const t = await client.getTask({ tenant: '', id: r.id });
      return TERMINAL.has(t.status.state) ? t : null;
    }, 15000, 'the non-blocking task to finish');
    assert.equal(done.status.state, TaskState.TASK_STATE_COMPLETED);
    assert.equal(L.partsText(done.artifacts.find((a) => a.artifactId === 'out').parts), 'chunk-1;chunk-2;chunk-3;chunk-4;');
  });

  test(`${tag}: streaming delivers every event in order, ids 1..N, ending completed`, async () => {
    const seen = [];
    const streamsBefore = recorder.streams.length;
    for await (const e of client.sendMessageStream(L.sendParams('stream 5 30'))) seen.push(describeEvent(e));
    const expected = [`task:${TaskState.TASK_STATE_SUBMITTED}`];
    for (let i = 1; i <= 5; i++) {
      expected.push(`status:${TaskState.TASK_STATE_WORKING}:step ${i}`, `artifact:out:chunk-${i};`);
    }
    expected.push(`status:${TaskState.TASK_STATE_COMPLETED}:done`);
    assert.deepEqual(seen, expected);
    assert.equal(recorder.streams.length, streamsBefore + 1);
    assert.deepEqual(recorder.streams.at(-1), expected.map((_, i) => i + 1), 'SSE ids are the stored sequence 1..N');
  });

  test(`${tag}: get task honours historyLength`, async () => {
    const r = await client.sendMessage(L.sendParams('ask'));
    const done = await client.sendMessage(L.sendParams('Grace', { taskId: r.id, contextId: r.contextId }));
    assert.equal(done.status.state, TaskState.TASK_STATE_COMPLETED);
    const full = await client.getTask({ tenant: '', id: r.id });
    assert.ok(full.history.length >= 3, `user, agent question, user answer at least (got ${full.history.length})`);
    const one = await client.getTask({ tenant: '', id: r.id, historyLength: 1 });
    assert.equal(one.history.length, 1);
    assert.deepEqual(one.history[0], full.history.at(-1), 'historyLength keeps the most recent messages');
    const two = await client.getTask({ tenant: '', id: r.id, historyLength: 2 });
    assert.deepEqual(two.history, full.history.slice(-2));
  });

  test(`${tag}: multi-turn: input-required, then the follow-up completes the same task`, async () => {
    const r = await client.sendMessage(L.sendParams('ask'));
    assert.equal(r.status.state, TaskState.TASK_STATE_INPUT_REQUIRED);
    assert.equal(L.partsText(r.status.message.parts), 'what is your name?');
    const done = await client.sendMessage(L.sendParams('Ada', { taskId: r.id, contextId: r.contextId }));
    assert.equal(done.id, r.id, 'the same broker task');
    assert.equal(done.status.state, TaskState.TASK_STATE_COMPLETED);
    assert.equal(L.partsText(done.artifacts.find((a) => a.artifactId === 'greeting').parts), 'hello Ada');
    const texts = (await client.getTask({ tenant: '', id: r.id })).history.map((h) => L.partsText(h.parts));
    assert.ok(texts.includes('ask') && texts.includes('Ada'), `both turns in the history: ${JSON.stringify(texts)}`);
    // a message to the now-terminal task is refused
    await assert.rejects(client.sendMessage(L.sendParams('again', { taskId: r.id, contextId: r.contextId })));
  });

  test(`${tag}: multi-turn over a stream closes on input-required and resumes with a new stream`, async () => {
    const first = [];
    let taskId, contextId;
    for await (const e of client.sendMessageStream(L.sendParams('ask'))) {
      first.push(describeEvent(e));
      if (e.payload.$case === 'task') ({ id: taskId, contextId } = e.payload.value);
    }
    assert.equal(first.at(-1), `status:${TaskState.TASK_STATE_INPUT_REQUIRED}:what is your name?`);
    const second = [];
    for await (const e of client.sendMessageStream(L.sendParams('Lin', { taskId, contextId }))) second.push(describeEvent(e));
    assert.ok(second.includes('artifact:greeting:hello Lin'), JSON.stringify(second));
    assert.equal(second.at(-1), `status:${TaskState.TASK_STATE_COMPLETED}:`);
  });

  test(`${tag}: cancel a running task`, async () => {
    const r = await client.sendMessage(L.sendParams('slow', { returnImmediately: true }));
    await L.until(async () => (await client.getTask({ tenant: '', id: r.id })).status.state === TaskState.TASK_STATE_WORKING,
      10000, 'the slow task to be working');
    const canceled = await client.cancelTask({ tenant: '', id: r.id, metadata: undefined });
    assert.equal(canceled.id, r.id);
    assert.equal(canceled.status.state, TaskState.TASK_STATE_CANCELED);
    await L.sleep(300);
    const later = await client.getTask({ tenant: '', id: r.id });
    assert.equal(later.status.state, TaskState.TASK_STATE_CANCELED, 'stays canceled: no later agent event reopens it');
    await rejectsAs(client.cancelTask({ tenant: '', id: r.id, metadata: undefined }), TaskNotCancelableError, -32002);
  });

  test(`${tag}: resubscribe after a disconnect: every event once, in order, through completion`, async () => {
    const N = 8;
    const ac = new AbortController();
    const part1 = [];
    let taskId;
    const streamIndex = recorder.streams.length;
    try {
      for await (const e of client.sendMessageStream(L.sendParams(`stream ${N} 150`), { signal: ac.signal })) {
        part1.push(describeEvent(e));
        if (e.payload.$case === 'task') taskId = e.payload.value.id;
        if (part1.length === 5) ac.abort();
      }
    } catch (e) {
      if (e.name !== 'AbortError' && !ac.signal.aborted) throw e;
    }
    assert.equal(part1.length, 5);
    const lastId = recorder.streams[streamIndex][4];
    assert.equal(lastId, 5);
    await L.sleep(400); // events go on while nobody listens
    const part2 = [];
    for await (const e of client.resubscribeTask({ tenant: '', id: taskId }, { serviceParameters: { 'Last-Event-ID': String(lastId) } })) {
      part2.push(describeEvent(e));
    }
    const all = [...part1, ...part2];
    const expected = [`task:${TaskState.TASK_STATE_SUBMITTED}`];
    for (let i = 1; i <= N; i++) expected.push(`status:${TaskState.TASK_STATE_WORKING}:step ${i}`, `artifact:out:chunk-${i};`);
    expected.push(`status:${TaskState.TASK_STATE_COMPLETED}:done`);
    assert.deepEqual(all, expected);
    assert.deepEqual(recorder.streams.at(-1), expected.slice(5).map((_, i) => i + 6), 'the resumed stream carries ids 6..N');
  });

  test(`${tag}: resubscribe without Last-Event-ID starts with the task as it is now`, async () => {
    const r = await client.sendMessage(L.sendParams('stream 4 150', { returnImmediately: true }));
    await L.sleep(250);
    const seen = [];
    for await (const e of client.resubscribeTask({ tenant: '', id: r.id })) seen.push(e);
    assert.equal(seen[0].payload.$case, 'task');
    const last = seen.at(-1).payload;
    assert.equal(last.$case, 'statusUpdate');
    assert.equal(last.value.status.state, TaskState.TASK_STATE_COMPLETED);
    // subscribing to a finished task without Last-Event-ID is refused (-32004)
    await assert.rejects(async () => { for await (const _ of client.resubscribeTask({ tenant: '', id: r.id })) { /* none */ } });
  });

  test(`${tag}: list tasks by context, paged, visible only to their caller`, async () => {
    const contextId = `ctx-${tag}-${crypto.randomUUID()}`;
    const a = await client.sendMessage(L.sendParams('echo one', { contextId }));
    const b = await client.sendMessage(L.sendParams('echo two', { contextId }));
    assert.equal(a.contextId, contextId);
    let page1, page2, otherPage;
    if (legacy) {
      // The SDK's v0.3 client has no listTasks (v0.3 JSON-RPC had no tasks/list); the broker's 0.3 `tasks/list` over fetch.
      await assert.rejects(client.listTasks({ tenant: '', contextId, pageToken: '' }));
      const all = (await L.rpc(target.id, caller.key, 'tasks/list', { contextId })).body.result;
      assert.deepEqual(new Set(all.tasks.map((t) => t.id)), new Set([a.id, b.id]));
      assert.ok(all.tasks.every((t) => t.kind === 'task' && t.status.state === 'completed'), '0.3 task shape');
      page1 = (await L.rpc(target.id, caller.key, 'tasks/list', { contextId, pageSize: 1 })).body.result;
      page2 = (await L.rpc(target.id, caller.key, 'tasks/list', { contextId, pageSize: 1, pageToken: page1.nextPageToken })).body.result;
      otherPage = (await L.rpc(target.id, other.key, 'tasks/list', { contextId })).body.result;
    } else {
      const all = await client.listTasks({ tenant: '', contextId, pageToken: '' });
      assert.deepEqual(new Set(all.tasks.map((t) => t.id)), new Set([a.id, b.id]));
      page1 = await client.listTasks({ tenant: '', contextId, pageSize: 1, pageToken: '' });
      page2 = await client.listTasks({ tenant: '', contextId, pageSize: 1, pageToken: page1.nextPageToken });
      otherPage = await otherClient.listTasks({ tenant: '', contextId, pageToken: '' });
    }
    assert.equal(page1.tasks.length, 1);
    assert.ok(page1.nextPageToken, 'a next page token');
    assert.equal(page2.tasks.length, 1);
    assert.notEqual(page1.tasks[0].id, page2.tasks[0].id);
    assert.deepEqual(new Set([page1.tasks[0].id, page2.tasks[0].id]), new Set([a.id, b.id]));
    assert.equal(otherPage.tasks.length, 0, "another agent does not see the caller's tasks");
  });

  test(`${tag}: push notifications: signed deliveries of every event, in order`, async () => {
    const hook = await L.startWebhook();
    try {
      const token = `tok-${crypto.randomBytes(8).toString('hex')}`;
      const push = { tenant: '', id: '', taskId: '', url: `${hook.url}/hook`, token, authentication: undefined };
      let r;
      try {
        r = await client.sendMessage(L.sendParams('stream 3 50', { returnImmediately: true, push }));
      } catch (e) {
        assert.fail(`${L.PUSH_ENV_HINT} (${e.message})`);
      }
      const final = await L.until(() => hook.deliveries.find((d) => JSON.stringify(d.json).includes('TASK_STATE_COMPLETED')),
        15000, 'the completed status to be pushed');
      assert.ok(final);
      const mine = hook.deliveries.filter((d) => d.path === '/hook');
      assert.ok(mine.length >= 8, `task + 3 x (status, artifact) + completed pushed (got ${mine.length})`);
      for (const d of mine) {
        assert.equal(d.headers['x-a2a-notification-token'], token);
        assert.ok(L.signatureOk(d, token), 'HMAC-SHA256 signature verifies');
        assert.equal(d.headers['content-type']?.split(';')[0], 'application/json');
      }
      const seqs = mine.map((d) => Number(d.headers['x-memroos-event-seq']));
      assert.deepEqual(seqs, seqs.map((_, i) => i + 1), 'one delivery per stored event, in order');
      assert.ok(mine[0].json.task, 'first delivery is the task (StreamResponse)');
      assert.equal(mine[0].json.task.id, r.id);
      // the webhook refuses nothing, so nothing is delivered twice
      await L.sleep(700);
      assert.equal(hook.deliveries.filter((d) => d.path === '/hook').length, mine.length);

      // config CRUD on another task
      const t2 = await client.sendMessage(L.sendParams('slow', { returnImmediately: true }));
      const created = await client.createTaskPushNotificationConfig({ tenant: '', id: '', taskId: t2.id,
        url: `${hook.url}/second`, token: '', authentication: undefined });
      assert.ok(created.id, 'an id is generated');
      assert.equal(created.taskId, t2.id);
      assert.equal(created.url, `${hook.url}/second`);
      assert.ok(created.token, 'a token is generated and returned');
      const got = await client.getTaskPushNotificationConfig({ tenant: '', taskId: t2.id, id: created.id });
      assert.equal(got.url, created.url);
      const listed = await client.listTaskPushNotificationConfig({ tenant: '', taskId: t2.id, pageSize: 0, pageToken: '' });
      assert.deepEqual(listed.configs.map((c) => c.id), [created.id]);
      await L.until(() => hook.deliveries.some((d) => d.path === '/second' && L.signatureOk(d, created.token)), 10000,
        'a delivery to the second config');
      await client.deleteTaskPushNotificationConfig({ tenant: '', taskId: t2.id, id: created.id });
      const after = await client.listTaskPushNotificationConfig({ tenant: '', taskId: t2.id, pageSize: 0, pageToken: '' });
      assert.equal(after.configs.length, 0);
      await client.cancelTask({ tenant: '', id: t2.id, metadata: undefined });
    } finally {
      await hook.close();
    }
  });

  test(`${tag}: JSON-RPC errors: unknown method, bad params, unknown task, another agent's task`, async () => {
    const unknown = await L.rpc(target.id, caller.key, legacy ? 'tasks/frobnicate' : 'Frobnicate', {}, { version: rpcVersion });
    assert.equal(unknown.body.error.code, -32601);
    const bad = await L.rpc(target.id, caller.key, m.get, { historyLength: 'lots' }, { version: rpcVersion });
    assert.equal(bad.body.error.code, -32602);
    const badSend = await L.rpc(target.id, caller.key, m.send, { message: 42 }, { version: rpcVersion });
    assert.equal(badSend.body.error.code, -32602);
    const missing = await L.rpc(target.id, caller.key, m.get, { id: crypto.randomUUID() }, { version: rpcVersion });
    assert.equal(missing.body.error.code, -32001);
    await rejectsAs(client.getTask({ tenant: '', id: crypto.randomUUID() }), TaskNotFoundError, -32001);

    const mine = await client.sendMessage(L.sendParams('echo private'));
    const foreign = await L.rpc(target.id, other.key, m.get, { id: mine.id }, { version: rpcVersion });
    assert.equal(foreign.body.error.code, -32001, "another agent's task is not found");
    await rejectsAs(otherClient.getTask({ tenant: '', id: mine.id }), TaskNotFoundError, -32001);
    await rejectsAs(otherClient.cancelTask({ tenant: '', id: mine.id, metadata: undefined }), TaskNotFoundError, -32001);
    // the operator sees it
    const op = await L.rpc(target.id, L.OPERATOR_KEY, m.get, { id: mine.id }, { version: rpcVersion });
    assert.equal(op.body.result.id, mine.id);
    // no key: 401 from the gateway
    const anon = await fetch(`${L.MEMROOS_URL}/a2a/agents/${target.id}`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: m.get, params: { id: mine.id } }) });
    assert.equal(anon.status, 401);
  });
}
