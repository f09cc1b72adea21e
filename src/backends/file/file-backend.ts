/**
 * The embedded `file` backend (DESIGN §2): a JSON file of flag states. Every write is a read-modify-write under an
 * inter-process lock (proper-lockfile), written to a temporary file and renamed, so two processes at once never
 * lose an update and a reader never sees half a file.
 *
 * Beside `flags`, the file keeps `applied`: per flag, the last writes flagops made (time and state written, newest
 * first, at most APPLIED_KEEP), which is the record soak counts from without a `gitlab` section. A file without it
 * (written by an older flagops) reads as having no record.
 */
import { lstatSync, mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, sep } from 'node:path';
import { ConfigError } from '../../errors/errors.js';
import { describeState, normalizeState, statesEqual, type FlagState, type MaybeState } from '../../model/state.js';
import type { Backend, LiveFlag, LiveState, Operation } from '../types.js';
import { own } from '../../util/own.js';
import { stateFileProblem } from './state-file-schema.js';

/** One write of a flag: when, and the state written (`null`: the flag was deleted). */
export interface AppliedEntry {
  at: string;
  state: FlagState | null;
}

export interface FileStateDocument {
  version: 1;
  flags: Record<string, FlagState>;
  /** Per flag, its last writes, newest first. */
  applied: Record<string, AppliedEntry[]>;
}

/** Writes kept per flag: enough for any soak window between changes; older ones only make soak count later. */
export const APPLIED_KEEP = 20;

export interface FileBackendOptions {
  path: string;
  /** How long to wait for another process's lock. */
  lockWaitMs?: number;
  /** The clock that stamps each write (default: the system clock). */
  now?: () => Date;
  /** The repository folder the state file must really be in (its real path, symbolic links resolved). */
  root?: string;
}

export function createFileBackend(options: FileBackendOptions): Backend {
  const { path } = options;
  const read = (): FileStateDocument => {
    if (options.root) checkInside(path, options.root);
    return readStateFile(path);
  };
  const now = options.now ?? (() => new Date());
  // one locked read-modify-write for any number of operations
  const executeAll = async (ops: readonly Operation[]): Promise<void> => {
    await withLock(path, options.lockWaitMs ?? 10_000, () => {
      const doc = read();
      const at = now().toISOString();
      for (const op of ops) {
        const before = own(doc.flags, op.flag);
        if (op.action === 'delete') delete doc.flags[op.flag];
        else doc.flags[op.flag] = op.payload.state as FlagState;
        const after = own(doc.flags, op.flag);
        // a retried write that changes nothing leaves the record alone: the flag has held that state since the first
        if (before !== undefined && after !== undefined && statesEqual(before, after)) continue;
        if (before === undefined && after === undefined) continue;
        doc.applied[op.flag] = [{ at, state: after ?? null }, ...(own(doc.applied, op.flag) ?? [])].slice(0, APPLIED_KEEP);
      }
      writeStateFile(path, doc);
    });
  };
  return {
    type: 'file',
    async read(): Promise<LiveState> {
      const doc = read();
      return new Map(Object.entries(doc.flags).map(([name, state]) => [name, { state }]));
    },
    plan(flag: string, live: LiveFlag | undefined, desired: MaybeState): Operation[] {
      return planFile(flag, live?.state, desired);
    },
    execute: (op: Operation) => executeAll([op]),
    executeAll,
    async readFlag(flag: string): Promise<LiveFlag | undefined> {
      const flags = read().flags;
      return Object.hasOwn(flags, flag) ? { state: flags[flag]! } : undefined;
    },
  };
}

/** Pure: one `set` or one `delete`, or nothing when equal. */
export function planFile(flag: string, live: MaybeState, desired: MaybeState): Operation[] {
  if (live !== undefined && desired !== undefined && statesEqual(live, desired)) return [];
  if (desired === undefined) {
    return live === undefined ? [] : [{ flag, action: 'delete', describe: `feature delete ${flag}`, payload: {} }];
  }
  const state = normalizeState(desired) as FlagState;
  return [{ flag, action: 'set', describe: `set ${flag} to ${describeState(state)}`, payload: { state } }];
}

