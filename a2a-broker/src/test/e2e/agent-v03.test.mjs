// An agent that speaks only A2A 0.3 (built with the official JS SDK 0.3.14, installed as `a2a-sdk-v03`) behind the
// broker: the broker reads its 0.3 card and talks 0.3 JSON-RPC to it, while clients talk 1.0 (and 0.3) to the broker.
// Every answer the clients see is translated: TASK_STATE_* states, 1.0 parts, the broker's own task ids.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import crypto from 'node:crypto';
import express from 'express';
import { DefaultRequestHandler, InMemoryTaskStore } from 'a2a-sdk-v03/server';
import { jsonRpcHandler, agentCardHandler, UserBuilder } from 'a2a-sdk-v03/server/express';
import * as L from './lib.mjs';

const { TaskState } = L;

const text = (parts) => (parts || []).map((p) => (p.kind === 'text' ? p.text : '')).join('');
const agentMessage = (t, contextId, taskId) => ({
  kind: 'message', messageId: crypto.randomUUID(), role: 'agent', parts: [{ kind: 'text', text: t }], contextId, taskId,
});

/** The 0.3 executor: "echo X", "stream N" (status "step i" + chunk i), "ask" (input-required, then "hello NAME"), "slow". */
class V03Executor {
  canceled = new Set();

  async execute(ctx, bus) {
    const { taskId, contextId } = ctx;
    const input = text(ctx.userMessage.parts).trim();
    const status = (state, msg, final = false) => bus.publish({
      kind: 'status-update', taskId, contextId, final,
      status: { state, message: msg ? agentMessage(msg, contextId, taskId) : undefined, timestamp: new Date().toISOString() },
    });
    const artifact = (id, t, append, lastChunk) => bus.publish({
      kind: 'artifact-update', taskId, contextId, append, lastChunk,
      artifact: { artifactId: id, name: id, parts: [{ kind: 'text', text: t }] },
    });
    if (ctx.task) {
      bus.publish(ctx.task);
    } else {
      bus.publish({ kind: 'task', id: taskId, contextId, history: [ctx.userMessage], artifacts: [],
        status: { state: 'submitted', timestamp: new Date().toISOString() } });
    }
    if (ctx.task?.status?.state === 'input-required') {
      status('working', 'thanks');
      artifact('greeting', `hello ${input}`, false, true);
      status('completed', undefined, true);
    } else if (input === 'ask') {
      status('working');
      status('input-required', 'what is your name?', true);
    } else if (input.startsWith('stream ')) {
      const n = Number(input.split(/\s+/)[1]);
      for (let i = 1; i <= n; i++) {
        status('working', `step ${i}`);
        artifact('out', `chunk-${i};`, i > 1, i === n);
        await L.sleep(20);
      }
      status('completed', 'done', true);
    } else if (input === 'slow') {
      for (let i = 1; i <= 600 && !this.canceled.has(taskId); i++) {
        status('working', `tick ${i}`);
        await L.sleep(100);
      }
    } else {
      status('working');
      artifact('echo', `echo: ${input.replace(/^echo /, '')}`, false, true);
      status('completed', 'done', true);
    }
    bus.finished();
  }

  async cancelTask(taskId, bus) {
    this.canceled.add(taskId);
    bus.publish({ kind: 'status-update', taskId, contextId: '', final: true,
      status: { state: 'canceled', timestamp: new Date().toISOString() } });
    bus.finished();
  }
}

async function startV03Agent() {
  const card = {
    name: `e2e-v03-agent-${L.RUN}`, description: 'speaks only A2A 0.3 (JS SDK 0.3.14)', version: '1.0.0',
    protocolVersion: '0.3.0', url: '', preferredTransport: 'JSONRPC',
    capabilities: { streaming: true, pushNotifications: false },
    defaultInputModes: ['text/plain'], defaultOutputModes: ['text/plain'],
    skills: [{ id: 'echo', name: 'echo', description: 'echoes, streams, asks', tags: ['e2e'] }],
  };
  const handler = new DefaultRequestHandler(card, new InMemoryTaskStore(), new V03Executor());
  const app = express();
  app.use('/.well-known/agent-card.json', agentCardHandler({ agentCardProvider: handler }));
  app.use('/', jsonRpcHandler({ requestHandler: handler, userBuilder: UserBuilder.noAuthentication }));
  const server = http.createServer(app);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  card.url = `http://127.0.0.1:${server.address().port}/`;
  return { url: card.url, close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }) };
}

let agent, target, caller, client, legacyClient;

