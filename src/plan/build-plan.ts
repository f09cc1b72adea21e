/**
 * The planner (DESIGN §5): pure. Desired (files), live (one read per environment), gate results and the base
 * revision in; for each flag the ordered backend operations, or why it is held, out. No I/O, no clock but the one
 * passed in.
 */
import type { Operation, LiveState } from '../backends/types.js';
import { isInstanceTarget } from '../config/instances.js';
import type { EnvironmentConfig } from '../config/types.js';
import type { Finding } from '../model/finding.js';
import { classifyChange, statesEqual, type MaybeState } from '../model/state.js';
import type { BaseState } from './changes.js';
import { desiredIn, type DesiredSet } from './desired.js';
import { envPlanDigest } from './plan-digest.js';

export const PLAN_VERSION = 1;

export type FlagStatus = 'in-sync' | 'change' | 'pending' | 'drift-held' | 'unmanaged';

export interface FlagPlan {
  flag: string;
  file?: string;
  live: MaybeState;
  desired: MaybeState;
  status: FlagStatus;
  /** Why a flag is held (gate or drift messages). */
  reasons: string[];
  operations: Operation[];
}

export interface EnvPlan {
  env: string;
  /** The instance of a ring this plan is for (absent for a plain environment, its own one instance). */
  instance?: string;
  backend: string;
  /** The base revision this plan compared with (drift, removed files). */
  base?: string;
  flags: FlagPlan[];
  findings: Finding[];
  /** Short digest of the planned operations and what they were planned from (plan-digest.ts); set by the planner. */
  digest?: string;
}

export interface Plan {
  planVersion: typeof PLAN_VERSION;
  createdAt: string;
  /** The flag repository's commit the desired state comes from, when known. */
  commit?: string;
  environments: EnvPlan[];
}

export interface PlanEnvInput {
  env: EnvironmentConfig;
  /** Pure per-backend planning of one flag (Backend.plan). */
  planFlag: (flag: string, live: LiveState extends Map<string, infer L> ? L | undefined : never, desired: MaybeState) => Operation[];
  current: DesiredSet;
  base: BaseState;
  live: LiveState;
  /** Findings of the rollout gates for this environment (errors hold their flag). */
  gateFindings: readonly Finding[];
  prune: boolean;
  /** With prune: deletions of live flags without a file, at most this many per run (default 10); the rest are pending. */
  maxDeletes?: number;
  /** What the backend cannot change about what users see (Backend.liveNote): a `backend-fit` error. */
  liveNote?: (flag: string, live: LiveState extends Map<string, infer L> ? L | undefined : never, desired: MaybeState) => string | undefined;
  /** Drift is checked only against a known base. */
  checkDrift: boolean;
  /** An earlier apply was cut off half-way: live states between the base and the desired state are expected. */
  interrupted?: boolean;
  /** Flags whose verification failed here and whose revert merge request is still open: a rollout of them is held. */
  revertOpen?: ReadonlyMap<string, { iid: number; webUrl: string }>;
  /** The states between two states while the backend's operations run (Backend.steps): flagops' own, not drift. */
  stepsOf?: (flag: string, from: MaybeState, to: MaybeState) => readonly MaybeState[];
}

