import { randomBytes } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { type Config, ConfigError, loadConfig } from '../src/config.js';
import { createGatehouse } from '../src/gatehouse.js';
import { createTestSchema, freePort } from './harness.js';
import { postgresUrl } from './services.js';

/** Opening PGlite on disk takes seconds on a busy machine. */
const SLOW = 120_000;

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gh-startup-'));
  made.push(dir);
  return dir;
}

function config(env: Record<string, string>): Config {
  return loadConfig({ PUBLIC_URL: 'http://localhost:8787', LOG_LEVEL: 'info', ...env });
}

/** A logger whose lines the test reads. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

/** Start and stop once, as `gatehouse start` would on this configuration. */
async function startAndStop(cfg: Config, logger = pino({ level: 'silent' })) {
  const gatehouse = await createGatehouse({ config: cfg, logger, backgroundWork: false });
  await gatehouse.close();
}

/** Every entry under `dir` (itself included) whose mode lets the group or others in. */
function looseEntries(dir: string): string[] {
  const loose: string[] = [];
  const visit = (path: string) => {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return;
    if ((stat.mode & 0o077) !== 0) loose.push(`${path} ${(stat.mode & 0o777).toString(8)}`);
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(dir);
  return loose;
}

describe('the PGlite data dir is its owner’s alone', () => {
  it('is made 0700 with owner-only files on a first start', { timeout: SLOW }, async () => {
    const dataDir = join(tempDir(), 'data');
    const { logger, lines } = capturingLogger();
    await startAndStop(config({ GATEHOUSE_DATA_DIR: dataDir }), logger);
    expect(lstatSync(dataDir).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(dataDir, 'pgdata')).length).toBeGreaterThan(5);
    expect(looseEntries(dataDir)).toEqual([]);
    expect(lines.filter((l) => l.level === 40)).toEqual([]);
  });

  it('tightens an existing one that others could read, and says so', { timeout: SLOW }, async () => {
    const dataDir = join(tempDir(), 'data');
    await startAndStop(config({ GATEHOUSE_DATA_DIR: dataDir }));
    // As an earlier version (or a careless copy) left it: folders 0755, files 0644 or 0666.
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, 'pgdata'), 0o755);
    chmodSync(join(dataDir, 'encryption.key'), 0o644);
    mkdirSync(join(dataDir, 'extra'), { mode: 0o777 });
    chmodSync(join(dataDir, 'extra'), 0o777);
    writeFileSync(join(dataDir, 'extra', 'notes'), 'x', { mode: 0o666 });
    chmodSync(join(dataDir, 'extra', 'notes'), 0o666);
    expect(looseEntries(dataDir).length).toBeGreaterThanOrEqual(5);

    const { logger, lines } = capturingLogger();
    await startAndStop(config({ GATEHOUSE_DATA_DIR: dataDir }), logger);
    expect(looseEntries(dataDir)).toEqual([]);
    expect(lstatSync(join(dataDir, 'extra', 'notes')).mode & 0o777).toBe(0o600);
    const warning = lines.find((l) => l.level === 40);
    expect(warning).toMatchObject({ dataDir, msg: expect.stringContaining('made them owner-only') });
    expect(warning?.tightened).toBeGreaterThanOrEqual(5);
  });
});

describe('the encryption key is the one the database was set up with', () => {
  const key = () => randomBytes(32).toString('base64');

  it('refuses to start on PGlite with another GATEHOUSE_ENCRYPTION_KEY, and starts again with the first', { timeout: SLOW }, async () => {
    const dataDir = join(tempDir(), 'data');
    const first = key();
    await startAndStop(config({ GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_ENCRYPTION_KEY: first }));
    const refused = createGatehouse({ config: config({ GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_ENCRYPTION_KEY: key() }) });
    await expect(refused).rejects.toThrow(ConfigError);
    await expect(refused).rejects.toThrow(
      /^GATEHOUSE_ENCRYPTION_KEY is not the key this database was set up with \(key fingerprint \S+, the database expects \S+\)\. Start with the original key/,
    );
    // The refused start released the data dir: the right key opens it.
    await startAndStop(config({ GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_ENCRYPTION_KEY: first }));
  });

  it('names the key file when the key came from the data dir', { timeout: SLOW }, async () => {
    const dataDir = join(tempDir(), 'data');
    await startAndStop(config({ GATEHOUSE_DATA_DIR: dataDir }));
    writeFileSync(join(dataDir, 'encryption.key'), `${key()}\n`);
    await expect(createGatehouse({ config: config({ GATEHOUSE_DATA_DIR: dataDir }) })).rejects.toThrow(
      `The key in ${dataDir}/encryption.key is not the key this database was set up with`,
    );
  });
});

const pg = await postgresUrl();

describe.skipIf(!pg)('on PostgreSQL', () => {
  it('refuses another key on a database set up with a first one', async () => {
    const schema = await createTestSchema(pg as string);
    try {
      const database = { engine: 'postgres' as const, url: pg as string, schema: schema.schema };
      const first = randomBytes(32).toString('base64');
      const start = (k: string) =>
        createGatehouse({ config: config({ DATABASE_URL: pg as string, GATEHOUSE_ENCRYPTION_KEY: k }), database, backgroundWork: false });
      await (await start(first)).close();
      await expect(start(randomBytes(32).toString('base64'))).rejects.toThrow(/is not the key this database was set up with/);
      await (await start(first)).close();
    } finally {
      await schema.drop();
    }
  });

  it('says how to create a database that does not exist, in one line', async () => {
    const url = new URL(pg as string);
    const name = `gatehouse_missing_${randomBytes(4).toString('hex')}`;
    url.pathname = `/${name}`;
    const cfg = config({ DATABASE_URL: url.toString(), GATEHOUSE_ENCRYPTION_KEY: randomBytes(32).toString('base64') });
    const error = await createGatehouse({ config: cfg }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      `The database "${name}" does not exist on PostgreSQL at ${url.hostname}:${url.port}. Create it, then start again: ` +
        `createdb -h ${url.hostname} -p ${url.port} -U postgres ${name}   (or in psql: CREATE DATABASE "${name}";)`,
    );
  });
});

describe('PostgreSQL that is not there', () => {
  it('says that nothing answers, not a stack trace', async () => {
    const port = await freePort();
    const cfg = config({
      DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/gatehouse`,
      GATEHOUSE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    });
    await expect(createGatehouse({ config: cfg })).rejects.toThrow(
      new ConfigError(`Nothing answers at 127.0.0.1:${port} (connection refused). Start PostgreSQL there, or fix DATABASE_URL.`),
    );
  });
});
