// Bundles with esbuild: the CLI as one CommonJS file, dist/cli.cjs, with its V8 code cache (bin/run-bundle.cjs
// says why), and the library dist/index.mjs (+ chunks it loads on demand).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { MARK } = createRequire(import.meta.url)('../bin/run-bundle.cjs');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// Build beside dist and swap, so a concurrent reader (a parallel test run) never sees it half-built.
const out = `dist.tmp-${process.pid}`;
const common = {
  absWorkingDir: root,
  outdir: out,
  bundle: true,
  platform: 'node',
  target: 'node20',
  define: { __FLAGOPS_VERSION__: JSON.stringify(version) },
  legalComments: 'none',
  logLevel: 'warning',
};
// The CLI: one file, so a run reads one script and its cache. Commands stay lazy: their modules are imported
// dynamically, which esbuild turns into functions run on first use. `import.meta.url` is the bundle's own URL.
await build({
  ...common,
  entryPoints: { cli: 'src/cli/entry.ts' },
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  define: { ...common.define, 'import.meta.url': '__flagopsBundleUrl' },
  banner: { js: "const __flagopsBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
const bundle = join(root, out, 'cli.cjs');
// A script run from a code cache has no dynamic import (bin/run-bundle.cjs): the bundle must not need one. The
// only ones left are a dependency's optional database drivers (rate-limiter-flexible), which flagops never loads.
const text = readFileSync(bundle, 'utf8');
const dynamic = text
  .split('\n')
  .map((text, i) => ({ text, line: i + 1 }))
  .filter(({ text }) => /(?:\bawait\s+|\breturn\s+|[=(,]\s*)import\(/.test(text) && !text.includes('drizzleOrm'));
if (dynamic.length > 0) {
  console.error(`dist/cli.cjs keeps a dynamic import; import it statically:\n${dynamic.map((d) => `  ${d.line}: ${d.text.trim()}`).join('\n')}`);
  process.exit(1);
}
appendFileSync(bundle, `${MARK}${createHash('sha256').update(text).digest('hex')}\n`);
execFileSync(process.execPath, [join(root, 'scripts', 'make-code-cache.mjs'), bundle], { stdio: ['ignore', 'ignore', 'inherit'] });

await build({
  ...common,
  entryPoints: { index: 'src/index.ts' },
  splitting: true,
  format: 'esm',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  // CommonJS dependencies inside an ESM bundle need a real `require`.
  banner: { js: "import { createRequire as __flagopsCreateRequire } from 'node:module'; const require = __flagopsCreateRequire(import.meta.url);" },
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
