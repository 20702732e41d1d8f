// `npm run bench -- scale [--only=pages,rss,cold] [--sizes=1000,10000,100000,1000000] [--seconds=3]
//   [--rss-minutes=5] [--connections=50] [--cold-starts=3]`
// Three measurements of Gatehouse at scale, on PostgreSQL (pages, RSS) and PGlite (cold start):
// - pages: one organization grown in place (SQL, generate_series) to each size of members and audit
//   events; p50 / p99 of the first page and of a page at 90% of the list, one request at a time;
// - rss: a sustained load (session/get, me/get, members list) for --rss-minutes, RSS sampled at the
//   first fifth (minute 1 of 5) and at the end (minute 5): within 10% or the run fails;
// - cold: `node packages/server/dist/cli.js start` on a fresh PGlite data dir, time to the first 200
//   on /healthz (target < 3 s), and the same on the data dir it made; with the CPU time the server
//   had used by then (user + system), which a busy shared machine inflates less than the wall time.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { writeExtra } from '../lib/extra-report.js';
import { cursorOf, grower } from '../lib/grow.js';
import { load } from '../lib/load.js';
import { timeLoop } from '../lib/measure.js';
import { cycle, runTag } from '../lib/seed.js';
import { sessionHeaders, signedInUsers } from '../lib/sessions.js';
import { expectOk } from '../lib/target.js';
import { cleanup, freePort, freshSchema, median, requirePostgres, round, startServer, suiteArgs, updateDocs } from './common.js';

/** Open PGlite on a directory (argv[1]: fresh, or a copy of the template), say `ready`, close. */
const OPEN_PGLITE = `import { PGlite } from '@electric-sql/pglite';
const db = new PGlite(process.argv[1]);
await db.waitReady;
process.stdout.write('ready\\n');
await db.close();`;

const values = suiteArgs({
  only: { type: 'string', default: 'pages,rss,cold' },
  sizes: { type: 'string', default: '1000,10000,100000,1000000' },
  seconds: { type: 'string', default: '3' },
  'rss-minutes': { type: 'string', default: '5' },
  'cold-starts': { type: 'string', default: '3' },
});
const only = new Set(String(values.only).split(','));
const sizes = String(values.sizes).split(',').map(Number);
const connections = Number(values.connections);
const machine = await requirePostgres();
const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();
let failed = false;

try {
  if (only.has('pages')) await pages();
  if (only.has('rss')) await rss();
  if (only.has('cold')) await coldStart();
} finally {
  await cleanup();
}
updateDocs(machine);
if (failed) process.exit(1);

/** A Gatehouse child on a fresh schema, with an organization whose owner is signed in. */
async function gatehouseWithOrg() {
  const { child, target } = await startServer('gatehouse', await freshSchema('gatehouse'));
  const tag = `scale-${runTag()}`;
  const [owner] = await signedInUsers(target, 1, tag);
  if (!owner) throw new Error('no owner');
  const org = expectOk(
    await target.request('POST', '/backend/v1/organizations', { name: `Bench ${tag}`, createdBy: owner.userId }, target.backendHeaders),
    'POST /backend/v1/organizations',
  );
  return { child, target, owner, orgId: /** @type {string} */ (org.id), tag };
}

async function pages() {
  const { target, owner, orgId, tag } = await gatehouseWithOrg();
  const grow = await grower(target, orgId, tag);
  const seconds = Number(values.seconds);
  /** @type {Array<Record<string, number>>} */
  const rows = [];
  for (const size of sizes) {
    const started = Date.now();
    await grow.members(size);
    await grow.events(size);
    const seededMs = Date.now() - started;
    const deep = Math.max(1, Math.floor(size * 0.9));
    /** @param {string} path @param {RequestInit} init */
    const timed = (path, init) =>
      timeLoop(async () => {
        const res = await fetch(`${target.url}${path}`, init);
        if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
        await res.arrayBuffer();
      }, seconds);
    const members = (/** @type {string | undefined} */ cursor) =>
      timed('/v1/organizations/members/list', {
        method: 'POST',
        headers: sessionHeaders(owner.token),
        body: JSON.stringify({ organizationId: orgId, limit: 20, ...(cursor ? { cursor } : {}) }),
      });
    const audit = (/** @type {string | undefined} */ cursor) =>
      timed(`/backend/v1/organizations/${orgId}/audit-log?limit=20${cursor ? `&cursor=${cursor}` : ''}`, {
        headers: target.backendHeaders,
      });
    // The audit log is newest first: 90% down the list is the event at 10% from the oldest.
    const figures = {
      size,
      seededMs,
      membersFirst: await members(undefined),
      membersDeep: await members(cursorOf(grow.memberId(deep))),
      auditFirst: await audit(undefined),
      auditDeep: await audit(cursorOf(grow.eventId(Math.max(1, size - deep)))),
    };
    const row = {
      size,
      seededMs,
      membersFirstP50: figures.membersFirst.p50,
      membersFirstP99: figures.membersFirst.p99,
      membersDeepP50: figures.membersDeep.p50,
      membersDeepP99: figures.membersDeep.p99,
      auditFirstP50: figures.auditFirst.p50,
      auditFirstP99: figures.auditFirst.p99,
      auditDeepP50: figures.auditDeep.p50,
      auditDeepP99: figures.auditDeep.p99,
    };
    rows.push(row);
    console.log(
      `[bench] scale ${size.toLocaleString('en')} rows (seeded in ${seededMs} ms): p50 ms members first ${row.membersFirstP50} ` +
        `deep ${row.membersDeepP50} | audit first ${row.auditFirstP50} deep ${row.auditDeepP50}`,
    );
  }
  writeExtra('scale-pages', { command, machine, settings: { seconds, concurrency: 1 }, rows });
}

