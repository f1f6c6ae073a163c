// Shared pieces of the broker's end-to-end tests: a real A2A agent built with the official JS SDK's server
// side, registration through the gateway, SDK clients pointed at the broker, a webhook receiver.
import http from 'node:http';
import crypto from 'node:crypto';
import express from 'express';
import { AgentEvent, DefaultRequestHandler, InMemoryTaskStore } from '@a2a-js/sdk/server';
import { jsonRpcHandler, agentCardHandler, UserBuilder } from '@a2a-js/sdk/server/express';
import {
  ClientFactory, ClientFactoryOptions, DefaultAgentCardResolver, JsonRpcTransportFactory,
  createAuthenticatingFetchWithRetry,
} from '@a2a-js/sdk/client';
import { Role, TaskState } from '@a2a-js/sdk';

export { Role, TaskState };

export const MEMROOS_URL = (process.env.MEMROOS_URL || '').replace(/\/$/, '');
export const OPERATOR_KEY = process.env.MEMROOS_OPERATOR_KEY || '';
if (!MEMROOS_URL || !OPERATOR_KEY) {
  throw new Error('MEMROOS_URL and MEMROOS_OPERATOR_KEY must be set (the suite is started by ./memroos test)');
}
export const RUN = `${Date.now().toString(36)}-${crypto.randomBytes(3).toString('hex')}`;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- the SDK agent ---------------------------------------------------------------------------------

export const textPart = (t) => ({ content: { $case: 'text', value: t }, metadata: undefined, filename: '', mediaType: 'text/plain' });
export const partsText = (parts) => (parts || []).map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join('');

function agentMessage(text, contextId, taskId) {
  return { messageId: crypto.randomUUID(), contextId, taskId, role: Role.ROLE_AGENT, parts: [textPart(text)],
    metadata: undefined, extensions: [], referenceTaskIds: [] };
}

/**
 * The executor. Commands (the message's text):
 *   "echo X"          -> working, artifact "echo: X", completed
 *   "stream N [ms]"   -> N x (working "step i", artifact chunk "chunk-i" appended), then completed; ms apart
 *   "ask"             -> input-required "what is your name?"; the follow-up text T completes with "hello T"
 *   "slow"            -> working updates every 100 ms (up to 60 s) until canceled
 *   "reply X"         -> a Message (no task) "reply: X"
 */
export class TestExecutor {
  canceled = new Set();

  async execute(ctx, bus) {
    const { taskId, contextId } = ctx;
    const input = partsText(ctx.userMessage.parts).trim();
    const status = (state, text) => bus.publish(AgentEvent.statusUpdate({
      taskId, contextId, metadata: undefined,
      status: { state, message: text ? agentMessage(text, contextId, taskId) : undefined, timestamp: new Date().toISOString() },
    }));
    const artifact = (id, text, append, lastChunk) => bus.publish(AgentEvent.artifactUpdate({
      taskId, contextId, append, lastChunk, metadata: undefined,
      artifact: { artifactId: id, name: id, description: '', parts: [textPart(text)], metadata: undefined, extensions: [] },
    }));

    if (input.startsWith('reply ')) {
      bus.publish(AgentEvent.message(agentMessage(`reply: ${input.slice(6)}`, contextId, undefined)));
      bus.finished();
      return;
    }
    if (ctx.task) {
      bus.publish(AgentEvent.task(ctx.task));
    } else {
      bus.publish(AgentEvent.task({ id: taskId, contextId, artifacts: [], history: [ctx.userMessage], metadata: undefined,
        status: { state: TaskState.TASK_STATE_SUBMITTED, message: undefined, timestamp: new Date().toISOString() } }));
    }

    if (ctx.task && ctx.task.status?.state === TaskState.TASK_STATE_INPUT_REQUIRED) {
      status(TaskState.TASK_STATE_WORKING, 'thanks');
      artifact('greeting', `hello ${input}`, false, true);
      status(TaskState.TASK_STATE_COMPLETED);
    } else if (input === 'ask') {
      status(TaskState.TASK_STATE_WORKING);
      status(TaskState.TASK_STATE_INPUT_REQUIRED, 'what is your name?');
    } else if (input.startsWith('stream ')) {
      const [, n, ms] = input.split(/\s+/);
      for (let i = 1; i <= Number(n); i++) {
        if (this.canceled.has(taskId)) return;
        status(TaskState.TASK_STATE_WORKING, `step ${i}`);
        artifact('out', `chunk-${i};`, i > 1, i === Number(n));
        await sleep(Number(ms || 30));
      }
      status(TaskState.TASK_STATE_COMPLETED, 'done');
    } else if (input === 'slow') {
      for (let i = 1; i <= 600; i++) {
        if (this.canceled.has(taskId)) return;
        status(TaskState.TASK_STATE_WORKING, `tick ${i}`);
        await sleep(100);
      }
      if (this.canceled.has(taskId)) return;
      status(TaskState.TASK_STATE_COMPLETED, 'slow done');
    } else {
      const text = input.startsWith('echo ') ? input.slice(5) : input;
      status(TaskState.TASK_STATE_WORKING);
      artifact('echo', `echo: ${text}`, false, true);
      status(TaskState.TASK_STATE_COMPLETED, 'done');
    }
    bus.finished();
  }

