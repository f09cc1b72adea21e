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

/** A system tool the suite needs and npm cannot bring: how to tell it is there, and the Debian package that has it. */
export interface Prerequisite {
  what: string;
  /** The Debian package (`apt-get install`). */
  pkg: string;
  why: string;
  present: (env: NodeJS.ProcessEnv) => boolean;
}

export const PREREQUISITES: readonly Prerequisite[] = [
  { what: 'rsync', pkg: 'rsync', why: 'gitlab-ci-local copies the repository with it (the CI template tests)', present: (env) => onPath('rsync', env.PATH) },
  { what: 'chromium', pkg: 'chromium', why: "the dashboard's browser test drives Debian's chromium", present: (env) => onPath('chromium', env.PATH) },
  {
    what: 'ruby with flipper',
    pkg: 'ruby-flipper',
    why: 'the evaluator tests check applied gitlab-features state with Flipper, the library GitLab is built on',
    present: (env) => onPath('ruby', env.PATH) && spawnSync('ruby', ['-e', 'require "flipper"'], { env, stdio: 'ignore' }).status === 0,
  },
];

/**
 * The suite's system prerequisites. A fresh Debian machine has none of them: as root with apt-get, install the
 * missing ones (the same packages CI installs); otherwise stop at once with a message saying what to install,
 * instead of failing (or skipping) the tests that need them one by one.
 */
export function ensurePrerequisites(env: NodeJS.ProcessEnv = process.env, list: readonly Prerequisite[] = PREREQUISITES): void {
  let missing = list.filter((p) => !p.present(env));
  if (missing.length === 0) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  let failure = '';
  if (root && onPath('apt-get', env.PATH)) {
    const run = (args: string[]) =>
      spawnSync('apt-get', args, { env: { ...env, DEBIAN_FRONTEND: 'noninteractive' }, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    const update = run(['update', '-qq']);
    const install = update.status === 0 ? run(['install', '-y', '-qq', '--no-install-recommends', ...missing.map((p) => p.pkg)]) : update;
    missing = missing.filter((p) => !p.present(env));
    if (missing.length === 0) return;
    failure = `; apt-get install failed:\n${install.stderr}`;
  }
  const lines = missing.map((p) => `  ${p.what}: ${p.why}`).join('\n');
  throw new Error(
    `the tests need system tools that are not installed:\n${lines}\n` +
      `install them (Debian/Ubuntu: apt-get install ${missing.map((p) => p.pkg).join(' ')}) or run the tests as root on Debian, which installs them${failure}`,
  );
}

/** The system prerequisites, then the real bundle the end-to-end tests spawn, built once per run. */
export default function setup(): void {
  ensurePrerequisites();
  execFileSync(process.execPath, [join(import.meta.dirname, '..', 'scripts', 'build.mjs')], { stdio: 'ignore' });
}
