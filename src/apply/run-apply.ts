/**
 * `flagops plan | apply | status` (DESIGN §5): per environment in promotion order, read live state once, compare with
 * the files, run the gates, plan (pure), and — for apply — execute, verify and record the applied commit. A ring's
 * instances are each run that way on their own (own backend, token, record, drift decision), a few at once; one that
 * fails is reported and leaves the others as they are.
 *
 * The parts: open-instance.ts (backend and its one read), plan-instance.ts (record, base, gates, plan),
 * execute-instance.ts (mark, execute, record, announce), saved-plan.ts (`apply --plan FILE`).
 */
import { instanceTargets, soleTarget, type InstanceTarget } from '../config/instances.js';
import type { EnvironmentConfig } from '../config/types.js';
import { FlagopsError } from '../errors/errors.js';
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
import { soakSourceOnce } from './instance-gates.js';
import { openInstance, type OpenedInstance } from './open-instance.js';
import { planInstance } from './plan-instance.js';
import { eachBounded, instanceFailed, ringStatus, serially, tagInstance } from './ring-status.js';
import { refuseStalePlan, staleFinding } from './saved-plan.js';

export type { EnvResult, RunApplyOptions, RunApplyResult, RunMode } from './apply-types.js';

export async function runApply(options: RunApplyOptions): Promise<RunApplyResult> {
  const { config } = options;
  const envs = selectEnvironments(config, { names: options.envs, unknown: unknownEnvOption });
  const only = selectInstances(envs, options.instances);
  if (options.savedPlan && options.mode === 'apply') {
    // a saved plan is a claim, never a script: everything is planned again, for every environment, before any write
    const refused = await refuseStalePlan({
      saved: options.savedPlan,
      envs,
      planNow: () => runApply({ ...options, mode: 'plan', savedPlan: undefined, onEnvironment: undefined, onFlag: undefined, onLive: undefined, onValidated: undefined }),
    });
    if (refused) return refused;
  }
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
  const environments: EnvResult[] = [];
  for (const env of envs) {
    const targets = instanceTargets(env, only);
    const runs = instanceRuns({ shared, env, targets, repositoryNames, first: env === envs[0] && repositoryNames.length === 0 ? first : undefined });
    environments.push(...(await eachInstance({ env, runs, findings, work: (run) => runInstance(run) })));
  }
  for (const result of environments) plan.environments.push(result.plan);
  const remoteFailure = environments.some((r) => r.failed || r.results.some((x) => x.outcome === 'failed' && x.error?.kind === 'remote'));
  const commit = await head.known();
  if (commit) plan.commit = commit;
  const rings = envs.filter((e) => e.ring).map((e) => ringStatus({ env: e, mode: options.mode, results: environments.filter((r) => r.plan.env === e.name) }));
  return { plan, environments, findings: sortFindings(findings), remoteFailure, rings };
}

/**
 * One run per instance of the environment. Every instance's backend (and token variable) is checked before the first
 * request to any of them; a plain environment's read starts at once (or was started while the files were validated).
 */
function instanceRuns(args: { shared: SharedRun; env: EnvironmentConfig; targets: InstanceTarget[]; repositoryNames: readonly string[]; first: OpenedInstance | undefined }): InstanceRun[] {
  const { shared, env, targets } = args;
  const soakSource = soakSourceOnce({ env, config: shared.config, git: shared.git, now: shared.now, gitlab: shared.gitlab });
  const open = (target: InstanceTarget): OpenedInstance => openInstance({ ...shared, target, repositoryNames: args.repositoryNames, lazy: Boolean(env.ring) });
  const opened = env.ring ? targets.map(open) : [args.first ?? open(targets[0]!)];
  return targets.map((target, i) => ({ ...shared, env: target, opened: opened[i]!, findings: [], soakSource }));
}

/**
 * `work` for each instance, a few of a ring's at once; their findings (tagged with the instance, for a ring) go to
 * `findings`. A ring's instance that fails after retries holds the ring; the others keep what they applied.
 */
async function eachInstance(args: { env: EnvironmentConfig; runs: InstanceRun[]; findings: Finding[]; work: (run: InstanceRun) => Promise<EnvResult> }): Promise<EnvResult[]> {
  const { env } = args;
  return eachBounded(args.runs, env.ring ? (args.runs[0]?.instanceConcurrency ?? 4) : 1, async (run) => {
    run.onEnvironment?.({ env: run.env.label, phase: 'start' });
    const result = await args.work(run).catch((error: unknown) => {
      if (!env.ring || !(error instanceof FlagopsError) || error.kind !== 'remote') throw error;
      return instanceFailed(run.env, error, run.findings);
    });
    args.findings.push(...(env.ring ? tagInstance(run.findings, run.env) : run.findings));
    run.onEnvironment?.({ env: run.env.label, phase: 'end', result });
    return result;
  });
}

async function runInstance(run: InstanceRun): Promise<EnvResult> {
  const planned = await planInstance(run);
  const { envPlan } = planned;
  const stale = run.savedPlan && run.mode === 'apply' ? staleFinding(run.savedPlan, envPlan) : undefined;
  if (stale) {
    // changed since the check at the start of this run (an earlier environment's apply, someone else): nothing written
    run.findings.push(stale);
    return unwritten({ envPlan, label: run.env.label, outcome: 'pending' });
  }
  if (run.mode !== 'apply') return unwritten({ envPlan, label: run.env.label, outcome: 'dry-run' });
  return executeInstance({ ...run, planned });
}