export function readStateFile(path: string): FileStateDocument {
  let text: string;
  // a state file that is a symbolic link could lead out of the repository: refused unread, its content never echoed
  if (isSymlink(path)) {
    throw new ConfigError(`the state file ${path} is a symbolic link: flagops reads state only from a file inside the repository`, {
      hint: 'replace the link with the state file itself',
    });
  }
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, flags: Object.create(null) as Record<string, FlagState>, applied: Object.create(null) as Record<string, AppliedEntry[]> };
    throw new ConfigError(`cannot read the state file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new ConfigError(`the state file ${path} is not valid JSON`, { hint: 'restore it from a backup or delete it to start empty' });
  }
  const problem = stateFileProblem(doc);
  if (problem) throw new ConfigError(`the state file ${path} is not a flagops state file: ${problem}`, { hint: 'restore it from a backup or delete it to start empty' });
  const flags = Object.create(null) as Record<string, FlagState>;
  for (const [name, state] of Object.entries((doc as { flags: Record<string, FlagState> }).flags)) flags[name] = state;
  return { version: 1, flags, applied: readApplied(path, (doc as { applied?: unknown }).applied) };
}

/** `applied` is optional (older files); when present every entry must be `{at: ISO time, state: state|null}`. */
function readApplied(path: string, value: unknown): Record<string, AppliedEntry[]> {
  if (value === undefined) return Object.create(null) as Record<string, AppliedEntry[]>;
  const bad = (where: string): never => {
    throw new ConfigError(`the state file ${path} has an invalid 'applied' record${where}`, {
      hint: "restore it from a backup, or remove the 'applied' key (soak then counts from the next apply)",
    });
  };
  if (!isRecord(value)) return bad('');
  const out = Object.create(null) as Record<string, AppliedEntry[]>;
  for (const [flag, entries] of Object.entries(value)) {
    if (!Array.isArray(entries)) return bad(` for ${flag}`);
    out[flag] = entries.map((e: unknown, i) => {
      if (!isRecord(e) || typeof e.at !== 'string' || !ISO_TIME.test(e.at) || Number.isNaN(Date.parse(e.at))) return bad(` for ${flag}[${i}]: 'at' is not a UTC ISO time`);
      const state = e.state;
      if (!(state === null || typeof state === 'boolean' || isRecord(state))) return bad(` for ${flag}[${i}]: 'state' is not a state or null`);
      return { at: e.at, state: state as FlagState | null };
    });
  }
  return out;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The state file, or its nearest existing folder, must resolve inside `root`: a linked folder cannot lead out. */
function checkInside(path: string, root: string): void {
  let existing = path;
  for (;;) {
    try {
      const real = realpathSync.native(existing);
      const realRoot = realpathSync.native(root);
      if (real === realRoot || real.startsWith(`${realRoot}${sep}`)) return;
      throw new ConfigError(`the state file ${path} leads outside the repository through a symbolic link: flagops does not use it`, {
        hint: 'keep state files inside the repository, without links',
      });
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      const parent = dirname(existing);
      if (parent === existing) return;
      existing = parent;
    }
  }
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function writeStateFile(path: string, doc: FileStateDocument): void {
  mkdirSync(dirname(path), { recursive: true });
  const sorted = <T>(map: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(map).sort(([a], [b]) => a.localeCompare(b)));
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  const applied = Object.keys(doc.applied).length > 0 ? { applied: sorted(doc.applied) } : {};
  writeFileSync(tmp, `${JSON.stringify({ version: 1, flags: sorted(doc.flags), ...applied }, null, 2)}\n`);
  renameSync(tmp, path);
}

async function withLock<T>(path: string, waitMs: number, fn: () => T): Promise<T> {
  mkdirSync(dirname(path), { recursive: true });
  // loaded on the first write only: it pulls in graceful-fs and signal-exit, which reading never needs
  const { default: lockfile } = await import('proper-lockfile');
  const release = await lockfile.lock(path, {
    realpath: false,
    stale: 10_000,
    retries: { retries: Math.max(1, Math.ceil(waitMs / 50)), minTimeout: 20, maxTimeout: 100, factor: 1.2 },
  });
  try {
    return fn();
  } finally {
    await release();
  }
}
