import { execFile } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startTestGatehouse, type TestGatehouse } from './harness.js';

// The SDK as a user installs it: `npm pack` the two publishable packages, install the tarballs into a
// project outside the repository (so nothing resolves to the workspace), and run the READMEs there.

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const packages = ['@gatehouse/contract', '@gatehouse/sdk'] as const;

interface Packed {
  name: string;
  filename: string;
  files: { path: string }[];
}

let t: TestGatehouse;
let work: string;
let app: string;
const packed = new Map<string, Packed>();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'gatehouse-pack-'));
  // `prepack` builds each package (`tsc -b`, a no-op when dist is up to date), as `npm publish` would.
  const { stdout } = await run(
    'npm',
    ['pack', '--json', '--pack-destination', work, ...packages.flatMap((name) => ['--workspace', name])],
    { cwd: root, maxBuffer: 16 * 1024 * 1024 },
  );
  for (const p of JSON.parse(stdout.slice(stdout.indexOf('['))) as Packed[]) {
    packed.set(p.name, p);
    const dir = join(work, 'unpacked', p.name);
    mkdirSync(dir, { recursive: true });
    await run('tar', ['-xzf', join(work, p.filename), '-C', dir, '--strip-components=1']);
  }

  // A fresh project of the user's, with nothing but the two tarballs (zod and jose come from the npm cache).
  app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'my-app', private: true, type: 'module' }));
  const tarballs = packages.map((name) => join(work, packed.get(name)!.filename));
  const install = (mode: string) => run('npm', ['install', mode, '--no-audit', '--no-fund', ...tarballs], { cwd: app });
  await install('--offline').catch(() => install('--prefer-offline'));

  // PUBLIC_URL is the server's own address, so the JWT issuer matches its JWKS URL.
  const port = await freePort();
  t = await startTestGatehouse({ port, env: { PUBLIC_URL: `http://127.0.0.1:${port}` } });
}, 120_000);

