// bench/bus: the context bus end to end (send -> receive -> ack) at several concurrencies, beside the same
// flow through RabbitMQ (persistent messages, publisher confirms, manual acks). Run through ../bus.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import amqp from 'amqplib';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1] && !all[i + 1].startsWith('--') ? all[i + 1] : 'true']);
  return acc;
}, []));
const JAR = args.jar;
const DURATION = Number(args.duration ?? 10);
const WARMUP = Number(args.warmup ?? 8); // the bus is a fresh JVM: let the JIT settle before the first row
const BATCH = Number(args.batch ?? 100); // long-poll max and batch-ack size on the bus = consumer prefetch on RabbitMQ
const LEVELS = (args.levels ?? '1,10,100').split(',').map(Number);
const PORT = Number(args.port ?? 28184);
const AMQP_URL = args.amqp ?? 'amqp://guest:guest@127.0.0.1:5672';
const SKIP_RABBIT = args['skip-rabbit'] === 'true';
const WINDOW = 500; // unacknowledged messages a sender lets pile up for its peer before it waits

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

// ---- the context bus ------------------------------------------------------------------------------

const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

function jwt(agent) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const iat = Math.floor(Date.now() / 1000);
  const head = b64({ alg: 'RS256', typ: 'JWT' });
  const body = b64({ iss: 'memroos-gateway', aud: 'memroos-internal', sub: `agent:${agent}`, groups: ['agent'],
    agent_id: agent, iat, exp: iat + 300 }); // signed at the start of each run
  const sig = crypto.sign('RSA-SHA256', Buffer.from(`${head}.${body}`), privateKey).toString('base64url');
  return `${head}.${body}.${sig}`;
}

function fakeRegistry() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    res.setHeader('Content-Type', 'application/json');
    if (url.pathname === '/internal/agents') {
      res.end(JSON.stringify({ items: [], nextCursor: null }));
      return;
    }
    const id = decodeURIComponent(url.pathname.slice('/internal/agents/'.length));
    res.end(JSON.stringify({ id, name: id, capabilities: [], status: 'active', liveness: 'online',
      endpoint: { kind: 'rest', url: 'http://127.0.0.1:9/' + id } }));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

