/**
 * The planner (DESIGN §5): pure. Desired (files), live (one read per environment), gate results and the base
 * revision in; for each flag the ordered backend operations, or why it is held, out. No I/O, no clock but the one
 * passed in.
 */
import type { Operation, LiveState } from '../backends/types.js';
import type { EnvironmentConfig } from '../config/types.js';
import type { Finding } from '../model/finding.js';
import { classifyChange, statesEqual, type MaybeState } from '../model/state.js';
import type { BaseState } from './changes.js';
import { desiredIn, type DesiredSet } from './desired.js';

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
  backend: string;
  /** The base revision this plan compared with (drift, removed files). */
  base?: string;
  flags: FlagPlan[];
  findings: Finding[];
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
  /** What the backend cannot change about what users see (Backend.liveNote): a `backend-fit` error. */
  liveNote?: (flag: string, live: LiveState extends Map<string, infer L> ? L | undefined : never, desired: MaybeState) => string | undefined;
  /** Drift is checked only against a known base. */
  checkDrift: boolean;
  /** An earlier apply was cut off half-way: live states between the base and the desired state are expected. */
  interrupted?: boolean;
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

    const held = input.gateFindings.filter((f) => f.flag === name && f.severity === 'error');
    if (held.length > 0) {
      plan.status = 'pending';
      plan.reasons = held.map((f) => f.message);
      continue;
    }
    const drift = input.checkDrift ? driftOf({ name, env: env.name, live: liveState, current, base, desired, interrupted: input.interrupted ?? false }) : undefined;
    if (drift) {
      const finding: Finding = {
        code: 'drift',
        severity: env.drift === 'fail' ? 'error' : env.drift === 'warn' ? 'warning' : 'info',
        ...(file ? { file } : {}),
        flag: name,
        env: env.name,
        message: `${env.name}: ${name} was changed outside flagops: ${drift}`,
        hint:
          env.drift === 'fail'
            ? 'put the live state into the flag file (flagops import), or set drift: overwrite for this environment to replace it'
            : env.drift === 'warn'
              ? 'applied anyway (drift: warn)'
              : 'replaced (drift: overwrite)',
      };
      findings.push(finding);
      if (env.drift === 'fail') {
        plan.status = 'drift-held';
        plan.reasons = [finding.message];
        continue;
      }
    }
    plan.operations = input.planFlag(name, liveFlag as never, desired);
    plan.status = plan.operations.length > 0 ? 'change' : note !== undefined ? 'pending' : 'in-sync';
    if (!managedNow && !base.removed.some((r) => r.flag === name)) plan.status = plan.operations.length > 0 ? 'change' : 'unmanaged';
  }
  return { env: env.name, backend: env.backend.type, ...(base.sha ? { base: base.sha } : {}), flags, findings };
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
 * undo it — unless the record shows an earlier apply of a later commit was cut off half-way (the planner's own
 * steps pass through such states, e.g. "disable, then re-add the actors").
 */
function driftOf(args: {
  name: string;
  env: string;
  live: MaybeState;
  current: DesiredSet;
  base: BaseState;
  desired: MaybeState;
  interrupted: boolean;
}): string | undefined {
  const { name, env, live } = args;
  const changedSinceBase = args.base.changed.has(name);
  const atBase = changedSinceBase ? desiredIn(args.base.flags.get(name), env) : desiredIn(args.current.get(name), env);
  if (statesEqual(live, atBase)) return undefined;
  if (!changedSinceBase) return `live is ${describe(live)}, the repository says ${describe(atBase)}`;
  if (statesEqual(live, args.desired)) return undefined;
  if (args.interrupted) return undefined;
  if (classifyChange(atBase, live) === 'rollback') {
    return `live is ${describe(live)}, lower than ${describe(atBase)} applied at the base revision`;
  }
  return undefined;
}

function describe(state: MaybeState): string {
  if (state === undefined) return 'unset';
  return JSON.stringify(state);
}
