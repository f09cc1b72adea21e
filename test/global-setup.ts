import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Whether `name` is an executable file in one of PATH's folders. */
export function onPath(name: string, path: string | undefined): boolean {
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      // not in this folder
    }
  }
  return false;
}

/**
 * The end-to-end suite runs the CI templates under gitlab-ci-local, whose shell isolation copies the repository
 * with `rsync`. A fresh Debian machine has none: as root with apt-get, install it (the same package CI installs);
 * otherwise stop with a message saying what to install, instead of failing the pipeline tests one by one.
 */
export function ensureRsync(env: NodeJS.ProcessEnv = process.env): void {
  if (onPath('rsync', env.PATH)) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (root && onPath('apt-get', env.PATH)) {
    const run = (args: string[]) =>
      spawnSync('apt-get', args, { env: { ...env, DEBIAN_FRONTEND: 'noninteractive' }, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    const update = run(['update', '-qq']);
    const install = update.status === 0 ? run(['install', '-y', '-qq', '--no-install-recommends', 'rsync']) : update;
    if (install.status === 0 && onPath('rsync', env.PATH)) return;
    throw new Error(`the end-to-end tests need rsync (gitlab-ci-local copies the repository with it); apt-get install rsync failed:\n${install.stderr}`);
  }
  throw new Error(
    'the end-to-end tests need rsync (gitlab-ci-local copies the repository with it) and it is not on PATH: ' +
      'install it (Debian/Ubuntu: apt-get install rsync; macOS: brew install rsync) or run the tests as root on Debian, which installs it',
  );
}

/** Prerequisites of the end-to-end tests, then the real bundle they spawn, built once per run. */
export default function setup(): void {
  ensureRsync();
  execFileSync(process.execPath, [join(import.meta.dirname, '..', 'scripts', 'build.mjs')], { stdio: 'ignore' });
}
