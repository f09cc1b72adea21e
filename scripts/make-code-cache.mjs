// Makes dist/cli.cjs.v8cache for a bundle (scripts/build.mjs runs it): runs the bundle once, as the launcher
// does, on `flagops validate` of a small repository whose files carry warnings (the bench's generator), and at
// exit writes the bundle's id followed by V8's code cache of every function that run compiled.
// usage: node scripts/make-code-cache.mjs BUNDLE
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { makeRepo } from '../bench/lib.mjs';

const { runBundle } = createRequire(import.meta.url)('../bin/run-bundle.cjs');
const file = process.argv[2];
const repo = makeRepo({ count: 40, envs: 3, findings: true });
process.argv = [process.argv[0], file, 'validate', '--config', join(repo, 'flagops.yml')];
runBundle({
  file,
  name: 'flagops/dist/cli.cjs',
  onScript({ script, id }) {
    if (id === undefined) throw new Error(`${file} has no bundle id`);
    process.on('exit', () => {
      rmSync(repo, { recursive: true, force: true });
      writeFileSync(`${file}.v8cache`, Buffer.concat([Buffer.from(id, 'latin1'), script.createCachedData()]));
    });
  },
});
