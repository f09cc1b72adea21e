/**
 * The rollback of a failed verification: each flag the apply changed goes back, in that environment (every instance
 * of a ring), to its live state before the apply — but only where live is still what the apply set. A flag someone
 * changed since is left alone (not ours to undo), one already back is done (a re-run rolls nothing back twice), and
 * a change that lowered exposure is never "rolled back" by raising it: that is a rollout, for a merge request and its
 * gates. Executed and read back like any apply (executePlan), so no rollout gate is involved.
 */
import { createBackend } from '../backends/create-backend.js';
import type { Backend, LiveState } from '../backends/types.js';
import { instanceTargets } from '../config/instances.js';
import type { EnvironmentConfig } from '../config/types.js';
import { executePlan, type FlagResult } from '../apply/execute.js';
import type { FlagPlan } from '../plan/build-plan.js';
import { classifyChange, describeState, statesEqual } from '../model/state.js';
import type { AppliedChange } from './applied-changes.js';

/** `still-applied`: only inspected (a re-run's look before starting anything), live is still what the apply set. */
export type RollbackOutcome = 'rolled-back' | 'already-back' | 'still-applied' | 'changed-since' | 'not-a-rollback' | 'failed';

export interface RollbackResult {
  flag: string;
  instance: string;
  outcome: RollbackOutcome;
  message: string;
}

export interface RollbackOptions {
  env: EnvironmentConfig;
  changes: readonly AppliedChange[];
  vars: Record<string, string | undefined>;
  now: () => Date;
  client?: { maxTotalMs?: number };
  /** Backends by instance name (tests); default: built from the config. */
  backends?: Record<string, Backend>;
  /** Only read and decide (what a re-run finds); write nothing. */
  inspectOnly?: boolean;
}

/** Pure: what to do with one flag, given what is live now. */
export function rollbackDecision(change: AppliedChange, live: LiveState, defaultEnabled = false): { outcome: 'already-back' | 'changed-since' | 'not-a-rollback' | 'roll-back'; message: string } {
  const now = live.get(change.flag)?.state;
  const from = `${describeState(change.after)} → ${describeState(change.before)}`;
  if (classifyChange(change.after, change.before, defaultEnabled) !== 'rollback') {
    return { outcome: 'not-a-rollback', message: `not rolled back: going back (${from}) would raise exposure, a rollout for a merge request and its gates` };
  }
  if (statesEqual(now, change.before)) return { outcome: 'already-back', message: `already ${describeState(change.before)}` };
  if (!statesEqual(now, change.after)) {
    return { outcome: 'changed-since', message: `left alone: live is ${describeState(now)}, no longer the ${describeState(change.after)} this apply set (changed since)` };
  }
  return { outcome: 'roll-back', message: from };
}

export async function rollbackChanges(options: RollbackOptions): Promise<RollbackResult[]> {
  const out: RollbackResult[] = [];
  for (const target of instanceTargets(options.env)) {
    const instance = { name: target.instance };
    const backend =
      options.backends?.[instance.name] ??
      createBackend({ env: target, vars: options.vars, now: options.now, ...(options.client ? { client: options.client } : {}) }).backend;
    const read = await backend.read();
    const live: LiveState = new Map();
    for (const [name, flag] of read) {
      const change = options.changes.find((c) => c.flag === name);
      live.set(name, change && backend.align ? backend.align(name, flag, change.before) : flag);
    }
    const flags: FlagPlan[] = [];
    for (const change of options.changes) {
      const decision = rollbackDecision(change, live);
      if (decision.outcome !== 'roll-back' || options.inspectOnly) {
        if (decision.outcome === 'roll-back') {
          out.push({ flag: change.flag, instance: instance.name, outcome: 'still-applied', message: `still ${describeState(change.after)}` });
          continue;
        }
        out.push({ flag: change.flag, instance: instance.name, outcome: decision.outcome, message: decision.message });
        continue;
      }
      flags.push({
        flag: change.flag,
        live: live.get(change.flag)?.state,
        desired: change.before,
        status: 'change',
        reasons: [],
        operations: backend.plan(change.flag, live.get(change.flag), change.before),
      });
    }
    if (flags.length === 0) continue;
    const results = await executePlan({ backend, plan: { env: options.env.name, backend: backend.type, flags, findings: [] }, concurrency: 8, dryRun: false });
    for (const r of results) out.push(resultOf(r, flags.find((f) => f.flag === r.flag)!, instance.name));
  }
  return out;
}

function resultOf(r: FlagResult, f: FlagPlan, instance: string): RollbackResult {
  const from = `${describeState(f.live)} → ${describeState(f.desired)}`;
  if (r.outcome === 'applied' || r.outcome === 'in-sync') return { flag: r.flag, instance, outcome: 'rolled-back', message: from };
  return { flag: r.flag, instance, outcome: 'failed', message: `${from} failed${r.done.length ? ` (done: ${r.done.join('; ')})` : ''}: ${r.error?.message ?? 'unknown error'}` };
}
