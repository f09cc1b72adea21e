/**
 * The one place that runs git (execa, loaded on first use). Read-only commands; every failure becomes a `GitError`
 * (a FlagopsError of kind `config`, exit 2) whose message carries the first line of git's stderr.
 * Paths given to these functions are relative to the repository root, or absolute.
 */
import path from 'node:path';
import { parseAddedDates } from './added-dates.js';
import { checkRev, gitError, GitError, SHALLOW_HINT } from './git-error.js';
import { LOG_FORMAT, parseCommitLog, parseObjectIds, type LogCommit } from './history-parse.js';
import {
  parseCatFileBatch,
  parseFileLog,
  parseNameStatus,
  type ChangedFile,
  type FileCommit,
} from './parse.js';

export type { ChangedFile, ChangeStatus, FileCommit } from './parse.js';
export type { LogCommit } from './history-parse.js';
export { GitError, SHALLOW_HINT } from './git-error.js';

export interface Git {
  readonly cwd: string;
  /** Absolute path of the working tree's top folder. */
  repoRoot(): Promise<string>;
  /** The full sha of a commit-ish; throws when it does not exist in this clone. */
  revParse(rev: string): Promise<string>;
  isAncestor(ancestor: string, descendant: string): Promise<boolean>;
  /** Their best common ancestor, or undefined when they share no history. */
  mergeBase(a: string, b: string): Promise<string | undefined>;
  isShallow(): Promise<boolean>;
  /**
   * The tip of branch `name` as the `origin` remote has it now (`git fetch origin refs/heads/<name>`, one commit
   * deep when the clone is shallow), else as this clone last saw it (`refs/remotes/origin/<name>`); undefined when
   * neither exists.
   */
  branchTip(name: string): Promise<string | undefined>;
  /** Working tree (tracked changes and untracked, not ignored files) compared with `base`. */
  changedFiles(opts: { base: string; paths?: string[] }): Promise<ChangedFile[]>;
  /** The file's content at `rev`, or undefined when it does not exist there. */
  showFile(rev: string, file: string): Promise<string | undefined>;
  /** Several `showFile` in one git process, in order. */
  showFiles(requests: { rev: string; path: string }[]): Promise<(string | undefined)[]>;
  /**
   * Commits that changed the file, newest first, as seen from `ref`. By default along first parents only
   * (a merged MR counts from its merge commit, i.e. from when it landed) and following renames.
   */
  fileHistory(opts: {
    path: string;
    ref: string;
    since?: Date;
    firstParent?: boolean;
  }): Promise<FileCommit[]>;
  /** For each path (relative to the repository root in the answer), when a commit first added it. */
  addedDates(paths: readonly string[]): Promise<Map<string, Date>>;
  /** Object ids of `rev^{commit}` or `rev:path` specs in one git process, in order; undefined where none exists. */
  objectIds(specs: readonly { rev: string; path?: string }[]): Promise<(string | undefined)[]>;
  /** Every commit along first parents from `ref`, newest first, with the files each changed (one `git log`). */
  firstParentLog(ref: string): Promise<LogCommit[]>;
}

interface RunResult {
  ok: boolean;
  exitCode: number | undefined;
  stdout: string;
}

// execa is loaded on the first git command: a run that needs no git (a local apply without a base) skips it
const loadExeca = (): Promise<typeof import('execa')> => import('execa');

