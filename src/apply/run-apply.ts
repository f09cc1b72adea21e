/**
 * `flagops plan | apply | status` (DESIGN §5): per environment in promotion order, read live state once, compare with
 * the files, run the gates, plan (pure), and — for apply — execute, verify and record the applied commit. A ring's
 * instances are each run that way on their own (own backend, token, record, drift decision), a few at once; one that
 * fails is reported and leaves the others as they are.
 *
 * The parts: open-instance.ts (backend and its one read), plan-instance.ts (record, base, gates, plan),
 * execute-instance.ts (mark, execute, record, announce), saved-plan.ts (`apply --plan FILE`).
 */
import { instanceTargets, soleTarget } from '../config/instances.js';
import type { EnvironmentConfig } from '../config/types.js';
import { createMemo } from '../gates/common.js';
import { createGit } from '../git/git.js';
import { sortFindings, type Finding } from '../model/finding.js';
import { PLAN_VERSION, type Plan } from '../plan/build-plan.js';
import { desiredFromDocuments } from '../plan/desired.js';
import { validateFlagsYielding } from '../rules/run-rules.js';
import { selectEnvironments, selectInstances, unknownEnvOption } from '../config/select-environments.js';
import type { EnvResult, InstanceRun, RunApplyOptions, RunApplyResult, SharedRun } from './apply-types.js';
import { uncommittedEdits } from './dirty-tree.js';
import { executeInstance, unwritten } from './execute-instance.js';
import { headCommit } from './head-commit.js';
import { eachInstance, instanceRuns } from './instance-runs.js';
import { openInstance } from './open-instance.js';
import { planInstance } from './plan-instance.js';
import { ringStatus, serially } from './ring-status.js';
import { applySavedPlan, checkSavedPlan } from './saved-plan.js';

export type { EnvResult, RunApplyOptions, RunApplyResult, RunMode } from './apply-types.js';

export async function runApply(options: RunApplyOptions): Promise<RunApplyResult> {
  const { config } = options;
  const envs = selectEnvironments(config, { names: options.envs, unknown: unknownEnvOption });
  const only = selectInstances(envs, options.instances);
  // a saved plan is a claim, never a script: checked before any request, then compared with the plan made now
  const saved = options.savedPlan && options.mode === 'apply' ? options.savedPlan : undefined;
  if (saved) checkSavedPlan({ saved, envs });
  // the first environment's live state is read while the files are validated
  const git = createGit({ cwd: config.dir });
  const head = headCommit({ vars: options.vars, git });
  const first = envs[0] && !envs[0].ring ? openInstance({ ...options, target: soleTarget(envs[0]), repositoryNames: [] }) : undefined;
  const validation = await validateFlagsYielding({ config });
  const findings: Finding[] = [...validation.findings];
  const plan: Plan = { planVersion: PLAN_VERSION, createdAt: options.now.toISOString(), environments: [] };
  options.onValidated?.({ files: validation.documents.length, findings: validation.findings });
  if (validation.findings.some((f) => f.severity === 'error')) {
    // a file that does not parse could be a managed flag: applying without it would delete it everywhere
    return { plan, environments: [], findings: sortFindings(findings), remoteFailure: false, rings: [] };
  }
  const current = desiredFromDocuments(validation.valid);
  const repositoryNames = [...new Set([...current.values()].flatMap((f) => Object.values(f.environments).flatMap((st) => (typeof st === 'object' ? (st.actors?.repositories ?? []) : []))))];
  if (!config.gitlab) {
    findings.push({ code: 'gitlab/absent', severity: 'info', message: 'no gitlab section: GitLab gates, the last-applied record and announcements are skipped' });
  }
  let edits: Promise<string[] | undefined> | undefined;
  const shared: SharedRun = { ...options, current, git, head, dirty: () => (edits ??= uncommittedEdits(config, git)), memo: createMemo(), announcing: serially() };
  const runsOf = (env: EnvironmentConfig): InstanceRun[] =>
    instanceRuns({ shared, env, targets: instanceTargets(env, only), repositoryNames, first: env === envs[0] && repositoryNames.length === 0 ? first : undefined });
  const environments: EnvResult[] = [];
  if (saved) environments.push(...(await applySavedPlan({ saved, envs, runsOf, findings })).environments);
  else for (const env of envs) environments.push(...(await eachInstance({ env, runs: runsOf(env), findings, work: runInstance })));
  for (const result of environments) plan.environments.push(result.plan);
  const remoteFailure = environments.some((r) => r.failed || r.results.some((x) => x.outcome === 'failed' && x.error?.kind === 'remote'));
  const commit = await head.known();
  if (commit) plan.commit = commit;
  const rings = envs.filter((e) => e.ring).map((e) => ringStatus({ env: e, mode: options.mode, results: environments.filter((r) => r.plan.env === e.name) }));
  return { plan, environments, findings: sortFindings(findings), remoteFailure, rings };
}

async function runInstance(run: InstanceRun): Promise<EnvResult> {
  const planned = await planInstance(run);
  if (run.mode !== 'apply') return unwritten({ envPlan: planned.envPlan, label: run.env.label, outcome: 'dry-run' });
  return executeInstance({ ...run, planned });
}
