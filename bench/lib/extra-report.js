// Results of the suites that are not per-scenario runs (`npm run bench -- peers|scale|cluster`):
// bench/results/extra/<name>.json each, rendered as sections at the end of docs/performance.md by
// bench/lib/report.js (so a run of any part of the bench keeps them).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';

const dir = new URL('../results/extra/', import.meta.url);

/**
 * Write one suite's result, with the time and the machine's 1-minute load average before it.
 * @param {string} name
 * @param {Record<string, unknown> & { command: string, machine: import('./report.js').Machine }} result
 */
export function writeExtra(name, result) {
  mkdirSync(dir, { recursive: true });
  const full = { name, date: new Date().toISOString(), loadAverage: Math.round((loadavg()[0] ?? 0) * 100) / 100, ...result };
  writeFileSync(new URL(`${name}.json`, dir), `${JSON.stringify(full, null, 2)}\n`);
}

/** @param {string} name */
function read(name) {
  const file = new URL(`${name}.json`, dir);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

/** @param {number | undefined} n */
const fmt = (n) => (n === undefined || Number.isNaN(n) ? '–' : n >= 100 ? String(Math.round(n)) : String(Math.round(n * 100) / 100));

/** @param {{ machine: import('./report.js').Machine, date: string, loadAverage: number, command: string }} r */
function provenance(r) {
  const m = r.machine;
  return [
    `Command: \`${r.command}\`. Run ${r.date.slice(0, 16).replace('T', ' ')} UTC on ${m.cpus} × ${m.cpu}, ${m.memoryGb} GiB, ` +
      `Node ${m.node}${m.postgres ? `, PostgreSQL ${m.postgres}` : ''}${m.commit ? `, commit ${m.commit}` : ''}; 1-minute load average ${r.loadAverage} before it.`,
    // A load average above twice the cores means other work competed with the benchmark for the CPU.
    ...(r.loadAverage > 2 * m.cpus
      ? [
          'The machine was shared with other work while this ran (more than two runnable processes per core):',
          'the figures are for comparing within the run; re-measure on an idle machine before quoting them.',
        ]
      : []),
  ];
}

/** The sections, or none when no suite has run yet. */
export function renderExtras() {
  /** @type {string[]} */
  const lines = [];
  const peers = read('peers');
  if (peers) {
    lines.push(
      '',
      '## Beside a peer: Better Auth',
      '',
      `Better Auth ${peers.peerVersion} with its organization plugin, in a child process on the same adapter (Hono on`,
      '@hono/node-server), the same PostgreSQL server (a database of its own, pool of 10) and the same argon2id cost',
      '(m = 19 MiB, t = 2, p = 1, @node-rs/argon2). Each side has an organization of',
      `${Number(peers.members).toLocaleString('en')} members (owner and organization through the API, members by SQL) and ${peers.sessions} signed-in users.`,
      `Each operation is measured on the three servers in turn (the order rotates), ${peers.rounds} rounds, with autocannon at`,
      `${peers.settings.connections} connections (${peers.settings.warmup} s warm-up, ${peers.settings.duration} s measured); the figures are the median round.`,
      '',
      '| operation | Gatehouse req/s | Better Auth req/s | floor req/s | Gatehouse / Better Auth | Gatehouse / floor | p50 / p99 ms (G, BA, floor) | req/s of each round (G; BA; floor) |',
      '|---|---:|---:|---:|---:|---:|---|---|',
    );
    for (const o of peers.operations) {
      lines.push(
        `| ${o.title} | ${fmt(o.gatehouse.reqPerSec)} | ${fmt(o.betterAuth.reqPerSec)} | ${fmt(o.floor.reqPerSec)} | **${fmt(o.vsPeer)}×** | ` +
          `**${fmt(o.vsFloor)}×** | ${fmt(o.gatehouse.p50)} / ${fmt(o.gatehouse.p99)}, ${fmt(o.betterAuth.p50)} / ${fmt(o.betterAuth.p99)}, ` +
          `${fmt(o.floor.p50)} / ${fmt(o.floor.p99)} | ${o.gatehouse.rounds.join(', ')}; ${o.betterAuth.rounds.join(', ')}; ${o.floor.rounds.join(', ')} |`,
      );
    }
    lines.push('', 'What each side runs:', '');
    for (const o of peers.operations) lines.push(`- ${o.title}: ${o.what}`);
    lines.push('', ...provenance(peers));
  }
  const pages = read('scale-pages');
  if (pages) {
    lines.push(
      '',
      '## Scale: pages from 1,000 to 1,000,000 rows',
      '',
      'One organization on PostgreSQL grown in place by SQL (`generate_series`: users with a primary email and a membership',
      'each, and audit events), measured at each size: p50 / p99 in ms of a page of 20, one request at a time for',
      `${pages.settings.seconds} s each. "Deep" is the page after the row at 90% of the list (keyset cursor).`,
      '',
      '| rows | members, first page | members, deep page | audit log, first page | audit log, deep page | seeded in |',
      '|---:|---:|---:|---:|---:|---:|',
    );
    for (const r of pages.rows) {
      lines.push(
        `| ${Number(r.size).toLocaleString('en')} | ${fmt(r.membersFirstP50)} / ${fmt(r.membersFirstP99)} | ${fmt(r.membersDeepP50)} / ${fmt(r.membersDeepP99)} | ` +
          `${fmt(r.auditFirstP50)} / ${fmt(r.auditFirstP99)} | ${fmt(r.auditDeepP50)} / ${fmt(r.auditDeepP99)} | ${fmt(r.seededMs / 1000)} s |`,
      );
    }
    lines.push('', ...provenance(pages));
  }
  const rss = read('scale-rss');
  if (rss) {
    const f = rss.figures;
    const minutes = rss.settings.seconds / 60;
    lines.push(
      '',
      `## Memory under a ${fmt(minutes)}-minute load`,
      '',
      `Gatehouse on PostgreSQL under autocannon at ${rss.settings.connections} connections for ${fmt(minutes)} minutes, rotating session/get, me/get`,
      '(20 sessions) and the first members page of a 10,000-member organization. RSS (VmRSS) sampled at the first fifth of the run',
      '(minute 1 of 5) and at its end (minute 5); the target is within 10%.',
      '',
      '| RSS at start | at minute ' +
        fmt(minutes / 5) +
        ' | at minute ' +
        fmt(minutes) +
        ' | change | highest | req/s | p50 / p99 ms | non-2xx | result |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---|',
      `| ${fmt(f.startMb)} MiB | ${fmt(f.firstFifthMb)} MiB | ${fmt(f.endMb)} MiB | ${fmt(f.growth * 100)}% | ${fmt(f.maxMb)} MiB | ${fmt(f.reqPerSec)} | ` +
        `${fmt(f.p50)} / ${fmt(f.p99)} | ${f.non2xx} | ${f.ok ? 'within 10%' : '**not within 10%**'} |`,
      '',
      ...provenance(rss),
    );
  }
  const cold = read('scale-cold-start');
  if (cold) {
    const f = cold.figures;
    const cpu = (/** @type {number | undefined} */ ms) => (ms === undefined ? '' : `${fmt(ms / 1000)} s`);
    lines.push(
      '',
      '## Cold start',
      '',
      'Time from spawning `node packages/server/dist/cli.js start` (PGlite, nothing else configured) to the first 200 on',
      '`/healthz`, polled every 10 ms; the target is under 3 s on a fresh data dir. Each run: a fresh data dir (the first key',
      `made), then a second start on the dir it made. Median of ${cold.settings.count}. CPU is the user + system time the server`,
      'had used by its first 200 (from /proc): on this shared machine the wall time is the CPU time plus the wait for a core.',
      f.template === false
        ? 'This run had **no data dir template** (`npm run build` makes it): every fresh dir ran initdb and every migration.'
        : 'A fresh data dir is a copy of the migrated data dir template that `npm run build` makes (see docs/decisions.md, "Cold start").',
      '',
      '| data dir | median | CPU (median) | runs | target |',
      '|---|---:|---:|---|---|',
      `| fresh | ${fmt(f.freshMs / 1000)} s | ${cpu(f.freshCpuMs)} | ${f.freshRuns.join(', ')} ms | ${f.ok ? 'met (< 3 s)' : '**not met** (< 3 s)'} |`,
      `| existing | ${fmt(f.existingMs / 1000)} s | ${cpu(f.existingCpuMs)} | ${f.existingRuns.join(', ')} ms | |`,
      '',
      ...(f.pgliteFreshMs === undefined
        ? []
        : [
            `Where the time goes (medians of the same run): a bare \`node\` process starts in ${fmt(f.nodeMs / 1000)} s; PGlite alone`,
            `makes a fresh cluster (its WASM module and initdb, what the template saves) in ${fmt(f.pgliteFreshMs / 1000)} s` +
              (f.pgliteTemplateMs === undefined
                ? '.'
                : `, and opens a copy of the template in ${fmt(f.pgliteTemplateMs / 1000)} s: the floor of a fresh start with PGlite.`),
            '',
          ]),
      // Hand-written (2026-12-03, same shared machine): the figures before the template, and one profile after it.
      'Before the template (same command, 2026-12-03 15:34 UTC, commit 0715012, load average 12.3): fresh 22.1 s',
      '(runs 37451, 22094, 20452 ms), existing 6.6 s; PGlite alone on a fresh dir 10.1 s. That run had a busier machine than',
      'this one; by hand, one start each at a load average of 4.6 (commit 6dfba4b, before any of this): fresh 8.3 s, existing',
      '3.5 s. A CPU profile of a fresh start then',
      'put about 7.1 s in PGlite (initdb, then the statements of 14 migrations), 1.6 s in garbage collection, about 0.5 s',
      'compiling modules and 0.24 s building zod schemas. A profile of a start on an existing dir showed 0.55 s building the',
      'OpenAPI document, 0.6 s in the Migrator with nothing to apply, and timed alone, importing @simplewebauthn/server took 0.5 s.',
      '',
      'After (`node --cpu-prof packages/server/dist/cli.js start` on an empty `GATEHOUSE_DATA_DIR`, 2.8 s of CPU, load average',
      'about 12): about 1 s in PGlite (0.5 s starting its WASM PostgreSQL on the copied cluster, 0.4 s of first queries, which',
      "fill its catalog caches; its JavaScript's file system the rest), 0.45 s garbage collection, 0.3 s compiling and",
      "loading modules, 0.14 s copying the template; Gatehouse's own code under 0.1 s. What changed: the template (initdb and",
      "migrations gone from a fresh start), the OpenAPI document and `/docs` page built on their first request, passkeys'",
      'library imported on the first passkey request, nodemailer only with `SMTP_URL` and ioredis only with `REDIS_URL`, and',
      "one read of `kysely_migration` instead of the Migrator's statements when every migration is applied.",
      '`relaxedDurability` made no difference to a start (0.65 s either way to open an existing dir), so it is not used.',
      'Under a load average of about 12, single fresh starts',
      'by hand took 3.6 to 4.5 s (existing 2.7 to 6.6 s): the 3 s target holds while the machine has a core to spare.',
      '',
      ...provenance(cold),
    );
  }
  const cluster = read('cluster');
  if (cluster) {
    lines.push(
      '',
      '## Two processes against one',
      '',
      'Two Gatehouse processes (bench/server.js, pool of 10 each) on one PostgreSQL schema, against one process on the same',
      `data: autocannon at ${cluster.settings.connections} connections in all, split between the two ports (half each, two load`,
      `generators in one process) or all on one. ${cluster.rounds} rounds, one then two alternately; the figures are the median round.`,
      '',
      '| operation | one process req/s | two processes req/s | two / one | p50 / p99 ms (one) | p50 / p99 ms (two) | req/s of each round (one; two) |',
      '|---|---:|---:|---:|---:|---:|---|',
    );
    for (const o of cluster.operations) {
      lines.push(
        `| ${o.title} | ${fmt(o.one.reqPerSec)} | ${fmt(o.two.reqPerSec)} | **${fmt(o.ratio)}×** | ${fmt(o.one.p50)} / ${fmt(o.one.p99)} | ` +
          `${fmt(o.two.p50)} / ${fmt(o.two.p99)} | ${o.one.rounds.join(', ')}; ${o.two.rounds.join(', ')} |`,
      );
    }
    lines.push(
      '',
      'On 2 cores shared by the load generator, PostgreSQL and the servers, a second process has little idle CPU to use, so',
      'this cannot show how a deployment with a core per process scales; where the rounds spread wider than the two figures',
      'differ, the ratio is noise from other work on the machine, not a property of Gatehouse.',
      '',
      ...provenance(cluster),
    );
  }
  return lines;
}