export function planEnvironment(input: PlanEnvInput): EnvPlan {
  const { env, current, base, live } = input;
  const findings: Finding[] = [];
  const names = new Set<string>();
  for (const [name, flag] of current) if (flag.managed) names.add(name);
  for (const flag of base.removed) if (flag.managed) names.add(flag.flag);
  for (const name of live.keys()) if (input.prune || names.has(name)) names.add(name);

  const flags: FlagPlan[] = [];
  for (const name of [...names].sort()) {
    const doc = current.get(name);
    const liveFlag = live.get(name);
    const liveState = liveFlag?.state;
    const managedNow = doc?.managed === true;
    // removed managed file → delete; unmanaged live flag with prune → delete
    const desired = managedNow ? desiredIn(doc, env.name) : undefined;
    const file = doc?.file ?? base.removed.find((r) => r.flag === name)?.file;
    const plan: FlagPlan = { flag: name, ...(file ? { file } : {}), live: liveState, desired, status: 'in-sync', reasons: [], operations: [] };
    flags.push(plan);
    const note = liveFlag === undefined ? undefined : input.liveNote?.(name, liveFlag as never, desired);
    if (note !== undefined) findings.push(beyondReach({ env: env.name, flag: name, file, note, plan }));
    if (liveFlag === undefined && desired === undefined) continue;
    if (liveFlag !== undefined && desired !== undefined && statesEqual(liveState, desired)) continue;

    const revert = input.revertOpen?.get(name);
    if (revert && classifyChange(liveState, desired, doc?.defaultEnabled ?? false) !== 'rollback') {
      // a failed verification rolled it back here: the repository still says otherwise until the revert merges
      const message = `${env.name}: ${name} is held: its verification failed here and the revert merge request !${revert.iid} is open (${revert.webUrl})`;
      findings.push({
        code: 'drift/revert-open',
        severity: 'error',
        ...(file ? { file } : {}),
        flag: name,
        env: env.name,
        message,
        hint: `merge !${revert.iid} to make the file say what is live (or close it to decide otherwise); a rollback still lands`,
      });
      plan.status = 'drift-held';
      plan.reasons = [message];
      continue;
    }
    const held = input.gateFindings.filter((f) => f.flag === name && f.severity === 'error');
    if (held.length > 0) {
      plan.status = 'pending';
      plan.reasons = held.map((f) => f.message);
      continue;
    }
    const drift = input.checkDrift
      ? driftOf({ name, env: env.name, live: liveState, current, base, desired, interrupted: input.interrupted ?? false, ...(input.stepsOf ? { stepsOf: input.stepsOf } : {}) })
      : undefined;
    if (drift) {
      // a change that lowers exposure below the live state is never held: an emergency rollback always lands
      const lowers = classifyChange(liveState, desired, doc?.defaultEnabled ?? false) === 'rollback';
      const holds = env.drift === 'fail' && !lowers;
      const finding: Finding = {
        code: 'drift',
        severity: holds ? 'error' : env.drift === 'overwrite' ? 'info' : 'warning',
        ...(file ? { file } : {}),
        flag: name,
        env: env.name,
        message: `${env.name}: ${name} was changed outside flagops: ${drift}`,
        hint: holds
          ? 'put the live state into the flag file (flagops import), or set drift: overwrite for this environment to replace it'
          : lowers && env.drift === 'fail'
            ? `applied anyway: the change lowers exposure below the live state (${describe(liveState)} → ${describe(desired)}), and a rollback is never held`
            : env.drift === 'warn'
              ? 'applied anyway (drift: warn)'
              : 'replaced (drift: overwrite)',
      };
      findings.push(finding);
      if (holds) {
        plan.status = 'drift-held';
        plan.reasons = [finding.message];
        continue;
      }
    }
    plan.operations = input.planFlag(name, liveFlag as never, desired);
    plan.status = plan.operations.length > 0 ? 'change' : note !== undefined ? 'pending' : 'in-sync';
    if (!managedNow && !base.removed.some((r) => r.flag === name)) plan.status = plan.operations.length > 0 ? 'change' : 'unmanaged';
  }
  holdPrunesBeyond(flags, findings, { env: env.name, max: input.maxDeletes ?? 10, removed: base.removed, current });
  const instance = isInstanceTarget(env) && env.ring ? env.instance : undefined;
  const digest = envPlanDigest({ env: env.name, ...(instance ? { instance } : {}), flags });
  // a ring planned as a whole (check's live plan) has no one backend
  const backend = env.backend?.type ?? 'ring';
  return { env: env.name, ...(instance ? { instance } : {}), backend, ...(base.sha ? { base: base.sha } : {}), flags, findings, digest };
}

