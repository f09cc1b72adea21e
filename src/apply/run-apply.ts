/**
 * `flagops plan | apply | status` (DESIGN §5): per environment in promotion order, read live state once, compare with
 * the files, run the gates, plan (pure), and — for apply — execute, verify and record the applied commit. A ring's
 * instances are each run that way on their own (own backend, token, record, drift decision), a few at once; one that
 * fails is reported and leaves the others as they are.
 */
import { createBackend } from '../backends/create-backend.js';
import type { Backend, LiveState } from '../backends/types.js';
import { instanceTargets, soleTarget, type InstanceTarget } from '../config/instances.js';
import type { FlagopsConfig } from '../config/types.js';
import { FlagopsError } from '../errors/errors.js';
import { createMemo } from '../gates/common.js';
import { hasGates } from '../gates/configured.js';
import { createGit, type Git } from '../git/git.js';
import { sortFindings, type Finding } from '../model/finding.js';
import { resolveBase } from '../plan/base.js';
import { planEnvironment, PLAN_VERSION, type EnvPlan, type Plan } from '../plan/build-plan.js';
import { readBaseState } from '../plan/changes.js';
import { desiredFromDocuments, desiredIn } from '../plan/desired.js';
import { announceInstance } from './announce-instance.js';
import { eachBounded, instanceFailed, ringStatus, serially, tagInstance, type RingStatus, type Serially } from './ring-status.js';
import { runInstanceGates, soakSourceOnce, type SoakSourceOf } from './instance-gates.js';
import { validateFlagsYielding } from '../rules/run-rules.js';
import { selectEnvironments, selectInstances, unknownEnvOption } from '../config/select-environments.js';
import type { GitlabTarget } from './gitlab-target.js';
import { executePlan, type FlagResult } from './execute.js';
import { readLastApplied, startApplyMark } from './applied-record.js';
import { headCommit, type HeadCommit } from './head-commit.js';
import { uncommittedEdits } from './dirty-tree.js';
import { refuseStalePlan, staleFinding } from './saved-plan.js';
import { licensedRefusal } from './licensed-refusal.js';

export type RunMode = 'plan' | 'apply' | 'status';

export interface RunApplyOptions {
  mode: RunMode;
  config: FlagopsConfig;
  envs?: string[];
  /** `--instance`: only these instances of the one environment `envs` names (checked before any request). */
  instances?: string[];
  /** Instances of a ring run at once (default 4); each also runs `concurrency` flags at once. */
  instanceConcurrency?: number;
  base?: string;
  vars: Record<string, string | undefined>;
  now: Date;
  dryRun?: boolean;
  /** A saved plan (`apply --plan FILE`): applied only if live state still matches it. */
  savedPlan?: Plan;
  gitlab: GitlabTarget;
  concurrency?: number;
  client?: { maxTotalMs?: number };
  /** Post or update the notes on the MR, the rollout issue and the change issue (default true with a gitlab section). */
  announce?: boolean;
  /** Record the applied commit as a deployment of the environment in the flag repository. */
  record?: boolean;
  /** Per instance (`env` is its label: the environment's name, or `<ring>/<instance>`). */
  onEnvironment?: (event: { env: string; phase: 'start' | 'end'; result?: EnvResult }) => void;
  /** Called once the flag files are validated. */
  onValidated?: (summary: { files: number; findings: Finding[] }) => void;
  /** Called after each flag is applied (progress on long runs). */
  onFlag?: (env: string, result: FlagResult, total: number) => void;
  /** The environment's live state, as read once before planning, in the files' terms (Backend.align); published as the live snapshot. */
  onLive?: (env: string, live: LiveState) => void;
}

/** One instance's run: a plain environment's, or one instance of a ring. */
export interface EnvResult {
  plan: EnvPlan;
  results: FlagResult[];
  recorded?: string;
  /** `<ring>/<instance>`, or the environment's name. */
  label: string;
  /** The instance could not be read or written (a remote failure after retries): why. Its flags are not planned. */
  failed?: string;
}

