// Bundles the CLI with esbuild: dist/cli.mjs (+ chunks loaded per command) and the library dist/index.mjs.
import { build } from 'esbuild';
import { readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// Build beside dist and swap, so a concurrent reader (a parallel test run) never sees it half-built.
const out = `dist.tmp-${process.pid}`;
await build({
  absWorkingDir: root,
  entryPoints: { cli: 'src/cli/entry.ts', index: 'src/index.ts' },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  define: { __FLAGOPS_VERSION__: JSON.stringify(version) },
  // CommonJS dependencies inside an ESM bundle need a real `require`.
  banner: { js: "import { createRequire as __flagopsCreateRequire } from 'node:module'; const require = __flagopsCreateRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
});
const old = `dist.old-${process.pid}`;
try {
  renameSync(join(root, 'dist'), join(root, old));
} catch {}
renameSync(join(root, out), join(root, 'dist'));
// type declarations come from tsc (npm run build:types), not from here: keep them across rebuilds
try {
  renameSync(join(root, old, 'types'), join(root, 'dist', 'types'));
} catch {}
rmSync(join(root, old), { recursive: true, force: true });
console.log(`built flagops ${version} into dist/`);
