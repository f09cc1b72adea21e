import type { BackendType } from '../config/types.js';
import type { FlagState, MaybeState } from '../model/state.js';

/** A flag as a backend holds it: its state in flagops' model, plus backend data the planner needs. */
export interface LiveFlag {
  state: FlagState;
  /** Backend-specific detail (e.g. strategy ids of a project feature flag). Opaque to the core. */
  meta?: unknown;
}

/** Live state of one environment: only persisted flags appear. */
export type LiveState = Map<string, LiveFlag>;

/**
 * One backend operation. `describe` is what a person would type to do it by hand
 * (e.g. `feature set my_flag 25 --actors`); `payload` is backend-specific and JSON-serialisable,
 * so a plan can be saved and applied later.
 */
export interface Operation {
  flag: string;
  action: 'set' | 'delete' | 'create' | 'update';
  describe: string;
  payload: Record<string, unknown>;
}

/** A write's own answer: the flag as the write's response shows it, decoded on demand (it may need lookups). */
export interface WriteEcho {
  live(): Promise<LiveFlag | undefined>;
}

/** What a backend cannot express: one message per problem (empty when it fits). Pure. */
export type FitCheck = (state: FlagState, ctx: { flag: string }) => string[];

export interface Backend {
  readonly type: BackendType;
  /** Read every persisted flag once. */
  read(): Promise<LiveState>;
  /** Pure: the ordered operations turning `live` into `desired` (undefined = nothing persisted). */
  plan(flag: string, live: LiveFlag | undefined, desired: MaybeState): Operation[];
  /**
   * Optional, pure: why the environment's users would still not see `desired` once this flag's operations are
   * done (something the backend cannot change, e.g. a wildcard-scoped strategy made outside flagops).
   */
  liveNote?(flag: string, live: LiveFlag | undefined, desired: MaybeState): string | undefined;
  /**
   * Optional, pure: the live flag in the desired state's terms where both name the same thing (GitLab: a group given
   * as a namespace reads back as a group; names differing only in letter case). Applied before any comparison, so
   * such a flag is in sync rather than "changed" or drifted forever.
   */
  align?(flag: string, live: LiveFlag, desired: MaybeState): LiveFlag;
  /**
   * Optional, pure: the states a flag passes through between `from` and `to` while `plan`'s operations run (after
   * each but the last). Backends that write a flag in one request have none.
   */
  steps?(flag: string, from: MaybeState, to: MaybeState): MaybeState[];
  /** Execute one operation. Must be safe to retry: re-running after a partial failure converges. */
  execute(op: Operation): Promise<WriteEcho | void>;
  /**
   * Optional: execute many operations as one write (in order). A backend whose writes are whole-state rewrites (the
   * file backend) offers it, so applying a thousand flags is one locked read and one write, not a thousand.
   */
  executeAll?(ops: readonly Operation[]): Promise<void>;
  /**
   * Optional: how long a read may still answer from a cache after a write (GitLab caches instance flags in each
   * web process for up to a minute). A read-back that disagrees within it is read again before it is a failure.
   */
  readonly readCacheMs?: number;
  /** Read one flag back (for verification after apply); undefined when not persisted. */
  readFlag(flag: string): Promise<LiveFlag | undefined>;
}
