// `npm run bench -- peers [--rounds=3] [--members=10000] [--duration=5] [--warmup=2] [--connections=50]`
// Gatehouse beside a peer, Better Auth with its organization plugin (bench/peers/better-auth/, installed
// there on first use with `npm install --prefix`, never a dependency of Gatehouse), and beside the
// floor: get-session, list-members and create-invitation, each side in turn, several rounds.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startChild } from '../lib/child.js';
import { writeExtra } from '../lib/extra-report.js';
import { load } from '../lib/load.js';
import { cycle, runTag } from '../lib/seed.js';
import { BENCH_PASSWORD, sessionHeaders, signedInUsers } from '../lib/sessions.js';
import { makeTarget } from '../lib/target.js';
import {
  cleanup,
  freshSchema,
  median,
  onCleanup,
  postgresUrl,
  requirePostgres,
  round,
  secretKey,
  serverEnv,
  startServer,
  suiteArgs,
  updateDocs,
} from './common.js';

const values = suiteArgs({ rounds: { type: 'string', default: '3' }, members: { type: 'string', default: '10000' } });
const options = { duration: Number(values.duration), warmup: Number(values.warmup), connections: Number(values.connections) };
const rounds = Number(values.rounds);
const members = Number(values.members);
const SESSIONS = 20;
/** The Origin Better Auth trusts (bench/peers/better-auth/server.js); its CSRF check wants it on every POST. */
const PEER_ORIGIN = 'http://localhost:3000';
const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();

const peerDir = fileURLToPath(new URL('../peers/better-auth/', import.meta.url));
if (!existsSync(join(peerDir, 'node_modules/better-auth/package.json'))) {
  console.log('[bench] peers: installing Better Auth into bench/peers/better-auth/ (first use)');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const installed = spawnSync(npm, ['install', '--prefix', peerDir, '--no-audit', '--no-fund', '--no-package-lock'], { stdio: 'inherit' });
  if (installed.status !== 0) throw new Error('npm install --prefix bench/peers/better-auth failed');
}
const peerVersion = JSON.parse(readFileSync(join(peerDir, 'node_modules/better-auth/package.json'), 'utf8')).version;

const machine = await requirePostgres();
// The organization of `members` members on Gatehouse and the floor (bench/lib/org.js reads BENCH_MEMBERS when loaded).
process.env.BENCH_MEMBERS = String(members);
const { bigOrg } = await import('../lib/org.js');

/** @typedef {'gatehouse' | 'betterAuth' | 'floor'} Side */
/** @type {Side[]} */
const SIDES = ['gatehouse', 'betterAuth', 'floor'];
let failed = false;

