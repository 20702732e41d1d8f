#!/usr/bin/env node
import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import { type Config, ConfigError, loadConfig, resolveEncryptionKey } from './config.js';
import { type Database, migrateToLatest, openDatabase } from './db/index.js';
import { DataDirLockedError, lockHolder } from './db/lock.js';
import { listOutboxMessages } from './features/email/outbox.js';
import { presentOutboxMessage } from './features/email/present.js';
import { presentSecretKey } from './features/keys/present.js';
import { insertSecretKey, listSecretKeys, revokeSecretKey } from './features/keys/queries.js';
import { retiredKeyGraceMs, rotateSigningKey } from './features/session-token/keys.js';
import { createGatehouse, databaseTargetOf } from './gatehouse.js';
import { startServer } from './server.js';

const usage = `Usage: gatehouse <command>

Commands:
  start                      Serve the backend API, frontend API and docs (what \`npm start\` runs)
  migrate                    Apply pending database migrations and exit
  keys list                  List admin secret keys
  keys create [--name N] [--env live|test]
                             Create an admin secret key and print it once
  keys revoke <keyId>        Revoke an admin secret key
  keys rotate-signing        Make a new session-JWT signing key; the old one stays in the JWKS for 24 h
  outbox [--limit N] [--to EMAIL]
                             Show recent outbox emails, newest first, with the bodies still kept

Configuration comes from environment variables: see the README.`;

async function start(config: Config) {
  const gatehouse = await createGatehouse({ config });
  const server = await startServer(gatehouse, { port: config.port, host: config.host });
  const where = config.databaseUrl ? 'PostgreSQL' : `PGlite, data in ${config.dataDir}`;
  const lines = [
    '',
    `Gatehouse is listening on ${server.url} (${where})`,
    `  backend API   ${config.publicUrl}/backend/v1`,
    `  frontend API  ${config.publicUrl}/v1`,
    `  reference     ${config.publicUrl}/docs`,
  ];
  if (gatehouse.initialSecretKey) {
    lines.push('', 'Your admin secret key (shown this once; only its hash is stored):', `  ${gatehouse.initialSecretKey}`);
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
  const stop = (signal: string) => {
    gatehouse.deps.log.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (error) => {
        gatehouse.deps.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

/** Open the database directly: PostgreSQL always; PGlite only while no server holds its data dir. */
async function withDatabase<T>(config: Config, fn: (db: Kysely<Database>, applied: string[]) => Promise<T>): Promise<T> {
  if (!config.databaseUrl) {
    const pid = lockHolder(config.dataDir);
    if (pid !== undefined) {
      throw new DataDirLockedError(config.dataDir, pid);
    }
  }
  const handle = await openDatabase(databaseTargetOf(config));
  try {
    const applied = await migrateToLatest(handle.db);
    return await fn(handle.db, applied);
  } finally {
    await handle.close();
  }
}

async function keys(config: Config, args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { name: { type: 'string' }, env: { type: 'string' } },
  });
  const [action, id] = positionals;
  const now = new Date();
  if (action === 'list') {
    const rows = await withDatabase(config, (db) => listSecretKeys(db, undefined, 1000));
    if (rows.length === 0) console.log('No secret keys.');
    for (const k of rows.map(presentSecretKey)) {
      console.log(`${k.id}  ${k.env}  …${k.lastFour}  ${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}  ${k.name}`);
    }
  } else if (action === 'create') {
    const env = values.env ?? 'live';
    if (env !== 'live' && env !== 'test') throw new ConfigError('--env must be live or test');
    const { row, secret } = await withDatabase(config, (db) => insertSecretKey(db, { name: values.name ?? 'CLI key', env }, now));
    console.log(`Created ${row.id}. The secret is shown this once:\n  ${secret}`);
  } else if (action === 'revoke' && id) {
    const row = await withDatabase(config, (db) => revokeSecretKey(db, id, now));
    if (!row) throw new ConfigError(`No secret key ${id}. Run \`gatehouse keys list\` to see them.`);
    console.log(`Revoked ${row.id}.`);
  } else if (action === 'rotate-signing') {
    const encryptionKey = resolveEncryptionKey(config);
    const { active, retired } = await withDatabase(config, (db) => rotateSigningKey(db, encryptionKey, now));
    const hours = Math.round(retiredKeyGraceMs(config.sessionTokenTtlSeconds) / 3600_000);
    console.log(`New signing key ${active.id} is active; running servers use it within seconds.`);
    if (retired) console.log(`Retired ${retired.id}: it stays in /.well-known/jwks.json for ${hours} h, so tokens it signed still verify.`);
  } else {
    throw new ConfigError(usage);
  }
}

/** Print recent outbox emails: without SMTP_URL, this is where sign-up codes and links wait. */
async function outbox(config: Config, args: string[]) {
  const { values } = parseArgs({ args, options: { limit: { type: 'string' }, to: { type: 'string' } } });
  const limit = Number(values.limit ?? 20);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new ConfigError('--limit must be a whole number from 1 to 1000');
  const to = values.to?.trim().toLowerCase();
  const rows = await withDatabase(config, (db) => listOutboxMessages(db, { limit, ...(to ? { to } : {}) }));
  if (rows.length === 0) console.log('The outbox is empty.');
  for (const m of rows.slice(0, limit).map(presentOutboxMessage)) {
    const state =
      m.status === 'sent' ? `sent ${m.sentAt}` : m.status === 'failed' ? `failed: ${m.lastError}` : `pending (${m.attempts} attempts)`;
    console.log(`${m.id}  ${m.createdAt}  ${m.kind}  to ${m.to}  ${state}\n  Subject: ${m.subject}`);
    if (m.text !== null) console.log(m.text.replace(/^/gm, '  | '));
    console.log('');
  }
}

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  const config = loadConfig();
  switch (command) {
    case 'start':
      return start(config);
    case 'migrate': {
      const applied = await withDatabase(config, async (_db, applied) => applied);
      return console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
    }
    case 'keys':
      return keys(config, rest);
    case 'outbox':
      return outbox(config, rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      return console.log(usage);
    default:
      throw new ConfigError(`Unknown command "${command}".\n\n${usage}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DataDirLockedError) {
    console.error(`gatehouse: ${error.message}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
