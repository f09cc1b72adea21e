// The GitLab simulator for benchmarks: bundled from test/gitlab-sim with esbuild (it is TypeScript) and imported.
import { build } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './lib.mjs';

export async function loadSimulator() {
  const out = join(mkdtempSync(join(tmpdir(), 'flagops-bench-sim-')), 'sim.mjs');
  await build({
    entryPoints: [join(ROOT, 'test', 'gitlab-sim', 'index.ts')],
    outfile: out,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  return import(pathToFileURL(out).href);
}
