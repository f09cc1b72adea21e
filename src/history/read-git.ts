/**
 * The git side of `flagops history` (I/O), in three git processes whatever the number of flags and records:
 * one `cat-file --batch-check` (which recorded commits this clone has, and the blob of each flag file at each),
 * one `cat-file --batch` (each distinct blob once) and one first-parent `git log` from HEAD (who changed each file,
 * when, in which commit). A recorded commit the clone lacks is reported as such, never guessed at.
 */
import { GitError, type Git, type LogCommit } from '../git/git.js';
import { recordedState } from '../gates/recorded-state.js';
import type { MaybeState } from '../model/state.js';
import type { ChangeCommit } from './types.js';

export interface GitFacts {
  /** The recorded commit is in this clone. */
  has(sha: string): boolean;
  /** The state the file at `sha` gives the flag in `env` (undefined: none, or no managed file there). */
  stateAt(sha: string, file: string, env: string): MaybeState;
  /** The commit that last changed `file` at or before `sha` along first parents of HEAD, when `sha` is on that line. */
  changeAt(sha: string, file: string): ChangeCommit | undefined;
  /** HEAD could not be logged (an empty clone): no change commits. */
  logFailed?: string;
}

/** `files`: paths relative to the repository root. */
export async function readGitFacts(git: Git, shas: readonly string[], files: readonly string[]): Promise<GitFacts> {
  const specs = shas.flatMap((rev) => [{ rev }, ...files.map((path) => ({ rev, path }))]);
  const ids = await git.objectIds(specs);
  const known = new Set<string>();
  const blobOf = new Map<string, string>(); // `${sha}\0${file}` → blob id
  const firstSpec = new Map<string, { rev: string; path: string }>(); // blob id → one place it is found
  let k = 0;
  for (const sha of shas) {
    const commit = ids[k++];
    if (commit !== undefined) known.add(sha);
    for (const file of files) {
      const blob = ids[k++];
      if (commit === undefined || blob === undefined) continue;
      blobOf.set(`${sha}\0${file}`, blob);
      if (!firstSpec.has(blob)) firstSpec.set(blob, { rev: sha, path: file });
    }
  }
  const blobs = [...firstSpec.keys()];
  const contents = await git.showFiles(blobs.map((b) => firstSpec.get(b)!));
  const textOf = new Map(blobs.map((b, i) => [b, contents[i]]));
  const states = new Map<string, MaybeState>();

  let log: LogCommit[] = [];
  let logFailed: string | undefined;
  if (known.size > 0) {
    try {
      log = await git.firstParentLog('HEAD');
    } catch (error) {
      if (!(error instanceof GitError)) throw error;
      logFailed = error.message;
    }
  }
  const position = new Map(log.map((c, i) => [c.sha, i]));
  // per file, the log positions (newest first) of the commits that changed it
  const touching = new Map<string, number[]>();
  log.forEach((c, i) => {
    for (const f of c.files) {
      const list = touching.get(f);
      if (list) list.push(i);
      else touching.set(f, [i]);
    }
  });

  return {
    has: (sha) => known.has(sha),
    stateAt(sha, file, env) {
      const blob = blobOf.get(`${sha}\0${file}`);
      if (blob === undefined) return undefined;
      const key = `${blob}\0${env}`;
      if (!states.has(key)) {
        const r = recordedState(textOf.get(blob), env);
        states.set(key, r.kind === 'state' ? r.state : undefined);
      }
      return states.get(key);
    },
    changeAt(sha, file) {
      const at = position.get(sha);
      const list = touching.get(file);
      if (at === undefined || !list) return undefined;
      const i = firstAtOrAfter(list, at);
      if (i === undefined) return undefined;
      const c = log[i]!;
      return { sha: c.sha, author: c.authorName, committedAt: c.committedAt, subject: c.subject };
    },
    ...(logFailed ? { logFailed } : {}),
  };
}

/** The first value ≥ `at` in the ascending `list` (binary search). */
function firstAtOrAfter(list: readonly number[], at: number): number | undefined {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < at) lo = mid + 1;
    else hi = mid;
  }
  return list[lo];
}
