/**
 * `apply --plan FILE` (DESIGN §5): a saved plan is a claim, checked against the plan made now; never a script. Every
 * selected environment is planned once — files, live state, gates — and compared with the saved plan by digest before
 * anything is written; if all match, exactly the plans that were compared are executed (no second read or plan).
 * On any difference nothing is written and each difference is named. No operation is ever read from the file.
 */
import type { EnvironmentConfig } from '../config/types.js';
import { UsageError } from '../errors/errors.js';
import type { Finding } from '../model/finding.js';
import { PLAN_VERSION, type EnvPlan, type Plan } from '../plan/build-plan.js';
import { envPlanDigest, planDifferences } from '../plan/plan-digest.js';
import type { EnvResult, InstanceRun } from './apply-types.js';
import { executeInstance, unwritten } from './execute-instance.js';
import { eachInstance, eachRun, ringFailure, runFindings } from './instance-runs.js';
import { planInstance, type PlannedInstance } from './plan-instance.js';

/** Before any request: the plan file is of this flagops and has a plan for every selected environment. */
export function checkSavedPlan(args: { saved: Plan; envs: readonly EnvironmentConfig[] }): void {
  const { saved, envs } = args;
  if (saved.planVersion !== PLAN_VERSION) throw new UsageError(`the plan file has planVersion ${String(saved.planVersion)}; this flagops reads ${PLAN_VERSION}`);
  const missing = envs.filter((e) => !saved.environments.some((x) => x.env === e.name)).map((e) => e.name);
  // instances of a ring are planned one by one: the fresh plans are matched with the saved ones by instance too
  if (missing.length > 0) throw new UsageError(`the plan file has no environment ${missing.join(', ')}`, 'run flagops plan for it, or pass --env');
}

interface PlannedRun {
  run: InstanceRun;
  planned?: PlannedInstance;
  /** A ring's instance that could not be read after retries. */
  failed?: EnvResult;
}

/**
 * Plans every instance of every environment (in order; nothing written), compares, then executes those plans.
 * `held`: a plan differs or an instance could not be read — every result is unwritten and `findings` say why.
 */
export async function applySavedPlan(args: {
  saved: Plan;
  envs: readonly EnvironmentConfig[];
  /** The runs of an environment's instances, made when its turn comes (a plain environment's read starts then). */
  runsOf: (env: EnvironmentConfig) => InstanceRun[];
  findings: Finding[];
}): Promise<{ environments: EnvResult[]; held: boolean }> {
  const planned: { env: EnvironmentConfig; items: PlannedRun[] }[] = [];
  for (const env of args.envs) {
    const items = await eachRun({
      env,
      runs: args.runsOf(env),
      work: (run): Promise<PlannedRun> => planInstance(run).then((p) => ({ run, planned: p }), (error: unknown) => ({ run, failed: ringFailure({ env, run })(error) })),
    });
    planned.push({ env, items });
  }
  const stale = planned.flatMap(({ items }) => items.flatMap((i) => (i.planned ? (staleFinding(args.saved, i.planned.envPlan) ?? []) : [])));
  if (stale.length > 0 || planned.some(({ items }) => items.some((i) => i.failed))) {
    for (const { env, items } of planned) for (const { run } of items) args.findings.push(...runFindings({ env, run }));
    args.findings.push(...stale);
    const environments = planned.flatMap(({ items }) => items.map((i) => i.failed ?? unwritten({ envPlan: i.planned!.envPlan, label: i.run.env.label, outcome: 'pending' })));
    return { environments, held: true };
  }
  const environments: EnvResult[] = [];
  for (const { env, items } of planned) {
    const runs = items.map((i) => i.run);
    environments.push(...(await eachInstance({ env, runs, findings: args.findings, work: (run, i) => executeInstance({ ...run, planned: items[i]!.planned! }) })));
  }
  return { environments, held: false };
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
