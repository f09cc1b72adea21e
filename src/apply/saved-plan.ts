/** `apply --plan FILE` (DESIGN §5): a saved plan is a claim, checked against the plan made now; never a script. */
import type { EnvironmentConfig } from '../config/types.js';
import { UsageError } from '../errors/errors.js';
import { sortFindings, type Finding } from '../model/finding.js';
import { PLAN_VERSION, type EnvPlan, type Plan } from '../plan/build-plan.js';
import { envPlanDigest, planDifferences } from '../plan/plan-digest.js';
import type { RunApplyResult } from './apply-types.js';

/**
 * `apply --plan FILE`: the plan is made again now — files, live state and gates, every selected environment — and
 * compared with the saved one by digest before anything is written. On any difference nothing is written and each
 * difference is named. No operation is ever read from the file.
 */
export async function refuseStalePlan(args: {
  saved: Plan;
  envs: readonly EnvironmentConfig[];
  /** The same run in plan mode: reads and plans, never writes. */
  planNow: () => Promise<RunApplyResult>;
}): Promise<RunApplyResult | undefined> {
  const { saved, envs } = args;
  if (saved.planVersion !== PLAN_VERSION) throw new UsageError(`the plan file has planVersion ${String(saved.planVersion)}; this flagops reads ${PLAN_VERSION}`);
  const missing = envs.filter((e) => !saved.environments.some((x) => x.env === e.name)).map((e) => e.name);
  // instances of a ring are planned one by one: the fresh plans are matched with the saved ones by instance too
  if (missing.length > 0) throw new UsageError(`the plan file has no environment ${missing.join(', ')}`, 'run flagops plan for it, or pass --env');
  const fresh = await args.planNow();
  // a remote failure, or files that do not validate: reported as a plain plan would, nothing written
  if (fresh.remoteFailure || fresh.environments.length < envs.length) return fresh;
  const stale = fresh.plan.environments.flatMap((p) => staleFinding(saved, p) ?? []);
  if (stale.length === 0) return undefined;
  const held = fresh.environments.map((e) => ({ ...e, results: e.plan.flags.map((f) => ({ flag: f.flag, outcome: f.status === 'change' ? ('pending' as const) : f.status, done: [] })) }));
  return { plan: fresh.plan, environments: held, findings: sortFindings([...fresh.findings, ...stale]), remoteFailure: false, rings: fresh.rings };
}

/** A `plan/stale` error when the plan made now for the environment is not the saved one. */
export function staleFinding(saved: Plan, fresh: EnvPlan): Finding | undefined {
  const old = saved.environments.find((e) => e.env === fresh.env && e.instance === fresh.instance);
  if (!old) {
    if (!fresh.instance) return undefined;
    // an instance the saved plan does not have (added to the ring since, or the plan was made for other instances)
    return {
      code: 'plan/stale',
      severity: 'error',
      env: fresh.env,
      message: `${fresh.env}/${fresh.instance}: the saved plan has no plan for this instance; nothing was written`,
      hint: 'run flagops plan again, review it, and apply that plan',
    };
  }
  const differences = planDifferences(old, fresh);
  if (differences.length === 0) return undefined;
  return {
    code: 'plan/stale',
    severity: 'error',
    env: fresh.env,
    message: `${fresh.instance ? `${fresh.env}/${fresh.instance}` : fresh.env}: the saved plan (digest ${envPlanDigest(old)}) is not what apply would do now (digest ${envPlanDigest(fresh)}); nothing was written: ${differences.join('; ')}`,
    hint: 'run flagops plan again, review it, and apply that plan',
  };
}