  async cancelTask(taskId, bus) {
    this.canceled.add(taskId);
    bus.publish(AgentEvent.statusUpdate({ taskId, contextId: '', metadata: undefined,
      status: { state: TaskState.TASK_STATE_CANCELED, message: undefined, timestamp: new Date().toISOString() } }));
    bus.finished();
  }
}

/** Starts the SDK agent on a free 127.0.0.1 port; `url` is its JSON-RPC endpoint (card at url/.well-known/agent-card.json). */
export async function startAgent(name = `e2e-agent-${RUN}`) {
  const card = {
    name, description: 'MemRoOS e2e test agent (official A2A JS SDK)', version: '1.0.0',
    supportedInterfaces: [{ url: '', protocolBinding: 'JSONRPC', protocolVersion: '1.0', tenant: '' }],
    provider: undefined, documentationUrl: undefined, iconUrl: undefined,
    capabilities: { streaming: true, pushNotifications: false, extensions: [], extendedAgentCard: false },
    securitySchemes: {}, securityRequirements: [], signatures: [],
    defaultInputModes: ['text/plain'], defaultOutputModes: ['text/plain'],
    skills: [{ id: 'echo', name: 'echo', description: 'echoes, streams, asks', tags: ['e2e'], examples: [],
      inputModes: [], outputModes: [], securityRequirements: [] }],
  };
  const executor = new TestExecutor();
  const handler = new DefaultRequestHandler(card, new InMemoryTaskStore(), executor);
  const app = express();
  app.use('/.well-known/agent-card.json', agentCardHandler({ agentCardProvider: handler }));
  app.use('/', jsonRpcHandler({ requestHandler: handler, userBuilder: UserBuilder.noAuthentication }));
  const server = http.createServer(app);
  server.keepAliveTimeout = 30_000;
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}/`;
  card.supportedInterfaces[0].url = url;
  return {
    url, card, executor,
    close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
  };
}

// ---- the gateway's API -----------------------------------------------------------------------------

export async function api(method, path, body, key = OPERATOR_KEY) {
  const res = await fetch(MEMROOS_URL + path, {
    method,
    headers: { Authorization: `Bearer ${key}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = text; }
  return { status: res.status, body: json, headers: res.headers };
}

async function mustApi(method, path, body, expected) {
  const r = await api(method, path, body);
  if (r.status !== expected) {
    throw new Error(`${method} ${path} -> ${r.status} ${JSON.stringify(r.body)} (expected ${expected})`);
  }
  return r.body;
}

/** Registers the SDK agent (endpoint kind a2a, url = its JSON-RPC URL; the broker reads the card beside it). */
export async function registerAgent(agentUrl, name = `e2e-target-${RUN}-${crypto.randomBytes(2).toString('hex')}`) {
  return mustApi('POST', '/api/agents', {
    name, owner: 'e2e', description: 'the SDK agent of the a2a-broker e2e suite', capabilities: ['a2a', 'e2e'],
    endpoint: { kind: 'a2a', url: agentUrl },
  }, 201);
}

/** A caller agent and one of its keys. */
export async function createCaller(label = 'caller') {
  const agent = await mustApi('POST', '/api/agents', {
    name: `e2e-${label}-${RUN}-${crypto.randomBytes(2).toString('hex')}`, owner: 'e2e', description: 'e2e caller',
    capabilities: ['e2e'], endpoint: { kind: 'rest', url: 'http://127.0.0.1:9/unused' },
  }, 201);
  const key = await mustApi('POST', `/api/agents/${agent.id}/keys`, { label: 'e2e' }, 201);
  return { id: agent.id, key: key.key };
}

// ---- SDK clients -----------------------------------------------------------------------------------

/**
 * A fetch that records the SSE `id:` of every event of every event-stream response, in order, per response
 * (`recorder.streams[i]` = the ids of the i-th stream), so a test knows which event ids the SDK client consumed.
 */