function call(method, p, token, body) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request({ host: '127.0.0.1', port: PORT, method, path: p, agent, headers: {
      Authorization: `Bearer ${token}`, 'Content-Type': 'application/json',
      ...(data ? { 'Content-Length': data.length } : {}),
    } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

async function portInUse() {
  try { await call('GET', '/q/health/live', 'none'); return true; } catch { return false; }
}

async function startBus(dataDir, registryUrl) {
  if (await portInUse()) throw new Error(`port ${PORT} is taken; pass --port`);
  const logFile = fs.openSync(path.join(dataDir, 'bus.log'), 'a');
  const proc = spawn('java', [...(process.env.MEMROOS_JAVA_OPTS ?? '-Xms64m -Xmx512m -XX:+UseSerialGC').split(' '),
    '-jar', JAR], {
    env: { ...process.env, QUARKUS_HTTP_PORT: String(PORT), MEMROOS_DATA: dataDir, MEMROOS_REGISTRY_URL: registryUrl },
    stdio: ['ignore', logFile, logFile],
  });
  for (let i = 0; i < 300; i++) {
    try {
      const r = await call('GET', '/q/health/ready', 'none');
      if (r.status === 200) return proc;
    } catch { /* starting */ }
    if (proc.exitCode !== null) throw new Error(`the bus exited; see ${dataDir}/bus.log`);
    await sleep(200);
  }
  throw new Error('the bus did not become ready');
}

/** n agents in a ring: each sends to the next one and receives from the previous one, for `seconds`. */
async function runBus(n, seconds, tag) {
  const ids = Array.from({ length: n }, (_, i) => `agt_${tag}_${n}_${i}`);
  const tokens = ids.map(jwt);
  const st = { sent: 0, delivered: 0, lat: [], errors: 0, measuring: false, stop: false };
  const outstanding = new Array(n).fill(0); // per receiver: sent, not yet acked
  const senders = ids.map(async (from, i) => {
    const to = (i + 1) % n;
    while (!st.stop) {
      if (outstanding[to] >= WINDOW) { await sleep(1); continue; }
      const t = now();
      const r = await call('POST', '/api/agent-context/messages', tokens[i], { to: [ids[to]], body: { t, m: st.measuring } });
      if (r.status === 201) { outstanding[to]++; if (st.measuring) st.sent++; } else { if (st.errors++ === 0) console.error(`send: ${r.status} ${r.body}`); await sleep(5); }
    }
  });
  const receivers = ids.map(async (me, i) => {
    while (!st.stop) {
      const r = await call('GET', `/api/agent-context/inbox?wait=1&max=${BATCH}`, tokens[i]);
      if (r.status !== 200) { if (st.errors++ === 0) console.error(`receive: ${r.status} ${r.body}`); await sleep(5); continue; }
      const items = JSON.parse(r.body).items;
      if (items.length === 0) continue;
      const t = now();
      const acks = items.map((it) => ({ messageId: it.message.id, receipt: it.receipt }));
      const a = await call('POST', '/api/agent-context/inbox/ack', tokens[i], { acks });
      if (a.status !== 200) { st.errors++; continue; }
      outstanding[i] -= items.length;
      if (st.measuring) {
        st.delivered += items.length;
        for (const it of items) if (it.message.body.m) st.lat.push(t - it.message.body.t);
      }
    }
  });
  return measure(st, seconds, [...senders, ...receivers]);
}

async function measure(st, seconds, loops) {
  await sleep(500); // ramp up
  st.measuring = true;
  const t0 = now();
  await sleep(seconds * 1000);
  st.measuring = false;
  const elapsed = (now() - t0) / 1000;
  st.stop = true;
  await Promise.allSettled(loops);
  const lat = st.lat.sort((a, b) => a - b);
  return { sent: st.sent / elapsed, delivered: st.delivered / elapsed, p50: percentile(lat, 50),
    p99: percentile(lat, 99), errors: st.errors };
}

// ---- RabbitMQ: the same ring, persistent messages, publisher confirms, manual acks --------------------

async function runRabbit(n, seconds, tag) {
  const pubConn = await amqp.connect(AMQP_URL);
  const subConn = await amqp.connect(AMQP_URL);
  const queues = Array.from({ length: n }, (_, i) => `bench.bus.${tag}.${n}.${i}.${process.pid}`);
  const admin = await pubConn.createChannel();
  for (const q of queues) await admin.assertQueue(q, { durable: true });
  const st = { sent: 0, delivered: 0, lat: [], errors: 0, measuring: false, stop: false };
  const outstanding = new Array(n).fill(0);
  const consumers = [];
  for (let i = 0; i < n; i++) {
    const ch = await subConn.createChannel();
    await ch.prefetch(BATCH);
    await ch.consume(queues[i], (msg) => {
      if (!msg) return; // cancelled
      const t = now();
      const body = JSON.parse(msg.content.toString());
      ch.ack(msg);
      outstanding[i]--;
      if (st.measuring) { st.delivered++; if (body.m) st.lat.push(t - body.t); }
    }, { noAck: false });
    consumers.push(ch);
  }
  const senders = queues.map(async (_, i) => {
    const ch = await pubConn.createConfirmChannel();
    const to = (i + 1) % n;
    while (!st.stop) {
      if (outstanding[to] >= WINDOW) { await sleep(1); continue; }
      const t = now();
      ch.sendToQueue(queues[to], Buffer.from(JSON.stringify({ t, m: st.measuring })), { persistent: true });
      try { await ch.waitForConfirms(); outstanding[to]++; if (st.measuring) st.sent++; } catch { st.errors++; }
    }
    await ch.close();
  });
  const result = await measure(st, seconds, senders);
  await sleep(200);
  for (const ch of consumers) await ch.close();
  for (const q of queues) await admin.deleteQueue(q);
  await pubConn.close();
  await subConn.close();
  return result;
}

// ---- main --------------------------------------------------------------------------------------------

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'memroos-bench-bus-'));
fs.mkdirSync(path.join(dataDir, 'keys'));
fs.writeFileSync(path.join(dataDir, 'keys', 'internal-jwt.key.pem'), privateKey, { mode: 0o600 });
fs.writeFileSync(path.join(dataDir, 'keys', 'internal-jwt.pub.pem'), publicKey);
const registry = await fakeRegistry();
let bus;
try {
  bus = await startBus(dataDir, `http://127.0.0.1:${registry.address().port}`);
  process.on('exit', () => bus.kill('SIGKILL')); // never leave the bus behind, even on a crash of the bench
  console.log(`context-bus up on ${PORT} (data ${dataDir}); warming up ${WARMUP}s`);
  await runBus(10, WARMUP, 'warm');
  const rows = [];
  for (const n of LEVELS) {
    const b = await runBus(n, DURATION, 'run');
    const r = SKIP_RABBIT ? null : await runRabbit(n, DURATION, 'run');
    rows.push({ n, b, r });
    console.log(`  ${n} agents: bus ${b.delivered.toFixed(0)}/s p99 ${b.p99.toFixed(1)} ms`
      + (r ? `; rabbitmq ${r.delivered.toFixed(0)}/s p99 ${r.p99.toFixed(1)} ms` : ''));
  }
  const f = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '-').padStart(9);
  console.log(`\nend to end: send -> receive -> ack, ${DURATION}s per row, ${os.cpus().length} cores, `
    + `load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`bus: long poll wait=1 max=${BATCH}, one batch ack per poll, keep-alive HTTP; `
    + `rabbitmq: prefetch ${BATCH}, manual ack per message, publisher confirm per send; send window ${WINDOW} per inbox`);
  console.log('agents | system      |  sent/s | deliv/s |  p50 ms |  p99 ms | errors');
  for (const { n, b, r } of rows) {
    console.log(`${String(n).padStart(6)} | context-bus |${f(b.sent)}|${f(b.delivered)}|${f(b.p50, 1)}|${f(b.p99, 1)}| ${b.errors}`);
    if (r) {
      console.log(`${String(n).padStart(6)} | rabbitmq    |${f(r.sent)}|${f(r.delivered)}|${f(r.p50, 1)}|${f(r.p99, 1)}| ${r.errors}`);
      console.log(`${String(n).padStart(6)} | bus/rabbit  |${f(b.sent / r.sent, 2)}|${f(b.delivered / r.delivered, 2)}|${f(b.p50 / r.p50, 2)}|${f(b.p99 / r.p99, 2)}|`);
    }
  }
} finally {
  if (bus) { bus.kill('SIGTERM'); await new Promise((r) => bus.once('exit', r)); }
  registry.close();
  agent.destroy();
  if (!args['keep-data']) fs.rmSync(dataDir, { recursive: true, force: true });
}