afterAll(async () => {
  await t?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The fenced blocks of one language in `text`, between two headings (as readme.test.ts reads them). */
function blocks(text: string, language: 'js', from?: string, to?: string): string {
  const section = from && to ? text.slice(text.indexOf(from), text.indexOf(to)) : text;
  return [...section.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1]).join('\n');
}

/** Run a script from the app's directory, where `@gatehouse/sdk` is the installed tarball. */
async function runInApp(name: string, script: string, env: Record<string, string> = {}): Promise<string> {
  const file = join(app, name);
  writeFileSync(file, script);
  const { stdout } = await run(process.execPath, [file], { cwd: app, env: { ...process.env, ...env } });
  return stdout;
}

describe.each(packages)('the %s tarball', (name) => {
  const files = () => packed.get(name)!.files.map((f) => f.path);
  const read = (path: string) => readFileSync(join(work, 'unpacked', name, path), 'utf8');

  it('has the types, the README and the licence, and nothing of the build or the tests', () => {
    expect(files()).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts']));
    expect(files().filter((path) => !/^(dist\/|src\/|package\.json$|README\.md$|LICENSE$)/.test(path))).toEqual([]);
    expect(files().filter((path) => /\.test\.|tsbuildinfo/.test(path))).toEqual([]);
    expect(read('LICENSE')).toMatch(/^MIT License\n\nCopyright \(c\) 2026 The Gatehouse authors\n/);
    const manifest = JSON.parse(read('package.json'));
    expect(manifest).toMatchObject({ name, license: 'MIT', type: 'module', types: './dist/index.d.ts', sideEffects: false });
    if (name === '@gatehouse/sdk') expect(manifest.dependencies['@gatehouse/contract']).toBe('0.1.0');
  });

  it('has no source map pointing at a file that is not in it', () => {
    const inTarball = new Set(files());
    const dangling: string[] = [];
    for (const path of files()) {
      const dir = posix.dirname(path);
      if (path.endsWith('.map')) {
        const map = JSON.parse(read(path)) as { sources: string[]; sourceRoot?: string };
        for (const source of map.sources) {
          const target = posix.join(dir, map.sourceRoot ?? '', source);
          if (!inTarball.has(target)) dangling.push(`${path} -> ${target}`);
        }
      } else if (/\.(js|d\.ts)$/.test(path)) {
        const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(read(path))?.[1];
        if (url && !inTarball.has(posix.join(dir, url))) dangling.push(`${path} -> ${posix.join(dir, url)}`);
      }
    }
    expect(dangling).toEqual([]);
  });
});

describe('an app with the tarballs installed', () => {
  it('has real copies of both packages, not links into the repository', () => {
    for (const name of packages) expect(lstatSync(join(app, 'node_modules', name)).isDirectory()).toBe(true);
  });

  it("runs the root README's SDK example as written", async () => {
    // The frontend half signs in as Lin, whom the README's curl walkthrough creates.
    await t.backend.users.create({ email: 'lin@example.com', firstName: 'Lin', password: 'correct horse battery staple' });
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const script = blocks(readme, 'js', '## Use the SDK', '## Configuration').replaceAll('http://localhost:8787', t.url);
    expect(script).toContain("from '@gatehouse/sdk'");
    const stdout = await runInApp('readme-sdk.mjs', script, { GATEHOUSE_SECRET_KEY: t.secretKey });
    expect(stdout).toContain('grace@example.com');
    expect(stdout).toMatch(/404 not_found req_/);
    expect(stdout).toMatch(/usr_\w+ org_\w+ owner/);
  });

  it("runs the SDK package's own README example, read from the installed package", async () => {
    const readme = readFileSync(join(app, 'node_modules/@gatehouse/sdk/README.md'), 'utf8');
    const stdout = await runInApp('sdk-readme.mjs', blocks(readme, 'js'), { GATEHOUSE_URL: t.url, GATEHOUSE_SECRET_KEY: t.secretKey });
    expect(stdout).toMatch(/^created usr_\w+$/m);
    expect(stdout).toMatch(/^grace\+\d+@example\.com$/m);
    expect(stdout).toMatch(/404 not_found req_/);
    expect(stdout).toMatch(/usr_\w+ org_\w+ owner/);
  });

  it('type-checks TypeScript against the installed declarations', { timeout: 120_000 }, async () => {
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2023',
          lib: ['ES2023', 'DOM'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          types: [],
        },
        files: ['check.ts'],
      }),
    );
    writeFileSync(
      join(app, 'check.ts'),
      [
        "import { type ErrorCode, errorCodes } from '@gatehouse/contract';",
        "import { createBackendClient, GatehouseError, type SessionTokenClaims } from '@gatehouse/sdk';",
        "const gatehouse = createBackendClient({ baseUrl: 'http://localhost:8787', secretKey: 'sk_test_x' });",
        'export const email = async (id: string): Promise<string | null> => (await gatehouse.users.get(id)).email;',
        'export const code: ErrorCode | undefined = errorCodes[0];',
        'export const isError = (e: unknown): e is GatehouseError => e instanceof GatehouseError;',
        'export const org = (claims: SessionTokenClaims): string | undefined => claims.org_id;',
        // Were the declarations missing or `any`, these would not be errors and tsc would fail.
        '// @ts-expect-error: the secret key is required',
        "createBackendClient({ baseUrl: 'http://localhost:8787' });",
        '// @ts-expect-error: a user has no `nickname`',
        'export const nickname = async (id: string) => (await gatehouse.users.get(id)).nickname;',
        '',
      ].join('\n'),
    );
    // skipLibCheck is off: the packages' declarations (and zod's and jose's) are checked too.
    const errors = await run(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: app }).then(
      () => '',
      (error: { stdout?: string; message: string }) => error.stdout || error.message,
    );
    expect(errors).toBe('');
  });
});