export function sseRecordingFetch() {
  const recorder = { streams: [], methods: [] };
  const f = async (input, init) => {
    if (typeof init?.body === 'string') {
      try { recorder.methods.push(JSON.parse(init.body).method); } catch { /* not JSON */ }
    }
    const res = await fetch(input, init);
    if (!res.body || !(res.headers.get('content-type') || '').startsWith('text/event-stream')) return res;
    const ids = [];
    recorder.streams.push(ids);
    const dec = new TextDecoder();
    let buf = '';
    const tap = new TransformStream({
      transform(chunk, ctl) {
        buf += dec.decode(chunk, { stream: true });
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i).replace(/\r$/, '');
          buf = buf.slice(i + 1);
          if (line.startsWith('id:')) ids.push(Number(line.slice(3).trim()));
        }
        ctl.enqueue(chunk);
      },
    });
    return new Response(res.body.pipeThrough(tap), { status: res.status, statusText: res.statusText, headers: res.headers });
  };
  return { fetch: f, recorder };
}

/**
 * An SDK client of agent `agentId` through the broker (card at MEMROOS_URL/a2a/agents/{id}/.well-known/...), sending
 * `Authorization: Bearer key` on every call (the SDK's authenticating fetch). `legacy` = the SDK's v0.3 compat path:
 * the 0.3 card (agent.json), the v0.3 JSON-RPC transport.
 */
export async function brokerClient(agentId, key, { legacy = false } = {}) {
  const { fetch: recording, recorder } = sseRecordingFetch();
  const fetchImpl = createAuthenticatingFetchWithRetry(recording, {
    headers: async () => ({ Authorization: `Bearer ${key}` }),
    shouldRetryWithHeaders: async () => undefined,
  });
  const compat = legacy ? { legacyCompat: { enabled: true } } : {};
  const factory = new ClientFactory(ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
    transports: [new JsonRpcTransportFactory({ fetchImpl, ...compat })],
    cardResolver: new DefaultAgentCardResolver({ fetchImpl, ...compat }),
    preferredTransports: ['JSONRPC'],
  }));
  const base = `${MEMROOS_URL}/a2a/agents/${agentId}`;
  // The full card URL with an empty path (new URL('', card) = card), as the SDK documents.
  const client = await factory.createFromUrl(`${base}/.well-known/${legacy ? 'agent.json' : 'agent-card.json'}`, '');
  return { client, recorder };
}

export function userMessage(text, { taskId, contextId } = {}) {
  return { messageId: crypto.randomUUID(), contextId: contextId ?? '', taskId: taskId ?? '', role: Role.ROLE_USER,
    parts: [textPart(text)], metadata: undefined, extensions: [], referenceTaskIds: [] };
}

export function sendParams(text, { taskId, contextId, returnImmediately = false, historyLength, push } = {}) {
  return {
    tenant: '', metadata: undefined,
    message: userMessage(text, { taskId, contextId }),
    configuration: { acceptedOutputModes: [], returnImmediately, historyLength, taskPushNotificationConfig: push },
  };
}

export const isTask = (r) => r && typeof r.id === 'string' && r.status !== undefined;

/** A JSON-RPC call to the broker over plain fetch (error cases the SDK client cannot produce). */
export async function rpc(agentId, key, method, params, { version } = {}) {
  const res = await fetch(`${MEMROOS_URL}/a2a/agents/${agentId}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', ...(version ? { 'A2A-Version': version } : {}) },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return { status: res.status, body: await res.json() };
}

/** Polls until fn() returns a truthy value (or throws after ms). */
export async function until(fn, ms, what) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(50);
  }
}

// ---- webhook receiver ------------------------------------------------------------------------------

/** A local webhook receiver; every delivery is kept with its headers and whether its signature verified. */
export async function startWebhook() {
  const deliveries = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      deliveries.push({ path: req.url, headers: req.headers, body, json: JSON.parse(body) });
      res.writeHead(200).end();
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    deliveries,
    close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
  };
}

export function signatureOk(delivery, token) {
  const ts = delivery.headers['x-memroos-timestamp'];
  const sig = delivery.headers['x-memroos-signature'];
  const want = 'sha256=' + crypto.createHmac('sha256', token).update(`${ts}.${delivery.body}`).digest('hex');
  return typeof sig === 'string' && sig.length === want.length && crypto.timingSafeEqual(Buffer.from(sig), Buffer.from(want));
}

export const PUSH_ENV_HINT = 'the broker refused a loopback webhook URL: the launcher must start a2a-broker in test mode with '
  + 'MEMROOS_A2A_PUSH_ALLOWED_URL_PREFIXES=http://127.0.0.1: (config memroos.a2a.push.allowed-url-prefixes)';
