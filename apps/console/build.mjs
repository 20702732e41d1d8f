// Bundles the admin console for the server's /console route. It reads the packages' TypeScript
// sources directly, so it needs no earlier build step and no network.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = new URL('../../', import.meta.url);
const source = (pkg) => fileURLToPath(new URL(`packages/${pkg}/src/index.ts`, root));

/** `@gatehouse/<pkg>` (the bare name only: `@gatehouse/react/styles.css` stays a file) → its src/index.ts. */
const fromSources = {
  name: 'gatehouse-sources',
  setup(b) {
    b.onResolve({ filter: /^@gatehouse\/(contract|sdk|react)$/ }, (args) => ({ path: source(args.path.split('/')[1]) }));
  },
};

/** Write dist/assets/console.{js,css}; resolves when done. */
export async function buildConsole() {
  await build({
    entryPoints: { console: fileURLToPath(new URL('./src/main.tsx', import.meta.url)) },
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
    publicPath: '/console/assets/',
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [fromSources],
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildConsole();