export interface RunApplyResult {
  plan: Plan;
  environments: EnvResult[];
  findings: Finding[];
  /** An environment's backend or GitLab failed after retries. */
  remoteFailure: boolean;
  /** Per ring, each instance converged or not (ring-status.ts); plain environments are not listed. */
  rings: RingStatus[];
}

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
  const first = envs[0] && !envs[0].ring ? openInstance(soleTarget(envs[0]), options, []) : undefined;
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
  const memo = createMemo();
  // the instances of a ring run at once; their announcements (read, merge, write one note) one after the other
  const announcing = serially();
  let edits: Promise<string[] | undefined> | undefined;
  const dirty = (): Promise<string[] | undefined> => (edits ??= uncommittedEdits(config, git));
  const environments: EnvResult[] = [];
  let remoteFailure = false;
  for (const env of envs) {
    const soakSource = soakSourceOnce({ env, config, git, now: options.now, gitlab: options.gitlab });
    const targets = instanceTargets(env, only);
    // every instance's backend (and token variable) is checked before the first request to any of them
    const opened = env.ring
      ? targets.map((target) => openInstance(target, options, repositoryNames, { lazy: true }))
      : [env === envs[0] && first && repositoryNames.length === 0 ? first : openInstance(targets[0]!, options, repositoryNames)];
    const results = await eachBounded(targets, env.ring ? (options.instanceConcurrency ?? 4) : 1, async (target, i) => {
      options.onEnvironment?.({ env: target.label, phase: 'start' });
      const local: Finding[] = [];
      const result = await runInstance({ ...options, env: target, opened: opened[i]!, current, git, head, dirty, memo, findings: local, soakSource, announcing }).catch((error: unknown) => {
        // a ring's instance that fails after retries holds the ring; the others keep what they applied
        if (!env.ring || !(error instanceof FlagopsError) || error.kind !== 'remote') throw error;
        return instanceFailed(target, error, local);
      });
      findings.push(...(env.ring ? tagInstance(local, target) : local));
      options.onEnvironment?.({ env: target.label, phase: 'end', result });
      return result;
    });
    for (const result of results) {
      if (result.failed || result.results.some((r) => r.outcome === 'failed' && r.error?.kind === 'remote')) remoteFailure = true;
      environments.push(result);
      plan.environments.push(result.plan);
    }
  }
  const commit = await head.known();
  if (commit) plan.commit = commit;
  const rings = envs.filter((e) => e.ring).map((e) => ringStatus({ env: e, mode: options.mode, results: environments.filter((r) => r.plan.env === e.name) }));
  return { plan, environments, findings: sortFindings(findings), remoteFailure, rings };
}

/** Live flags in the files' terms where the backend knows both name the same thing (Backend.align). */
function alignLive(backend: Backend, live: LiveState, current: ReturnType<typeof desiredFromDocuments>, env: string): LiveState {
  const align = backend.align?.bind(backend);
  if (!align) return live;
  const out: LiveState = new Map();
  for (const [name, flag] of live) {
    const doc = current.get(name);
    out.set(name, doc?.managed ? align(name, flag, desiredIn(doc, env)) : flag);
  }
  return out;
}

interface OpenedInstance {
  ready(): Promise<{ backend: Backend; live: LiveState }>;
}

/**
 * Builds the instance's backend (a missing token variable throws here, before any request) and starts its one read —
 * at once, or (`lazy`, a ring's instances, read a few at a time) when its turn comes. Read errors surface then.
 */
function openInstance(env: InstanceTarget, options: RunApplyOptions, repositoryNames: readonly string[], how: { lazy?: boolean } = {}): OpenedInstance {
  let backend: Backend;
  try {
    backend = createBackend({
      env,
      vars: options.vars,
      repositoryNames,
      now: () => options.now,
      ...(options.client ? { client: options.client } : {}),
    }).backend;
  } catch (error) {
    // a ring's instances: thrown now, before any of them is read; a plain environment's: when its turn comes, in order
    if (how.lazy) throw error;
    const failed = Promise.reject(error);
    failed.catch(() => undefined);
    return { ready: () => failed };
  }
  let opened: Promise<{ backend: Backend; live: LiveState }> | undefined;
  const read = (): Promise<{ backend: Backend; live: LiveState }> => (opened ??= backend.read().then((live) => ({ backend, live })));
  if (!how.lazy) read().catch(() => undefined); // handled by ready(); never an unhandled rejection meanwhile
  return { ready: read };
}

