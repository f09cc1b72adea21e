/**
 * The commit a run applies. In CI it is `CI_COMMIT_SHA`, the commit the job checked out (DESIGN §3); elsewhere it is
 * `git rev-parse HEAD`, run only when something needs it: recording the applied commit, the gates' history. Starting
 * git costs more than the rest of a small apply's start-up (the git library, then a process), so a run that needs
 * no commit does not pay for it.
 */
import type { Git } from '../git/git.js';

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

export interface HeadCommit {
  /** The commit, asking git if CI did not say; undefined outside a repository. */
  get(): Promise<string | undefined>;
  /** The commit if already known (from CI, or from an earlier `get`), without starting git. */
  known(): Promise<string | undefined>;
}

export function headCommit(args: { vars: Record<string, string | undefined>; git: Git }): HeadCommit {
  const fromCi = args.vars.CI_COMMIT_SHA?.trim().toLowerCase();
  let resolved: Promise<string | undefined> | undefined = fromCi && SHA.test(fromCi) ? Promise.resolve(fromCi) : undefined;
  return {
    get: () => (resolved ??= args.git.revParse('HEAD').catch(() => undefined)),
    known: () => resolved ?? Promise.resolve(undefined),
  };
}