export function createGit(options: { cwd: string }): Git {
  const cwd = path.resolve(options.cwd);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_PREFIX'].includes(k))
      env[k] = v;
  }
  Object.assign(env, { GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' });
  let rootPromise: Promise<string> | undefined;

  async function exec(
    args: string[],
    opts: { dir?: string; input?: string; okCodes?: number[] } = {},
  ): Promise<RunResult> {
    const { execa } = await loadExeca();
    const r = await execa('git', args, {
      cwd: opts.dir ?? cwd,
      env,
      extendEnv: false,
      reject: false,
      stripFinalNewline: false,
      ...(opts.input === undefined ? {} : { input: opts.input }),
    });
    if (r.code === 'ENOENT') {
      throw new GitError('git is not installed or not on PATH', {
        command: args.join(' '),
        stderr: '',
        hint: 'Install git in the job image.',
      });
    }
    const exitCode = r.exitCode;
    const ok = exitCode === 0 || (exitCode !== undefined && (opts.okCodes ?? []).includes(exitCode));
    if (!ok) throw gitError(args, String(r.stderr ?? ''));
    return { ok: exitCode === 0, exitCode, stdout: String(r.stdout ?? '') };
  }

  function repoRoot(): Promise<string> {
    rootPromise ??= exec(['rev-parse', '--show-toplevel']).then((r) => r.stdout.trim());
    return rootPromise;
  }

  async function relToRoot(file: string): Promise<string> {
    if (!path.isAbsolute(file)) return file.split(path.sep).join('/');
    return path
      .relative(await repoRoot(), file)
      .split(path.sep)
      .join('/');
  }

  async function revParse(rev: string): Promise<string> {
    checkRev(rev);
    try {
      return (await exec(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`])).stdout.trim();
    } catch (err) {
      if (!(err instanceof GitError) || err.stderr.includes('not a git repository')) throw err;
      const shallow = await isShallow().catch(() => false);
      throw new GitError(`git: revision "${rev}" does not exist in this clone`, {
        command: err.command,
        stderr: err.stderr,
        hint: shallow ? SHALLOW_HINT : `Fetch it first (git fetch origin ${rev}), or check the name.`,
      });
    }
  }

  async function isShallow(): Promise<boolean> {
    return (await exec(['rev-parse', '--is-shallow-repository'])).stdout.trim() === 'true';
  }

  async function mergeBase(a: string, b: string): Promise<string | undefined> {
    checkRev(a);
    checkRev(b);
    const r = await exec(['merge-base', a, b], { okCodes: [1] });
    return r.ok ? r.stdout.trim() : undefined;
  }

  async function isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    checkRev(ancestor);
    checkRev(descendant);
    return (await exec(['merge-base', '--is-ancestor', ancestor, descendant], { okCodes: [1] })).ok;
  }

  async function changedFiles(opts: { base: string; paths?: string[] }): Promise<ChangedFile[]> {
    checkRev(opts.base);
    const dir = await repoRoot();
    const spec = ['--', ...(opts.paths ?? [])];
    const diff = await exec(
      [
        'diff',
        '--name-status',
        '-z',
        '-M',
        '--no-color',
        '--no-ext-diff',
        '--no-relative',
        opts.base,
        ...spec,
      ],
      { dir },
    );
    const untracked = await exec(
      ['ls-files', '-z', '--others', '--exclude-standard', '--full-name', ...spec],
      { dir },
    );
    const files = parseNameStatus(diff.stdout);
    const seen = new Set(files.map((f) => f.path));
    for (const p of untracked.stdout.split('\0')) {
      if (p !== '' && !seen.has(p)) files.push({ status: 'added', path: p });
    }
    return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async function showFiles(requests: { rev: string; path: string }[]): Promise<(string | undefined)[]> {
    if (requests.length === 0) return [];
    const lines: string[] = [];
    for (const req of requests) {
      checkRev(req.rev);
      const rel = await relToRoot(req.path);
      if (/[\n\r]/.test(rel) || /[\n\r]/.test(req.rev))
        throw new GitError(`git: invalid path "${rel}"`, { command: 'cat-file', stderr: '' });
      lines.push(`${req.rev}:${rel}\n`);
    }
    const { execa } = await loadExeca();
    const r = await execa('git', ['cat-file', '--batch'], {
      cwd: await repoRoot(),
      env,
      extendEnv: false,
      reject: false,
      input: lines.join(''),
      encoding: 'buffer',
    });
    if (r.exitCode !== 0)
      throw gitError(['cat-file', '--batch'], Buffer.from(r.stderr ?? new Uint8Array()).toString('utf8'));
    return parseCatFileBatch(r.stdout, requests.length);
  }

  async function showFile(rev: string, file: string): Promise<string | undefined> {
    const [content] = await showFiles([{ rev, path: file }]);
    if (content === undefined) await revParse(rev); // an unknown revision is an error, a missing file is not
    return content;
  }

  async function fileHistory(opts: {
    path: string;
    ref: string;
    since?: Date;
    firstParent?: boolean;
  }): Promise<FileCommit[]> {
    checkRev(opts.ref);
    const rel = await relToRoot(opts.path);
    const args = [
      'log',
      '-z',
      '--name-status',
      '-M',
      '--no-color',
      '--no-ext-diff',
      '--format=%x1e%H%x00%ct',
      '--follow',
    ];
    if (opts.firstParent !== false) args.push('--first-parent');
    if (opts.since) args.push(`--since=${opts.since.toISOString()}`);
    args.push(opts.ref, '--', rel);
    try {
      return parseFileLog((await exec(args, { dir: await repoRoot() })).stdout);
    } catch (err) {
      if (err instanceof GitError && /unknown revision|bad revision|ambiguous argument/.test(err.stderr)) {
        await revParse(opts.ref); // throws the clearer "revision does not exist" error
      }
      throw err;
    }
  }

  async function branchTip(name: string): Promise<string | undefined> {
    if (!/^[A-Za-z0-9._/-]+$/.test(name) || name.startsWith('-') || name.includes('..')) {
      throw new GitError(`git: invalid branch name "${name.replace(/[\0\n\r]/g, ' ')}"`, { command: '', stderr: '' });
    }
    const fetched = await exec(['fetch', '--quiet', '--no-tags', ...((await isShallow()) ? ['--depth=1'] : []), 'origin', `refs/heads/${name}`], { okCodes: [1, 128] });
    if (fetched.ok) {
      const r = await exec(['rev-parse', '--verify', '--quiet', 'FETCH_HEAD^{commit}'], { okCodes: [1] });
      if (r.ok) return r.stdout.trim();
    }
    const tracked = await exec(['rev-parse', '--verify', '--quiet', `refs/remotes/origin/${name}^{commit}`], { okCodes: [1] });
    return tracked.ok ? tracked.stdout.trim() : undefined;
  }

  async function addedDates(paths: readonly string[]): Promise<Map<string, Date>> {
    if (paths.length === 0) return new Map();
    const rels = await Promise.all(paths.map(relToRoot));
    const args = ['log', '-z', '--diff-filter=A', '--no-renames', '--name-only', '--no-color', '--format=%x1e%cI', '--', ...rels];
    return parseAddedDates((await exec(args, { dir: await repoRoot() })).stdout);
  }

  async function objectIds(specs: readonly { rev: string; path?: string }[]): Promise<(string | undefined)[]> {
    if (specs.length === 0) return [];
    const lines: string[] = [];
    for (const spec of specs) {
      checkRev(spec.rev);
      const rel = spec.path === undefined ? undefined : await relToRoot(spec.path);
      if (rel !== undefined && /[\n\r]/.test(rel)) throw new GitError(`git: invalid path "${rel}"`, { command: 'cat-file', stderr: '' });
      lines.push(rel === undefined ? `${spec.rev}^{commit}\n` : `${spec.rev}:${rel}\n`);
    }
    const r = await exec(['cat-file', '--batch-check=%(objectname)'], { dir: await repoRoot(), input: lines.join('') });
    return parseObjectIds(r.stdout, specs.length);
  }

  async function firstParentLog(ref: string): Promise<LogCommit[]> {
    checkRev(ref);
    // -m with --first-parent: a merge commit lists what it changed against the branch it landed on
    const args = ['log', '--first-parent', '-m', '-z', '--name-only', '--no-renames', '--no-color', `--format=${LOG_FORMAT}`, ref, '--'];
    return parseCommitLog((await exec(args, { dir: await repoRoot() })).stdout);
  }

  return {
    cwd,
    objectIds,
    firstParentLog,
    addedDates,
    repoRoot,
    revParse,
    branchTip,
    isAncestor,
    mergeBase,
    isShallow,
    changedFiles,
    showFile,
    showFiles,
    fileHistory,
  };
}