async function rss() {
  const { child, target, owner, orgId, tag } = await gatehouseWithOrg();
  const grow = await grower(target, orgId, tag);
  await grow.members(10_000);
  const users = await signedInUsers(target, 20, `${tag}-rss`);
  const next = cycle(users.map((u) => sessionHeaders(u.token)));
  const members = JSON.stringify({ organizationId: orgId, limit: 20 });
  /** @type {import('../lib/types.js').LoadRequests} */
  const requests = [
    { method: 'POST', path: '/v1/session/get', body: '{}', setupRequest: (req) => ({ ...req, headers: next() }) },
    { method: 'POST', path: '/v1/me/get', body: '{}', setupRequest: (req) => ({ ...req, headers: next() }) },
    { method: 'POST', path: '/v1/organizations/members/list', headers: sessionHeaders(owner.token), body: members },
  ];
  const seconds = Number(values['rss-minutes']) * 60;
  const startMb = child.rssMb();
  /** @type {number[]} */
  const samples = [];
  const sampler = setInterval(() => samples.push(child.rssMb()), 1000);
  let atFirstFifth = 0;
  let atEnd = 0;
  const first = setTimeout(() => (atFirstFifth = child.rssMb()), (seconds / 5) * 1000);
  const last = setTimeout(() => (atEnd = child.rssMb()), (seconds - 1) * 1000);
  console.log(`[bench] rss: ${seconds} s of load at ${connections} connections (RSS ${startMb} MiB at start)`);
  const figures = await load({ url: target.url, requests, connections, duration: seconds });
  clearInterval(sampler);
  clearTimeout(first);
  clearTimeout(last);
  atEnd ||= child.rssMb();
  const growth = round((atEnd - atFirstFifth) / atFirstFifth);
  const ok = Math.abs(growth) <= 0.1 && figures.non2xx === 0 && figures.errors === 0;
  if (!ok) failed = true;
  console.log(
    `[bench] rss: ${round(seconds / 60 / 5)} min ${atFirstFifth} MiB, ${round(seconds / 60)} min ${atEnd} MiB (${round(growth * 100)}%), ` +
      `max ${Math.max(...samples)} MiB; ${figures.reqPerSec} req/s, ${figures.non2xx} non-2xx: ${ok ? 'within 10%' : 'FAILED'}`,
  );
  writeExtra('scale-rss', {
    command,
    machine,
    settings: { seconds, connections },
    figures: {
      startMb,
      firstFifthMb: atFirstFifth,
      endMb: atEnd,
      maxMb: Math.max(...samples),
      growth,
      ok,
      reqPerSec: figures.reqPerSec,
      p50: figures.p50,
      p99: figures.p99,
      requests: figures.requests,
      non2xx: figures.non2xx,
      errors: figures.errors,
    },
  });
}

