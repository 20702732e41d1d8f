#!/usr/bin/env node
import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import { type Config, ConfigError, loadConfig } from './config.js';
import { type Database, migrateToLatest, openDatabase } from './db/index.js';
import { DataDirLockedError, lockHolder } from './db/lock.js';
import { presentSecretKey } from './features/keys/present.js';
import { insertSecretKey, listSecretKeys, revokeSecretKey } from './features/keys/queries.js';
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
  } else {
    throw new ConfigError(usage);
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