/**
 * `prune` deletes at most `max` live flags without a file per run, in name order; the rest are held as pending with
 * one finding that says how to raise the bound. Deletes of removed files and left-out environments are not counted:
 * a reviewed file change asked for them.
 */
function holdPrunesBeyond(flags: FlagPlan[], findings: Finding[], args: { env: string; max: number; removed: BaseState['removed']; current: DesiredSet }): void {
  const prunes = flags.filter(
    (f) => f.status === 'change' && f.desired === undefined && !args.current.has(f.flag) && !args.removed.some((r) => r.flag === f.flag),
  );
  const held = prunes.slice(args.max);
  if (held.length === 0) return;
  const reason = `${args.env}: prune deletes at most ${args.max} flags per run (max_deletes); ${prunes.length} live flags have no file`;
  for (const f of held) {
    f.status = 'pending';
    f.operations = [];
    f.reasons = [reason];
  }
  findings.push({
    code: 'prune/max-deletes',
    severity: 'error',
    env: args.env,
    message: `${reason}: ${held.length} held (${held.map((f) => f.flag).join(', ')})`,
    hint: `the next run deletes up to ${args.max} more; to delete more at once, raise max_deletes in flagops.yml (max_deletes: ${prunes.length})`,
  });
}

/** Users see something no operation of the backend can change: never "in sync" (DESIGN §2, wildcard scopes). */
function beyondReach(args: { env: string; flag: string; file: string | undefined; note: string; plan: FlagPlan }): Finding {
  const message = `${args.env}: ${args.flag}: ${args.note}`;
  args.plan.reasons.push(message);
  if (args.plan.operations.length === 0) args.plan.status = 'pending';
  return {
    code: 'backend-fit',
    severity: 'error',
    ...(args.file ? { file: args.file } : {}),
    flag: args.flag,
    env: args.env,
    message,
    hint: 'narrow or remove that strategy in GitLab (other environments may rely on it), or make the flag file say what users see',
  };
}

/**
 * Live state differs from what flagops last applied (the desired state at the base revision). For a flag whose file
 * is unchanged since the base, any difference is drift. For one whose file changed, a live state that enables less
 * than the base state did (an emergency `feature set X false`) is drift — applying the merge request would silently
 * undo it — unless it is one of flagops' own steps from the base's state to the desired one (Backend.steps, e.g.
 * "disable, then set 75 %"): an apply cut off there is completed, with or without a deployment record. Backends
 * without known steps fall back on the record of an apply that did not finish. The caller never holds a change
 * that lowers exposure below the live state, drift or not.
 */
function driftOf(args: {
  name: string;
  env: string;
  live: MaybeState;
  current: DesiredSet;
  base: BaseState;
  desired: MaybeState;
  interrupted: boolean;
  stepsOf?: (flag: string, from: MaybeState, to: MaybeState) => readonly MaybeState[];
}): string | undefined {
  const { name, env, live } = args;
  const changedSinceBase = args.base.changed.has(name);
  const atBase = changedSinceBase ? desiredIn(args.base.flags.get(name), env) : desiredIn(args.current.get(name), env);
  if (statesEqual(live, atBase)) return undefined;
  if (!changedSinceBase) return `live is ${describe(live)}, the repository says ${describe(atBase)}`;
  if (statesEqual(live, args.desired)) return undefined;
  // one of flagops' own steps from the base's state to this one: an apply cut off half-way, completed now
  if (args.stepsOf?.(name, atBase, args.desired).some((s) => statesEqual(s, live))) return undefined;
  // a backend whose steps are known needs no record of the interruption; for the others, the record (a later apply
  // that did not finish) stands for them
  if (args.interrupted && !args.stepsOf) return undefined;
  if (classifyChange(atBase, live) === 'rollback') {
    return `live is ${describe(live)}, lower than ${describe(atBase)} applied at the base revision`;
  }
  return undefined;
}

function describe(state: MaybeState): string {
  if (state === undefined) return 'unset';
  return JSON.stringify(state);
}