async function coldStart() {
  const cli = fileURLToPath(new URL('../../packages/server/dist/cli.js', import.meta.url));
  const { templateDir } = await import('../../packages/server/dist/db/template.js');
  const template = await templateDir();
  const hasTemplate = existsSync(join(template, 'PG_VERSION'));
  if (!hasTemplate)
    console.log(`[bench] cold start: no data dir template at ${template} (npm run build makes it): initdb on every fresh dir`);
  const count = Number(values['cold-starts']);
  /** @type {Array<{ ms: number, cpuMs: number | undefined }>} */
  const fresh = [];
  /** @type {Array<{ ms: number, cpuMs: number | undefined }>} */
  const again = [];
  for (let i = 0; i < count; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-cold-'));
    try {
      fresh.push(await timeToHealthy(cli, join(dir, 'data')));
      again.push(await timeToHealthy(cli, join(dir, 'data')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  // Where the time goes: a bare Node process; PGlite alone making a fresh cluster (its WASM and
  // initdb: what the template saves); PGlite alone opening a copy of the template (what is left).
  /** @type {number[]} */
  const nodeOnly = [];
  /** @type {number[]} */
  const pgliteOnly = [];
  /** @type {number[]} */
  const pgliteTemplate = [];
  for (let i = 0; i < count; i++) {
    nodeOnly.push(await timeToReady(['-e', "process.stdout.write('ready\\n')"]));
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-cold-'));
    try {
      pgliteOnly.push(await timeToReady(['--input-type=module', '-e', OPEN_PGLITE, join(dir, 'pgdata')]));
      if (hasTemplate) {
        cpSync(template, join(dir, 'copy'), { recursive: true });
        pgliteTemplate.push(await timeToReady(['--input-type=module', '-e', OPEN_PGLITE, join(dir, 'copy')]));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const ms = (/** @type {Array<{ ms: number }>} */ runs) => runs.map((r) => r.ms);
  const cpu = (/** @type {Array<{ cpuMs: number | undefined }>} */ runs) =>
    runs.every((r) => r.cpuMs !== undefined) ? median(runs.map((r) => /** @type {number} */ (r.cpuMs))) : undefined;
  const figures = {
    template: hasTemplate,
    freshMs: median(ms(fresh)),
    existingMs: median(ms(again)),
    freshRuns: ms(fresh),
    existingRuns: ms(again),
    freshCpuMs: cpu(fresh),
    existingCpuMs: cpu(again),
    nodeMs: median(nodeOnly),
    pgliteFreshMs: median(pgliteOnly),
    pgliteTemplateMs: hasTemplate ? median(pgliteTemplate) : undefined,
    ok: median(ms(fresh)) < 3000,
  };
  if (!figures.ok) failed = true;
  console.log(
    `[bench] cold start: fresh data dir ${ms(fresh).join(', ')} ms (median ${figures.freshMs}, CPU ${figures.freshCpuMs} ms), ` +
      `existing ${ms(again).join(', ')} ms (CPU ${figures.existingCpuMs} ms); bare node ${figures.nodeMs} ms, ` +
      `PGlite alone on a fresh dir ${figures.pgliteFreshMs} ms, on a copy of the template ${figures.pgliteTemplateMs} ms`,
  );
  writeExtra('scale-cold-start', { command, machine, settings: { count }, figures });
}

/**
 * CPU time (user + system) a process has used so far, from /proc (Linux); undefined elsewhere.
 * @param {number | undefined} pid
 */
function cpuMsOf(pid) {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th, in clock ticks (100 Hz).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/**
 * Spawn `node <args>` from the repository root; ms until it prints `ready`, then wait for its exit.
 * @param {string[]} args
 */
async function timeToReady(args) {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: fileURLToPath(new URL('../../', import.meta.url)),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const ms = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk) => {
      out += chunk;
      if (out.includes('ready')) resolve(Math.round(performance.now() - started));
    });
    child.once('exit', (code) => reject(new Error(`node ${args.join(' ')} exited (${code}) before it was ready`)));
  });
  await exited;
  return /** @type {number} */ (ms);
}

/**
 * Spawn `gatehouse start` on a PGlite data dir; ms until /healthz first answers 200, and the CPU time
 * it had used by then; then stop it.
 * @param {string} cli
 * @param {string} dataDir
 */
async function timeToHealthy(cli, dataDir) {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [cli, 'start'], {
    env: {
      ...process.env,
      DATABASE_URL: '',
      GATEHOUSE_SECRET_KEY: '',
      GATEHOUSE_ENCRYPTION_KEY: '',
      REDIS_URL: '',
      GATEHOUSE_DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`gatehouse start exited (${child.exitCode}): ${stderr}`);
      if (performance.now() - started > 60_000) throw new Error(`gatehouse start did not answer /healthz within 60 s: ${stderr}`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (res) => res.status === 200,
        () => false,
      );
      if (ok) return { ms: Math.round(performance.now() - started), cpuMs: cpuMsOf(child.pid) };
      await sleep(10);
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}
