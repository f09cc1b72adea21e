// Bundles the CLI with esbuild: dist/cli.mjs (+ chunks loaded per command) and the library dist/index.mjs.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

rmSync(join(root, 'dist'), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { cli: 'src/cli/entry.ts', index: 'src/index.ts' },
  outdir: 'dist',
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
console.log(`built flagops ${version} into dist/`);
