/**
 * The embedded `file` backend (DESIGN §2): a JSON file of flag states. Every write is a read-modify-write under an
 * inter-process lock (proper-lockfile), written to a temporary file and renamed, so two processes at once never
 * lose an update and a reader never sees half a file.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../../errors/errors.js';
import { describeState, normalizeState, statesEqual, type FlagState, type MaybeState } from '../../model/state.js';
import type { Backend, LiveFlag, LiveState, Operation } from '../types.js';

export interface FileStateDocument {
  version: 1;
  flags: Record<string, FlagState>;
}

export interface FileBackendOptions {
  path: string;
  /** How long to wait for another process's lock. */
  lockWaitMs?: number;
}

export function createFileBackend(options: FileBackendOptions): Backend {
  const { path } = options;
  const read = (): FileStateDocument => readStateFile(path);
  // one locked read-modify-write for any number of operations
  const executeAll = async (ops: readonly Operation[]): Promise<void> => {
    await withLock(path, options.lockWaitMs ?? 10_000, () => {
      const doc = read();
      for (const op of ops) {
        if (op.action === 'delete') delete doc.flags[op.flag];
        else doc.flags[op.flag] = op.payload.state as FlagState;
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
      const state = read().flags[flag];
      return state === undefined ? undefined : { state };
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
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, flags: {} };
    throw new ConfigError(`cannot read the state file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new ConfigError(`the state file ${path} is not valid JSON`, { hint: 'restore it from a backup or delete it to start empty' });
  }
  const flags = (doc as { flags?: unknown } | null)?.flags;
  if (!flags || typeof flags !== 'object' || Array.isArray(flags)) {
    throw new ConfigError(`the state file ${path} has no 'flags' map`);
  }
  return { version: 1, flags: flags as Record<string, FlagState> };
}

function writeStateFile(path: string, doc: FileStateDocument): void {
  mkdirSync(dirname(path), { recursive: true });
  const sorted = Object.fromEntries(Object.entries(doc.flags).sort(([a], [b]) => a.localeCompare(b)));
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ version: 1, flags: sorted }, null, 2)}\n`);
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
