/**
 * The git side of `flagops history` (I/O), in three git processes whatever the number of flags and records: one
 * first-parent `git log` from HEAD (every commit with the files it changed), one `cat-file --batch-check` (which
 * recorded commits this clone has, and the blob of each flag file at each recorded commit and at each commit that
 * changed it) and one `cat-file --batch` (each distinct blob once). A recorded commit the clone lacks is reported as
 * such, never guessed at.
 */
import { GitError, type Git, type LogCommit } from '../git/git.js';
import { recordedState } from '../gates/recorded-state.js';
import { statesEqual, type MaybeState } from '../model/state.js';
import type { ChangeCommit } from './types.js';

export interface GitFacts {
  /** The recorded commit is in this clone. */
  has(sha: string): boolean;
  /** The state the file at `sha` gives the flag in `env` (undefined: none, or no managed file there). */
  stateAt(sha: string, file: string, env: string): MaybeState;
  /**
   * The commit that gave the flag, in `env`, the state it has at `sha`: the newest commit at or before `sha` along
   * first parents of HEAD that changed the file and its state there. Undefined when `sha` is not on that line.
   */
  changeAt(sha: string, file: string, env: string): ChangeCommit | undefined;
  /** HEAD could not be logged (an empty clone): no change commits. */
  logFailed?: string;
}

/** `files`: paths relative to the repository root. */
export async function readGitFacts(git: Git, shas: readonly string[], files: readonly string[]): Promise<GitFacts> {
  let log: LogCommit[] = [];
  let logFailed: string | undefined;
  try {
    log = await git.firstParentLog('HEAD');
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    logFailed = error.message;
  }
  const position = new Map(log.map((c, i) => [c.sha, i]));
  const wanted = new Set(files);
  // per file, the log positions (newest first) of the commits that changed it
  const touching = new Map<string, number[]>();
  log.forEach((c, i) => {
    for (const f of c.files) {
      if (!wanted.has(f)) continue;
      const list = touching.get(f);
      if (list) list.push(i);
      else touching.set(f, [i]);
    }
  });

  // a recorded commit on HEAD's first-parent line holds each file as the newest commit at or before it that changed
  // it left it (those are read anyway), so only a commit off that line is read file by file
  const offLine = shas.filter((sha) => !position.has(sha));
  const specs: { rev: string; path?: string }[] = shas.map((rev) => ({ rev }));
  for (const rev of offLine) specs.push(...files.map((path) => ({ rev, path })));
  for (const [file, list] of touching) for (const i of list) specs.push({ rev: log[i]!.sha, path: file });
  const ids = await git.objectIds(specs);

  const known = new Set(shas.filter((_, i) => ids[i] !== undefined));
  const blobOf = new Map<string, string>(); // `${sha}\0${file}` → blob id
  const firstSpec = new Map<string, { rev: string; path: string }>(); // blob id → one place it is found
  const note = (rev: string, path: string, blob: string | undefined): void => {
    if (blob === undefined) return;
    blobOf.set(`${rev}\0${path}`, blob);
    if (!firstSpec.has(blob)) firstSpec.set(blob, { rev, path });
  };
  let k = shas.length;
  for (const rev of offLine) for (const file of files) note(rev, file, ids[k++]);
  for (const [file, list] of touching) for (const i of list) note(log[i]!.sha, file, ids[k++]);

  const blobs = [...firstSpec.keys()];
  const contents = await git.showFiles(blobs.map((b) => firstSpec.get(b)!));
  const textOf = new Map(blobs.map((b, i) => [b, contents[i]]));
  const states = new Map<string, MaybeState>();
  /** The commit whose blob of `file` is the one at `sha`: itself off the line, else the last change at or before it. */
  const holder = (sha: string, file: string): string | undefined => {
    const at = position.get(sha);
    if (at === undefined) return sha;
    const list = touching.get(file);
    const i = list ? firstAtOrAfter(list, at) : undefined;
    return i === undefined ? undefined : log[list![i]!]!.sha;
  };
  const stateAt = (sha: string, file: string, env: string): MaybeState => {
    const rev = holder(sha, file);
    const blob = rev === undefined ? undefined : blobOf.get(`${rev}\0${file}`);
    if (blob === undefined) return undefined;
    const key = `${blob}\0${env}`;
    if (!states.has(key)) {
      const r = recordedState(textOf.get(blob), env);
      states.set(key, r.kind === 'state' ? r.state : undefined);
    }
    return states.get(key);
  };

  return {
    has: (sha) => known.has(sha),
    stateAt,
    changeAt(sha, file, env) {
      const at = position.get(sha);
      const list = touching.get(file);
      if (at === undefined || !list) return undefined;
      let i = firstAtOrAfter(list, at);
      if (i === undefined) return undefined;
      const state = stateAt(sha, file, env);
      // back along the commits that changed the file while they still gave the flag this state in env
      while (i + 1 < list.length && statesEqual(stateAt(log[list[i + 1]!]!.sha, file, env), state)) i += 1;
      const c = log[list[i]!]!;
      return { sha: c.sha, author: c.authorName, committedAt: c.committedAt, subject: c.subject };
    },
    ...(logFailed ? { logFailed } : {}),
  };
}

/** The index of the first value ≥ `at` in the ascending `list` (binary search); undefined when there is none. */
function firstAtOrAfter(list: readonly number[], at: number): number | undefined {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < at) lo = mid + 1;
    else hi = mid;
  }
  return lo < list.length ? lo : undefined;
}
