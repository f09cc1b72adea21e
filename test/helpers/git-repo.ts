import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'flagops test',
  GIT_AUTHOR_EMAIL: 'test@flagops.invalid',
  GIT_COMMITTER_NAME: 'flagops test',
  GIT_COMMITTER_EMAIL: 'test@flagops.invalid',
};

/** A real git repository in `dir`; `commit` writes files (null deletes) and returns the new sha. */
export function gitRepo(dir: string) {
  const git = (...args: string[]): string =>
    execFileSync('git', args, { cwd: dir, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  const write = (files: Record<string, string | null>): void => {
    for (const [path, content] of Object.entries(files)) {
      const abs = join(dir, path);
      if (content === null) rmSync(abs, { force: true });
      else {
        mkdirSync(dirname(abs), { recursive: true });
        writeFileSync(abs, content);
      }
    }
  };
  return {
    git,
    write,
    commit(files: Record<string, string | null>, message = 'change', date?: string): string {
      write(files);
      git('add', '-A');
      const env = date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {};
      execFileSync('git', ['commit', '-q', '-m', message], { cwd: dir, env: { ...process.env, ...GIT_ENV, ...env } });
      return git('rev-parse', 'HEAD');
    },
  };
}
