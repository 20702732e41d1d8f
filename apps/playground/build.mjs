// Bundles the playground for the server's /playground route. It reads the packages' TypeScript
// sources directly, so it needs no earlier build step and no network.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = new URL('../../', import.meta.url);
const source = (pkg) => fileURLToPath(new URL(`packages/${pkg}/src/index.ts`, root));

/** `@gatehouse/<pkg>` (the bare name only: `@gatehouse/react/styles.css` stays a file) → its src/index.ts. */
const fromSources = {
  name: 'gatehouse-sources',
  setup(b) {
    b.onResolve({ filter: /^@gatehouse\/(contract|sdk|react)$/ }, (args) => ({ path: source(args.path.split('/')[1]) }));
  },
};

/**
 * Write dist/assets/playground.{js,css}; resolves when done. Each file is written beside its place
 * and renamed over it, so a server reading the bundle while another build runs (two browser suites
 * at once) never serves half a file.
 */
export async function buildPlayground() {
  const { build } = await import('esbuild');
  const { outputFiles } = await build({
    write: false,
    entryPoints: { playground: fileURLToPath(new URL('./src/main.tsx', import.meta.url)) },
    outdir: fileURLToPath(new URL('./dist/assets/', import.meta.url)),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    jsx: 'automatic',
    // Fonts are copied beside the bundle under their own names, and served from this origin.
    loader: { '.woff2': 'file', '.woff': 'file' },
    assetNames: '[name]',
    publicPath: '/playground/assets/',
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [fromSources],
  });
  for (const file of outputFiles) {
    const temporary = `${file.path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await mkdir(dirname(file.path), { recursive: true });
    await writeFile(temporary, file.contents);
    await rename(temporary, file.path);
  }
}

/**
 * Run directly: `npm run build`, and the root `prepare` script, so `npm install` and `npm ci` build it
 * too. An install without dev dependencies (`--omit=dev`) has no esbuild: it says so and goes on.
 */
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const esbuildMissing = await import('esbuild').then(
    () => false,
    () => true,
  );
  if (esbuildMissing) console.warn('[playground] esbuild is not installed (dev dependencies omitted): not building the playground.');
  else await buildPlayground();
}
