/** The errors of the git wrapper (git.ts): a failed or refused git command is a `GitError` (kind `config`, exit 2). */
import { FlagopsError } from '../errors/errors.js';

export const SHALLOW_HINT =
  'The clone is shallow: set GIT_DEPTH: 0 in the job (variables: { GIT_DEPTH: 0 }) or run `git fetch --unshallow`.';

export class GitError extends FlagopsError {
  /** The git subcommand and arguments, e.g. `rev-parse --verify main^{commit}`. */
  readonly command: string;
  readonly stderr: string;
  constructor(message: string, details: { command: string; stderr: string; hint?: string }) {
    super('config', message, { hint: details.hint });
    this.name = 'GitError';
    this.command = details.command;
    this.stderr = details.stderr;
  }
}

/** Revisions come from users and CI variables: never let one be read as an option. */
export function checkRev(rev: string): void {
  if (rev === '' || rev.startsWith('-') || /[\0\n\r]/.test(rev)) {
    throw new GitError(`git: invalid revision "${rev.replace(/[\0\n\r]/g, ' ')}"`, {
      command: '',
      stderr: '',
    });
  }
}

export function gitError(args: string[], stderr: string): GitError {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const first = lines.find((l) => l.startsWith('fatal:') || l.startsWith('error:')) ?? lines[0] ?? 'failed';
  const hint = first.includes('not a git repository')
    ? 'Run flagops inside a clone of the flag repository (or point --config into one).'
    : undefined;
  return new GitError(`git ${args[0] ?? ''} failed: ${first}`, {
    command: args.join(' '),
    stderr,
    ...(hint ? { hint } : {}),
  });
}