async function runInstance(
  options: RunApplyOptions & {
    env: InstanceTarget;
    opened: OpenedInstance;
    current: ReturnType<typeof desiredFromDocuments>;
    git: Git;
    head: HeadCommit;
    dirty: () => Promise<string[] | undefined>;
    memo: ReturnType<typeof createMemo>;
    /** This instance's findings (tagged with the instance afterwards, for a ring). */
    findings: Finding[];
    soakSource: SoakSourceOf;
    announcing: Serially;
  },
): Promise<EnvResult> {
  const { env, config, git, current, gitlab } = options;
  const opened = await options.opened.ready();
  const { backend } = opened;
  const live = alignLive(backend, opened.live, current, env.name);
  options.onLive?.(env.label, live);

  const record = gitlab.port && gitlab.project !== undefined && options.record !== false ? { port: gitlab.port, project: gitlab.project } : undefined;
  const last = await readLastApplied({ target: record, env, git, findings: options.findings });
  const base = resolveBase({ option: options.base, env: options.vars, lastApplied: last.sha });
  const baseState = await readBaseState({ config, git, base: base.rev, current });
  // the changes exist for the gates only: an environment without gates neither computes them (locating every changed
  // flag in its file, ~0.5 ms each) nor loads the gates
  const gateFindings = hasGates(env) ? await runInstanceGates({ ...options, baseState, live }) : [];
  // a failed verification's open revert merge request holds new rollouts of its flags here (src/verify)
  const revertOpen = env.verify && gitlab.port && gitlab.project !== undefined
    ? await (await import('../gates/revert-holds.js')).openRevertHolds(gitlab.port, gitlab.project, env.name)
    : undefined;
  const envPlan = planEnvironment({
    env,
    ...(revertOpen ? { revertOpen } : {}),
    planFlag: (flag, liveFlag, desired) => backend.plan(flag, liveFlag, desired),
    ...(backend.liveNote ? { liveNote: backend.liveNote.bind(backend) } : {}),
    ...(backend.steps ? { stepsOf: backend.steps.bind(backend) } : {}),
    current,
    base: baseState,
    live,
    gateFindings,
    prune: config.prune,
    maxDeletes: config.maxDeletes,
    checkDrift: baseState.sha !== undefined,
    interrupted: last.interrupted,
  });
  options.findings.push(...gateFindings);
  options.findings.push(...envPlan.findings);

  const stale = options.savedPlan && options.mode === 'apply' ? staleFinding(options.savedPlan, envPlan) : undefined;
  if (stale) {
    // changed since the check at the start of this run (an earlier environment's apply, someone else): nothing written
    options.findings.push(stale);
    return { plan: envPlan, label: env.label, results: envPlan.flags.map((f) => ({ flag: f.flag, outcome: f.status === 'change' ? 'pending' : f.status, done: [] })) };
  }
  if (options.mode !== 'apply') return { plan: envPlan, label: env.label, results: envPlan.flags.map((f) => ({ flag: f.flag, outcome: f.status === 'change' ? 'dry-run' : f.status, done: [] })) };

  const total = envPlan.flags.filter((f) => f.status === 'change').length;
  const head = record && !options.dryRun ? await committedHead(options) : undefined;
  const mark = options.dryRun
    ? { finish: async () => undefined }
    : await startApplyMark({
        target: record,
        env: env.record,
        sha: head,
        ref: options.vars.CI_COMMIT_REF_NAME ?? options.vars.CI_DEFAULT_BRANCH ?? 'main',
        alreadyRecorded: head !== undefined && last.sha === head,
        writes: total > 0,
        findings: options.findings,
      });
  const results = await executePlan({
    backend,
    plan: envPlan,
    concurrency: options.concurrency ?? 8,
    dryRun: options.dryRun ?? false,
    ...(options.onFlag ? { onFlag: (r: FlagResult) => options.onFlag!(env.label, r, total) } : {}),
  });
  for (const r of results.filter((x) => x.outcome === 'failed')) {
    if (r.error?.kind === 'licensed-name') {
      options.findings.push(licensedRefusal(r.flag, env, config, current));
      continue;
    }
    options.findings.push({
      code: r.error?.kind === 'verify' ? 'apply/verify' : 'apply/failed',
      severity: 'error',
      flag: r.flag,
      env: env.name,
      message: `${env.label}: ${r.flag} was not applied${r.done.length ? ` (done: ${r.done.join('; ')})` : ''}: ${r.error?.message ?? 'unknown error'}`,
      hint: 'flagops apply is safe to re-run',
    });
  }
  const converged = results.every((r) => r.outcome === 'applied' || r.outcome === 'in-sync' || r.outcome === 'unmanaged');
  const recorded = await mark.finish(converged);
  if (gitlab.port && gitlab.project !== undefined && !options.dryRun && (options.announce !== false || env.log)) {
    options.findings.push(...(await options.announcing(() => announceInstance({ ...options, envPlan, results, baseState, notes: options.announce !== false }))));
  }
  return { plan: envPlan, label: env.label, results, ...(recorded ? { recorded } : {}) };
}

/** HEAD, unless the working tree has uncommitted edits to flag files or flagops.yml: then nothing is recorded. */
async function committedHead(options: { head: HeadCommit; dirty: () => Promise<string[] | undefined>; env: InstanceTarget; findings: Finding[] }): Promise<string | undefined> {
  const sha = await options.head.get();
  const dirty = sha ? await options.dirty() : undefined;
  if (!sha || !dirty || dirty.length === 0) return sha;
  options.findings.push({
    code: 'apply/record',
    severity: 'warning',
    env: options.env.name,
    message: `${options.env.label}: not recorded as applied: the working tree has uncommitted edits (${dirty.slice(0, 5).join(', ')}${dirty.length > 5 ? ', …' : ''}), so ${sha.slice(0, 8)} is not what was applied`,
    hint: 'commit the edits and apply again, or apply from a clean checkout (CI)',
  });
  return undefined;
}
