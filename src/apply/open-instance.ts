/**
 * Reading one instance: its backend is built (a missing token variable throws here, before any request) and its
 * live state read once, in the files' terms where the backend knows both name the same thing (Backend.align).
 */
import { createBackend } from '../backends/create-backend.js';
import type { Backend, LiveState } from '../backends/types.js';
import type { InstanceTarget } from '../config/instances.js';
import type { DesiredSet } from '../plan/desired.js';
import { desiredIn } from '../plan/desired.js';

export interface OpenedInstance {
  ready(): Promise<{ backend: Backend; live: LiveState }>;
}

/**
 * Builds the instance's backend and starts its one read — at once, or (`lazy`, a ring's instances, read a few at a
 * time) when its turn comes. Read errors surface then.
 */
export function openInstance(args: {
  target: InstanceTarget;
  vars: Record<string, string | undefined>;
  now: Date;
  client?: { maxTotalMs?: number };
  repositoryNames: readonly string[];
  lazy?: boolean;
}): OpenedInstance {
  let backend: Backend;
  try {
    backend = createBackend({
      env: args.target,
      vars: args.vars,
      repositoryNames: args.repositoryNames,
      now: () => args.now,
      ...(args.client ? { client: args.client } : {}),
    }).backend;
  } catch (error) {
    // a ring's instances: thrown now, before any of them is read; a plain environment's: when its turn comes, in order
    if (args.lazy) throw error;
    const failed = Promise.reject(error);
    failed.catch(() => undefined);
    return { ready: () => failed };
  }
  let opened: Promise<{ backend: Backend; live: LiveState }> | undefined;
  const read = (): Promise<{ backend: Backend; live: LiveState }> => (opened ??= backend.read().then((live) => ({ backend, live })));
  if (!args.lazy) read().catch(() => undefined); // handled by ready(); never an unhandled rejection meanwhile
  return { ready: read };
}

/** Live flags in the files' terms where the backend knows both name the same thing (Backend.align). */
export function alignLive(args: { backend: Backend; live: LiveState; current: DesiredSet; env: string }): LiveState {
  const align = args.backend.align?.bind(args.backend);
  if (!align) return args.live;
  const out: LiveState = new Map();
  for (const [name, flag] of args.live) {
    const doc = args.current.get(name);
    out.set(name, doc?.managed ? align(name, flag, desiredIn(doc, args.env)) : flag);
  }
  return out;
}