try {
  const [gDb, fDb] = await Promise.all([freshSchema('gatehouse'), freshSchema('floor')]);
  const peerDb = await createPeerDatabase();
  const [g, f, p] = await Promise.all([
    startServer('gatehouse', gDb),
    startServer('floor', fDb, { BENCH_SCENARIOS: 'session-me,members-first,invitation-create' }),
    startChild(join(peerDir, 'server.js'), { ...serverEnv, PEER_DATABASE_URL: peerDb, PEER_SECRET: `${secretKey}${secretKey}` }),
  ]);
  onCleanup(() => p.stop());
  const peer = makeTarget('gatehouse', 'postgres', p.url, secretKey);
  console.log(`[bench] peers: Gatehouse pid ${g.child.pid}, Better Auth ${peerVersion} pid ${p.pid}, floor pid ${f.child.pid}`);

  const tag = `peer-${runTag()}`;
  const [gOrg, fOrg, pState] = await Promise.all([bigOrg(g.target), bigOrg(f.target), seedPeer(peer, tag)]);
  const [gUsers, fUsers] = await Promise.all([
    signedInUsers(g.target, SESSIONS, `${tag}-s`),
    signedInUsers(f.target, SESSIONS, `${tag}-s`),
  ]);
  console.log(`[bench] peers: seeded ${members.toLocaleString('en')} members and ${SESSIONS} sessions on each side`);

  let invite = 0;
  const inviteEmail = () => `${tag}-invite-${++invite}@example.com`;
  const ownerG = sessionHeaders(gOrg.ownerToken);
  /** @type {(cookie: string) => Record<string, string>} */
  const peerHeaders = (cookie) => ({ cookie, origin: PEER_ORIGIN, 'content-type': 'application/json' });
  const ownerP = peerHeaders(pState.ownerCookie);

  /**
   * Each operation: its title, what each side runs, and each side's requests.
   * @type {Array<{ op: string, title: string, what: string, url: Record<Side, string>, requests: Record<Side, () => import('../lib/types.js').LoadRequests> }>}
   */
  const operations = [
    {
      op: 'get-session',
      title: 'get-session (the session and its user, by session token)',
      what:
        'Gatehouse `POST /v1/session/get` with the token in `Authorization`; Better Auth `GET /api/auth/get-session` with its session cookie ' +
        '(no cookie cache, its default); floor: the `me/get` floor (one select of the live session joined to its user), rotating over 20 sessions each',
      url: { gatehouse: g.target.url, betterAuth: p.url, floor: f.target.url },
      requests: {
        gatehouse: () =>
          rotating(
            'POST',
            '/v1/session/get',
            gUsers.map((u) => sessionHeaders(u.token)),
          ),
        betterAuth: () => rotating('GET', '/api/auth/get-session', pState.cookies.map(peerHeaders)),
        floor: () =>
          rotating(
            'POST',
            '/v1/me/get',
            fUsers.map((u) => sessionHeaders(u.token)),
          ),
      },
    },
    {
      op: 'list-members',
      title: `list-members (first page of 20, ${members.toLocaleString('en')} members)`,
      what:
        'Gatehouse `POST /v1/organizations/members/list` (session, membership and permission check, keyset page); Better Auth ' +
        '`GET /api/auth/organization/list-members?limit=20` (session, membership check, offset page and its total count); floor: the ' +
        'members floor (session select, one keyset-paged select), as the owner',
      url: { gatehouse: g.target.url, betterAuth: p.url, floor: f.target.url },
      requests: {
        gatehouse: () => [
          {
            method: 'POST',
            path: '/v1/organizations/members/list',
            headers: ownerG,
            body: JSON.stringify({ organizationId: gOrg.orgId, limit: 20 }),
          },
        ],
        betterAuth: () => [
          { method: 'GET', path: `/api/auth/organization/list-members?organizationId=${pState.orgId}&limit=20`, headers: ownerP },
        ],
        floor: () => [
          {
            method: 'POST',
            path: '/v1/organizations/members/list',
            headers: sessionHeaders(fOrg.ownerToken),
            body: JSON.stringify({ organizationId: fOrg.orgId, limit: 20 }),
          },
        ],
      },
    },
    {
      op: 'create-invitation',
      title: 'create-invitation (a new address each time, no email sent)',
      what:
        'Gatehouse `POST /v1/organizations/invitations/create` with `sendEmail: false` (session, permission check, invitation and audit event ' +
        'in one transaction); Better Auth `POST /api/auth/organization/invite-member` (no `sendInvitationEmail` configured); floor: the ' +
        'invitation-create floor (one statement inserting the invitation and its audit event; it checks no session)',
      url: { gatehouse: g.target.url, betterAuth: p.url, floor: f.target.url },
      requests: {
        gatehouse: () => [
          {
            method: 'POST',
            path: '/v1/organizations/invitations/create',
            headers: ownerG,
            setupRequest: (req) => ({
              ...req,
              body: JSON.stringify({ organizationId: gOrg.orgId, email: inviteEmail(), role: 'member', sendEmail: false }),
            }),
          },
        ],
        betterAuth: () => [
          {
            method: 'POST',
            path: '/api/auth/organization/invite-member',
            headers: ownerP,
            setupRequest: (req) => ({
              ...req,
              body: JSON.stringify({ organizationId: pState.orgId, email: inviteEmail(), role: 'member' }),
            }),
          },
        ],
        floor: () => [
          {
            method: 'POST',
            path: `/backend/v1/organizations/${fOrg.orgId}/invitations`,
            headers: { ...f.target.backendHeaders, 'content-type': 'application/json' },
            setupRequest: (req) => ({ ...req, body: JSON.stringify({ email: inviteEmail(), role: 'member' }) }),
          },
        ],
      },
    },
  ];

  const pids = { gatehouse: g.child.pid, betterAuth: p.pid, floor: f.child.pid };
  /** @type {Record<string, Record<Side, import('../lib/types.js').LoadFigures[]>>} */
  const figures = {};
  for (let r = 0; r < rounds; r++) {
    const order = [...SIDES.slice(r % SIDES.length), ...SIDES.slice(0, r % SIDES.length)];
    for (const operation of operations) {
      figures[operation.op] ??= { gatehouse: [], betterAuth: [], floor: [] };
      for (const side of order) {
        const requests = operation.requests[side]();
        await probe(operation.url[side], requests, `${operation.op} on ${side}`);
        await load({ url: operation.url[side], requests, connections: options.connections, duration: options.warmup });
        await sleep(1000);
        const result = await load({
          url: operation.url[side],
          requests,
          connections: options.connections,
          duration: options.duration,
          pid: pids[side],
        });
        if (result.non2xx > 0 || result.errors > 0) {
          failed = true;
          console.error(`[bench] peers: ${operation.op} on ${side}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
        }
        figures[operation.op]?.[side].push(result);
        console.log(
          `[bench] peers round ${r + 1}: ${operation.op} on ${side}: ${result.reqPerSec} req/s p50 ${result.p50} ms p99 ${result.p99} ms`,
        );
      }
    }
  }

  const rows = operations.map((o) => {
    const of = (/** @type {Side} */ side) => {
      const runs = figures[o.op]?.[side] ?? [];
      return {
        reqPerSec: median(runs.map((x) => x.reqPerSec)),
        p50: median(runs.map((x) => x.p50)),
        p99: median(runs.map((x) => x.p99)),
        rounds: runs.map((x) => x.reqPerSec),
      };
    };
    const sides = { gatehouse: of('gatehouse'), betterAuth: of('betterAuth'), floor: of('floor') };
    return {
      op: o.op,
      title: o.title,
      what: o.what,
      ...sides,
      vsPeer: round(sides.gatehouse.reqPerSec / sides.betterAuth.reqPerSec),
      vsFloor: round(sides.gatehouse.reqPerSec / sides.floor.reqPerSec),
    };
  });
  for (const row of rows)
    console.log(`[bench] peers: ${row.op}: Gatehouse / Better Auth ${row.vsPeer}x, Gatehouse / floor ${row.vsFloor}x`);
  writeExtra('peers', { command, machine, peerVersion, members, sessions: SESSIONS, rounds, settings: options, failed, operations: rows });
  // Let requests that autocannon abandoned at its deadline finish before the servers and their pools stop.
  await sleep(1000);
} finally {
  await cleanup();
}
updateDocs(machine);
if (failed) {
  console.error('[bench] peers: some runs had errors or non-2xx answers: their figures are not comparable');
  process.exit(1);
}

/**
 * A request that rotates over sets of headers (one per session).
 * @param {string} method
 * @param {string} path
 * @param {Record<string, string>[]} headers
 * @returns {import('../lib/types.js').LoadRequests}
 */
function rotating(method, path, headers) {
  const next = cycle(headers);
  return [{ method, path, ...(method === 'GET' ? {} : { body: '{}' }), setupRequest: (req) => ({ ...req, headers: next() }) }];
}

/** A database of its own for Better Auth on the same PostgreSQL server, dropped at cleanup; its URL. */
async function createPeerDatabase() {
  const name = `bench_peer_${process.pid}_${runTag()}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  onCleanup(async () => {
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    await client.query(`drop database if exists "${name}" with (force)`);
    await client.end();
  });
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * Better Auth's side: the owner and the organization through its API, the members by SQL, then
 * SESSIONS more users signed up through the API (each a session cookie).
 * @param {import('../lib/types.js').Target} peer
 * @param {string} tag
 */
async function seedPeer(peer, tag) {
  /** @param {string} email */
  const signUp = async (email) => {
    const res = await fetch(`${peer.url}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: { origin: PEER_ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: BENCH_PASSWORD, name: 'Bench' }),
    });
    if (!res.ok) throw new Error(`Better Auth sign-up answered ${res.status}: ${await res.text()}`);
    const cookie = res.headers
      .getSetCookie()
      .find((c) => c.startsWith('better-auth.session_token='))
      ?.split(';')[0];
    if (!cookie) throw new Error('Better Auth sign-up set no session cookie');
    return cookie;
  };
  const ownerCookie = await signUp(`${tag}-owner@example.com`);
  const created = await fetch(`${peer.url}/api/auth/organization/create`, {
    method: 'POST',
    headers: { cookie: ownerCookie, origin: PEER_ORIGIN, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `Bench ${tag}`, slug: tag }),
  });
  if (!created.ok) throw new Error(`Better Auth organization/create answered ${created.status}: ${await created.text()}`);
  const orgId = /** @type {string} */ ((await created.json()).id);
  for (let from = 1; from <= members; from += 5000) {
    await peer.sql(
      `with u as (
         insert into "user" (id, name, email, "emailVerified", "createdAt", "updatedAt")
         select 'bu_' || $1 || '_' || n, 'Bench User ' || n, $1 || '-m' || n || '@example.com', true, now(), now()
           from generate_series($2::int, $3::int) as n
         returning id
       )
       insert into member (id, "organizationId", "userId", role, "createdAt") select 'bm_' || substr(u.id, 4), $4, u.id, 'member', now() from u`,
      [tag, from, Math.min(members, from + 4999), orgId],
    );
  }
  await peer.sql('analyze');
  const cookies = [];
  for (let i = 0; i < SESSIONS; i++) cookies.push(await signUp(`${tag}-s${i}@example.com`));
  return { orgId, ownerCookie, cookies };
}

/**
 * Send the first request once and fail loudly if it is not a 2xx, before measuring anything.
 * @param {string} url
 * @param {import('../lib/types.js').LoadRequests} requests
 * @param {string} what
 */
async function probe(url, requests, what) {
  const first = /** @type {import('../lib/types.js').LoadRequest} */ (requests[0]);
  const req = first.setupRequest ? first.setupRequest({ ...first }) : first;
  const res = await fetch(`${url}${req.path}`, {
    method: req.method ?? 'GET',
    headers: req.headers ?? {},
    ...(req.body === undefined ? {} : { body: req.body }),
  });
  if (!res.ok) throw new Error(`${what}: ${req.method ?? 'GET'} ${req.path} answered ${res.status}: ${await res.text()}`);
}
