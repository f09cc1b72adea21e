import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** The end-to-end tests run the real bundle: build it once per run. */
export default function setup(): void {
  execFileSync(process.execPath, [join(import.meta.dirname, '..', 'scripts', 'build.mjs')], { stdio: 'ignore' });
}
