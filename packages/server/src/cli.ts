#!/usr/bin/env node
import { BackendError } from './cli/backend.js';
import { keys, outbox } from './cli/commands.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { explainConnectionError } from './db/connection-errors.js';
import { migrateToLatest, openDatabase } from './db/index.js';
import { DataDirLockedError, recordServerUrl, runningServer } from './db/lock.js';
import { createInitialKey } from './features/keys/queries.js';
import { createGatehouse, databaseTargetOf } from './gatehouse.js';
import { type RunningServer, startServer } from './server.js';

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

With PGlite, while a server runs on the data dir, \`keys\` and \`outbox\` go through its backend API
and need an admin secret key: GATEHOUSE_SECRET_KEY, or --key sk_live_… (visible to other users in
\`ps\`; prefer the variable). Otherwise they open the database directly; on PostgreSQL, which running
servers share, they never migrate it: run \`gatehouse migrate\` first after an upgrade.

Configuration comes from environment variables: see the README.`;

/** The first SIGINT or SIGTERM: the process closes cleanly (database closed, lock released) and exits 0. */
class Shutdown extends Error {
  override name = 'Shutdown';
  constructor(readonly signal: string) {
    super(`Stopped by ${signal}.`);
  }
}

/** Aborted by the first SIGINT or SIGTERM. Taken before the database opens, so no signal can skip closing it. */
function shutdownSignal(): AbortSignal {
  const controller = new AbortController();
  for (const name of ['SIGINT', 'SIGTERM'] as const) process.once(name, () => controller.abort(new Shutdown(name)));
  return controller.signal;
}

/** A failure to listen, said so that a person can fix it. */
function listenError(error: unknown, config: Config): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `${config.host}:${config.port}`;
  if (code === 'EADDRINUSE') {
    return new ConfigError(
      `Port ${config.port} on ${config.host} is already in use (another Gatehouse, or another program). Stop it, or set PORT.`,
    );
  }
  if (code === 'EACCES') return new ConfigError(`Not allowed to listen on ${where}: ports below 1024 need privileges. Set PORT.`);
  if (code === 'EADDRNOTAVAIL') return new ConfigError(`HOST ${config.host} is not an address of this machine.`);
  return error;
}

async function start(config: Config, signal: AbortSignal) {
  const gatehouse = await createGatehouse({ config, signal });
  let server: RunningServer;
  try {
    server = await startServer(gatehouse, { port: config.port, host: config.host });
  } catch (error) {
    await gatehouse.close();
    throw listenError(error, config);
  }
  // CLI commands find the server through this record; it goes before the lock is released.
  const forgetUrl = config.databaseUrl ? () => {} : recordServerUrl(config.dataDir, server.url);
  const close = () => {
    forgetUrl();
    return server.close();
  };
  let initialKey: string | undefined;
  try {
    signal.throwIfAborted();
    // Only now that the port is ours: a key stored by a start that then failed would never be shown.
    if (!config.secretKey) initialKey = await createInitialKey(gatehouse.deps.db, gatehouse.deps.clock.now());
  } catch (error) {
    await close();
    throw error;
  }
  const where = config.databaseUrl ? 'PostgreSQL' : `PGlite, data in ${config.dataDir}`;
  const lines = [
    '',
    `Gatehouse is listening on ${server.url} (${where})`,
    `  backend API   ${config.publicUrl}/backend/v1`,
    `  frontend API  ${config.publicUrl}/v1`,
    `  reference     ${config.publicUrl}/docs`,
    `  console       ${config.publicUrl}/console (sign in with a secret key)`,
  ];
  if (initialKey) lines.push('', 'Your admin secret key (shown this once; only its hash is stored):', `  ${initialKey}`);
  process.stdout.write(`${lines.join('\n')}\n\n`);
  const stop = () => {
    gatehouse.deps.log.info({ signal: (signal.reason as Shutdown).signal }, 'shutting down');
    close().then(
      () => process.exit(0),
      (error) => {
        gatehouse.deps.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  if (signal.aborted) stop();
  else signal.addEventListener('abort', stop, { once: true });
}

async function migrate(config: Config) {
  const server = config.databaseUrl ? undefined : runningServer(config.dataDir);
  if (server) {
    throw new ConfigError(
      `A Gatehouse process (pid ${server.pid}) holds ${config.dataDir}. A server applies migrations when it starts: ` +
        'restart it to apply those of a newer version, or run this again once that process has stopped.',
    );
  }
  // No template here: on a fresh data dir, `migrate` applies (and lists) every migration itself.
  const target = databaseTargetOf(config);
  const handle = await openDatabase(target.engine === 'pglite' ? { ...target, template: false } : target);
  try {
    const applied = await migrateToLatest(handle.db).catch((error: unknown) => {
      throw config.databaseUrl ? explainConnectionError(error, config.databaseUrl) : error;
    });
    if (applied.length === 0) console.log('The database is up to date: no migration to apply.');
    else console.log(`Applied ${applied.length} migration${applied.length === 1 ? '' : 's'}:\n${applied.map((m) => `  ${m}`).join('\n')}`);
  } finally {
    await handle.close();
  }
}

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  // Whatever this process writes (the PGlite data dir, the encryption key) is its owner's alone.
  process.umask(0o077);
  const config = loadConfig();
  // Before any database opens: a signal while it is open (even mid-migration) still closes it.
  const signal = shutdownSignal();
  switch (command) {
    case 'start':
      return start(config, signal);
    case 'migrate':
      return migrate(config);
    case 'keys':
      return keys(config, rest, signal);
    case 'outbox':
      return outbox(config, rest, signal);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      return console.log(usage);
    default:
      throw new ConfigError(`Unknown command "${command}".\n\n${usage}`);
  }
}

main(process.argv.slice(2)).then(
  // Signal handlers keep nothing alive, so finished commands exit on their own; a server keeps listening.
  () => {},
  (error: unknown) => {
    if (error instanceof Shutdown) process.exit(0);
    const badArguments = String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS');
    if (error instanceof ConfigError || error instanceof DataDirLockedError || error instanceof BackendError || badArguments) {
      console.error(`gatehouse: ${(error as Error).message}`);
    } else {
      console.error(error);
    }
    process.exit(1);
  },
);