before(async () => {
  agent = await startV03Agent();
  target = await L.registerAgent(agent.url, `e2e-v03-target-${L.RUN}`);
  caller = await L.createCaller('v03-agent-caller');
  ({ client } = await L.brokerClient(target.id, caller.key));
  ({ client: legacyClient } = await L.brokerClient(target.id, caller.key, { legacy: true }));
});

after(async () => {
  await agent?.close();
});

test('0.3-only agent: the agent really speaks 0.3 (its own card, no 1.0 interfaces)', async () => {
  const card = await (await fetch(`${agent.url}.well-known/agent-card.json`)).json();
  assert.equal(card.protocolVersion, '0.3.0');
  assert.equal(card.supportedInterfaces, undefined);
  // and the broker's card for it is a 1.0 card naming the broker
  const broker = await (await fetch(`${L.MEMROOS_URL}/a2a/agents/${target.id}/.well-known/agent-card.json`)).json();
  assert.ok(broker.supportedInterfaces.some((i) => i.url === `${L.MEMROOS_URL}/a2a/agents/${target.id}` && i.protocolVersion === '1.0'));
});

test('0.3-only agent: a 1.0 client gets a translated blocking answer', async () => {
  const r = await client.sendMessage(L.sendParams('echo across versions'));
  assert.ok(L.isTask(r), JSON.stringify(r));
  assert.equal(r.status.state, TaskState.TASK_STATE_COMPLETED);
  assert.equal(L.partsText(r.artifacts[0].parts), 'echo: across versions');
  const again = await client.getTask({ tenant: '', id: r.id });
  assert.equal(again.status.state, TaskState.TASK_STATE_COMPLETED, 'stored as completed');
});

test('0.3-only agent: a 1.0 stream carries every translated event in order', async () => {
  const seen = [];
  for await (const e of client.sendMessageStream(L.sendParams('stream 3'))) {
    const p = e.payload;
    if (p.$case === 'statusUpdate') seen.push(`status:${p.value.status.state}:${L.partsText(p.value.status.message?.parts)}`);
    else if (p.$case === 'artifactUpdate') seen.push(`artifact:${L.partsText(p.value.artifact.parts)}`);
    else seen.push(p.$case);
  }
  assert.equal(seen[0], 'task');
  const rest = seen.slice(1).filter((s) => !s.startsWith(`status:${TaskState.TASK_STATE_SUBMITTED}`));
  assert.deepEqual(rest.filter((s) => s.startsWith('artifact')), ['artifact:chunk-1;', 'artifact:chunk-2;', 'artifact:chunk-3;']);
  const steps = rest.filter((s) => s.includes(':step '));
  assert.deepEqual(steps, [1, 2, 3].map((i) => `status:${TaskState.TASK_STATE_WORKING}:step ${i}`));
  assert.equal(seen.at(-1), `status:${TaskState.TASK_STATE_COMPLETED}:done`);
});

test('0.3-only agent: multi-turn input-required across versions', async () => {
  const r = await client.sendMessage(L.sendParams('ask'));
  assert.equal(r.status.state, TaskState.TASK_STATE_INPUT_REQUIRED);
  assert.equal(L.partsText(r.status.message.parts), 'what is your name?');
  const done = await client.sendMessage(L.sendParams('Hopper', { taskId: r.id, contextId: r.contextId }));
  assert.equal(done.id, r.id);
  assert.equal(done.status.state, TaskState.TASK_STATE_COMPLETED);
  assert.equal(L.partsText(done.artifacts.find((a) => a.artifactId === 'greeting').parts), 'hello Hopper');
});

test('0.3-only agent: cancel reaches the agent and the task ends canceled', async () => {
  const r = await client.sendMessage(L.sendParams('slow', { returnImmediately: true }));
  await L.until(async () => (await client.getTask({ tenant: '', id: r.id })).status.state === TaskState.TASK_STATE_WORKING,
    10000, 'the slow task to start working');
  const c = await client.cancelTask({ tenant: '', id: r.id });
  assert.equal(c.status.state, TaskState.TASK_STATE_CANCELED);
});

test('0.3-only agent: a 0.3 client works end to end too', async () => {
  const r = await legacyClient.sendMessage(L.sendParams('echo old to old'));
  assert.ok(L.isTask(r), JSON.stringify(r));
  assert.equal(r.status.state, TaskState.TASK_STATE_COMPLETED);
  assert.equal(L.partsText(r.artifacts[0].parts), 'echo: old to old');
});
