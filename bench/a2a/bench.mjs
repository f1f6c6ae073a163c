// bench/a2a load driver: SendMessage (JSON-RPC, blocking, small text) to the SDK agent directly, through the gateway
// (/a2a/agents/{id}, agent key) and directly to the broker (gateway-style JWT), same concurrency, one run each.
// Expects a running suite: MEMROOS_URL, MEMROOS_OPERATOR_KEY, MEMROOS_DATA (for the signing key), BROKER_URL.
import http from 'node:http';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { spawn } from 'node:child_process';
import { registerAgent, createCaller } from '../../a2a-broker/src/test/e2e/lib.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
const DURATION = Number(args.duration || 10);
const CONNECTIONS = Number(args.connections || 16);
const WARMUP = Number(args.warmup || 2);
const GW = process.env.MEMROOS_URL;
const BROKER = process.env.BROKER_URL;

const agentProc = spawn(process.execPath, [new URL('./agent.mjs', import.meta.url).pathname], { stdio: ['ignore', 'pipe', 'inherit'] });
const agentUrl = await new Promise((resolve, reject) => {
  agentProc.stdout.once('data', (d) => resolve(String(d).trim()));
  agentProc.once('exit', (c) => reject(new Error(`agent exited ${c}`)));
});
const stopAgent = () => { try { agentProc.kill('SIGTERM'); } catch { /* gone */ } };
process.on('exit', stopAgent);

const target = await registerAgent(agentUrl, `bench-target-${Date.now()}`);
const caller = await createCaller('bench');

function jwt(agentId) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const head = b64({ alg: 'RS256', typ: 'JWT' });
  const body = b64({ iss: 'memroos-gateway', aud: 'memroos-internal', sub: `agent:${agentId}`, groups: ['agent'],
    agent_id: agentId, iat: now, exp: now + 3600, jti: `bench-${now}` });
  const key = fs.readFileSync(`${process.env.MEMROOS_DATA}/keys/internal-jwt.key.pem`, 'utf8');
  const sig = crypto.sign('sha256', Buffer.from(`${head}.${body}`), key).toString('base64url');
  return `${head}.${body}.${sig}`;
}

const targets = [
  { name: 'direct (SDK agent)', url: agentUrl, auth: undefined },
  { name: 'gateway -> broker', url: `${GW}/a2a/agents/${target.id}`, auth: `Bearer ${caller.key}` },
  { name: 'broker (JWT)', url: `${BROKER}/a2a/agents/${target.id}`, auth: `Bearer ${jwt(caller.id)}` },
];

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
let seq = 0;
function once(t) {
  const body = JSON.stringify({ jsonrpc: '2.0', id: ++seq, method: 'SendMessage', params: {
    message: { messageId: crypto.randomUUID(), role: 'ROLE_USER', parts: [{ text: 'echo bench' }] },
    configuration: { returnImmediately: false } } });
  const u = new URL(t.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent: keepAlive,
      headers: { 'Content-Type': 'application/json', 'A2A-Version': '1.0', 'Content-Length': Buffer.byteLength(body),
        ...(t.auth ? { Authorization: t.auth } : {}) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        if (res.statusCode !== 200 || !text.includes('TASK_STATE_COMPLETED')) reject(new Error(`${t.name}: ${res.statusCode} ${text.slice(0, 300)}`));
        else resolve();
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function load(t, seconds, keep = false) {
  const lat = [];
  let errors = 0;
  const end = Date.now() + seconds * 1000;
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    while (Date.now() < end) {
      const s = process.hrtime.bigint();
      try {
        await once(t);
        lat.push(Number(process.hrtime.bigint() - s) / 1e6);
      } catch (e) {
        if (++errors === 1) console.error(e.message);
      }
    }
  }));
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  if (keep) return { lat, errors, secs, rps: lat.length / secs };
  lat.sort((a, b) => a - b);
  const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? NaN;
  return { n: lat.length, errors, rps: lat.length / secs, p50: q(0.5), p99: q(0.99) };
}

// CPU time (user + system, ms) of every java and node process on the machine, by a short name
function cpuByProcess() {
  const out = {};
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (!/java|node/.test(cmd.split(' ')[0])) continue;
      const name = (cmd.match(/([a-z-]+)\/target\/quarkus-app/) || [])[1]
        || (cmd.match(/([\w-]+\.mjs)/) || [])[1] || cmd.split(' ')[0];
      const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      out[`${name} (${pid})`] = (Number(f[11]) + Number(f[12])) * 10; // utime + stime, 100 ticks/s
    } catch { /* gone */ }
  }
  return out;
}

if (args.only) { // profiling aid: load one path only (direct|gateway|broker), then CPU ms per request by process
  const t = targets[{ direct: 0, gateway: 1, broker: 2 }[args.only]];
  await load(t, WARMUP);
  const before = cpuByProcess();
  const r = await load(t, DURATION);
  const after = cpuByProcess();
  console.log(t.name, r);
  for (const [k, v] of Object.entries(after)) {
    const d = v - (before[k] ?? v);
    if (d > 0) console.log(`  ${k.padEnd(40)} ${(d / r.n).toFixed(3)} ms CPU per request`);
  }
  stopAgent();
  process.exit(0);
}
for (const t of targets) await once(t); // each path works before measuring
const ROUNDS = Number(args.rounds || 2);
console.log(`SendMessage (blocking, "echo bench"), ${CONNECTIONS} connections; every path warmed ${WARMUP}s, then `
  + `${ROUNDS} interleaved rounds of ${DURATION}s per path; `
  + `load avg ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
for (const t of targets) await load(t, WARMUP); // every path (and each JVM's JIT) is warm before any is measured
// interleaved rounds: a burst of other work on the machine hits every path alike
const runs = targets.map(() => []);
for (let r = 0; r < ROUNDS; r++) {
  for (let i = 0; i < targets.length; i++) runs[i].push(await load(targets[i], DURATION, true));
}
const results = targets.map((t, i) => {
  const lat = runs[i].flatMap((x) => x.lat).sort((a, b) => a - b);
  const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? NaN;
  const secs = runs[i].reduce((a, x) => a + x.secs, 0);
  const r = { ...t, n: lat.length, errors: runs[i].reduce((a, x) => a + x.errors, 0), rps: lat.length / secs,
    p50: q(0.5), p99: q(0.99), perRound: runs[i].map((x) => x.rps.toFixed(0)).join('/') };
  console.log(`${t.name.padEnd(20)} ${String(r.n).padStart(7)} req  ${r.rps.toFixed(0).padStart(6)} req/s  `
    + `p50 ${r.p50.toFixed(2).padStart(7)} ms  p99 ${r.p99.toFixed(2).padStart(7)} ms  errors ${r.errors}  `
    + `(req/s per round ${r.perRound})`);
  return r;
});
const [direct, gw, br] = results;
for (const r of [gw, br]) {
  console.log(`${r.name.padEnd(20)} throughput ${(100 * r.rps / direct.rps).toFixed(0)}% of direct, `
    + `p50 +${(r.p50 - direct.p50).toFixed(2)} ms, p99 +${(r.p99 - direct.p99).toFixed(2)} ms`);
}
console.log(`target: broker >= 60% of direct throughput, < 3 ms added at p50 -> `
  + `${br.rps >= 0.6 * direct.rps && br.p50 - direct.p50 < 3 ? 'met' : 'NOT met'} (broker direct), `
  + `${gw.rps >= 0.6 * direct.rps && gw.p50 - direct.p50 < 3 ? 'met' : 'NOT met'} (through the gateway)`);
console.log(`load avg after: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
stopAgent();
process.exit(0);
