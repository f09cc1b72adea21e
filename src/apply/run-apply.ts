/**
 * `flagops plan | apply | status` (DESIGN §5): per environment in promotion order, read live state once, compare with
 * the files, run the gates, plan (pure), and — for apply — execute, verify and record the applied commit.
 */
import { createBackend } from '../backends/create-backend.js';
import type { Backend, LiveState } from '../backends/types.js';
import type { FlagopsConfig, EnvironmentConfig } from '../config/types.js';
import { createMemo } from '../gates/common.js';
import { hasGates } from '../gates/configured.js';
import type { FlagChange } from '../gates/types.js';
import { createGit, type Git } from '../git/git.js';
import { sortFindings, type Finding } from '../model/finding.js';
import { classifyChange } from '../model/state.js';
import { resolveBase } from '../plan/base.js';
import { planEnvironment, PLAN_VERSION, type EnvPlan, type Plan } from '../plan/build-plan.js';
import { computeChanges, readBaseState } from '../plan/changes.js';
import { desiredFromDocuments, desiredIn } from '../plan/desired.js';
import { validateFlagsYielding } from '../rules/run-rules.js';
import { selectEnvironments, unknownEnvOption } from '../config/select-environments.js';
import type { GitlabTarget } from './gitlab-target.js';
import { executePlan, type FlagResult } from './execute.js';
import type { AppliedFlag } from '../announce/announce.js';
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
  onEnvironment?: (event: { env: string; phase: 'start' | 'end'; result?: EnvResult }) => void;
  /** Called once the flag files are validated. */
  onValidated?: (summary: { files: number; findings: Finding[] }) => void;
  /** Called after each flag is applied (progress on long runs). */
  onFlag?: (env: string, result: FlagResult, total: number) => void;
  /** The environment's live state, as read once before planning, in the files' terms (Backend.align); published as the live snapshot. */
  onLive?: (env: string, live: LiveState) => void;
}

export interface EnvResult {
  plan: EnvPlan;
  results: FlagResult[];
  recorded?: string;
}

export interface RunApplyResult {
  plan: Plan;
  environments: EnvResult[];
  findings: Finding[];
  /** An environment's backend or GitLab failed after retries. */
  remoteFailure: boolean;
}

export async function runApply(options: RunApplyOptions): Promise<RunApplyResult> {
  const { config } = options;
  const envs = selectEnvironments(config, { names: options.envs, unknown: unknownEnvOption });
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
  const first = envs[0] ? openEnvironment(envs[0], options, []) : undefined;
  const validation = await validateFlagsYielding({ config });
  const findings: Finding[] = [...validation.findings];
  const plan: Plan = { planVersion: PLAN_VERSION, createdAt: options.now.toISOString(), environments: [] };
  options.onValidated?.({ files: validation.documents.length, findings: validation.findings });
  if (validation.findings.some((f) => f.severity === 'error')) {
    // a file that does not parse could be a managed flag: applying without it would delete it everywhere
    return { plan, environments: [], findings: sortFindings(findings), remoteFailure: false };
  }
  const current = desiredFromDocuments(validation.valid);
  const repositoryNames = [...new Set([...current.values()].flatMap((f) => Object.values(f.environments).flatMap((st) => (typeof st === 'object' ? (st.actors?.repositories ?? []) : []))))];
  if (!config.gitlab) {
    findings.push({ code: 'gitlab/absent', severity: 'info', message: 'no gitlab section: GitLab gates, the last-applied record and announcements are skipped' });
  }
  const memo = createMemo();
  let edits: Promise<string[] | undefined> | undefined;
  const dirty = (): Promise<string[] | undefined> => (edits ??= uncommittedEdits(config, git));
  const environments: EnvResult[] = [];
  let remoteFailure = false;
  for (const env of envs) {
    options.onEnvironment?.({ env: env.name, phase: 'start' });
    // the early read knew no repository paths: used only when no file names a repository actor (the common case)
    const opened = env === envs[0] && first && repositoryNames.length === 0 ? first : openEnvironment(env, options, repositoryNames);
    const result = await runEnvironment({ ...options, env, opened, current, git, head, dirty, memo, findings });
    if (result.results.some((r) => r.outcome === 'failed' && r.error?.kind === 'remote')) remoteFailure = true;
    environments.push(result);
    plan.environments.push(result.plan);
    options.onEnvironment?.({ env: env.name, phase: 'end', result });
  }
  const commit = await head.known();
  if (commit) plan.commit = commit;
  return { plan, environments, findings: sortFindings(findings), remoteFailure };
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

interface OpenedEnvironment {
  ready(): Promise<{ backend: Backend; live: LiveState }>;
}

/** Builds the backend and starts its one read; errors surface when the environment's turn comes, in order. */
function openEnvironment(env: EnvironmentConfig, options: RunApplyOptions, repositoryNames: readonly string[]): OpenedEnvironment {
  let opened: Promise<{ backend: Backend; live: LiveState }>;
  try {
    const { backend } = createBackend({
      env,
      vars: options.vars,
      repositoryNames,
      now: () => options.now,
      ...(options.client ? { client: options.client } : {}),
    });
    opened = backend.read().then((live) => ({ backend, live }));
  } catch (error) {
    opened = Promise.reject(error);
  }
  opened.catch(() => undefined); // handled by ready(); never an unhandled rejection meanwhile
  return { ready: () => opened };
}

async function runEnvironment(
  options: RunApplyOptions & {
    env: EnvironmentConfig;
    opened: OpenedEnvironment;
    current: ReturnType<typeof desiredFromDocuments>;
    git: Git;
    head: HeadCommit;
    dirty: () => Promise<string[] | undefined>;
    memo: ReturnType<typeof createMemo>;
    findings: Finding[];
  },
): Promise<EnvResult> {
  const { env, config, git, current, gitlab } = options;
  const opened = await options.opened.ready();
  const { backend } = opened;
  const live = alignLive(backend, opened.live, current, env.name);
  options.onLive?.(env.name, live);

  const record = gitlab.port && gitlab.project !== undefined && options.record !== false ? { port: gitlab.port, project: gitlab.project } : undefined;
  const last = await readLastApplied({ target: record, env, git, findings: options.findings });
  const base = resolveBase({ option: options.base, env: options.vars, lastApplied: last.sha });
  const baseState = await readBaseState({ config, git, base: base.rev, current });
  // the changes exist for the gates only: an environment without gates neither computes them (locating every changed
  // flag in its file, ~0.5 ms each) nor loads the gates
  const gateFindings = hasGates(env) ? await runEnvironmentGates({ ...options, baseState, live }) : [];
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
    return { plan: envPlan, results: envPlan.flags.map((f) => ({ flag: f.flag, outcome: f.status === 'change' ? 'pending' : f.status, done: [] })) };
  }
  if (options.mode !== 'apply') return { plan: envPlan, results: envPlan.flags.map((f) => ({ flag: f.flag, outcome: f.status === 'change' ? 'dry-run' : f.status, done: [] })) };

  const total = envPlan.flags.filter((f) => f.status === 'change').length;
  const head = record && !options.dryRun ? await committedHead(options) : undefined;
  const mark = options.dryRun
    ? { finish: async () => undefined }
    : await startApplyMark({
        target: record,
        env: env.name,
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
    ...(options.onFlag ? { onFlag: (r: FlagResult) => options.onFlag!(env.name, r, total) } : {}),
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
      message: `${env.name}: ${r.flag} was not applied${r.done.length ? ` (done: ${r.done.join('; ')})` : ''}: ${r.error?.message ?? 'unknown error'}`,
      hint: 'flagops apply is safe to re-run',
    });
  }
  const converged = results.every((r) => r.outcome === 'applied' || r.outcome === 'in-sync' || r.outcome === 'unmanaged');
  const recorded = await mark.finish(converged);
  if (gitlab.port && gitlab.project !== undefined && !options.dryRun && (options.announce !== false || env.log)) {
    options.findings.push(...(await announceEnvironment({ ...options, envPlan, results, baseState, notes: options.announce !== false })));
  }
  return { plan: envPlan, results, ...(recorded ? { recorded } : {}) };
}

/**
 * In apply, gates judge operations, not file diffs (DESIGN §4): each changed flag is judged from its live state to
 * its desired state. A flag already live as desired has nothing to apply and runs no gate (adopting live flags with
 * `import` leaves apply green); one whose operation only lowers exposure is a rollback, whatever the files did.
 */
function judgedAgainstLive(changes: FlagChange[], live: LiveState): FlagChange[] {
  const out: FlagChange[] = [];
  for (const change of changes) {
    const before = live.get(change.flag)?.state;
    const kind = classifyChange(before, change.after, change.defaultEnabled);
    if (kind === 'none') continue;
    // assigned, not spread: the change's position is a lazy getter that only a finding should evaluate
    change.before = before;
    change.kind = kind;
    out.push(change);
  }
  return out;
}

/** HEAD, unless the working tree has uncommitted edits to flag files or flagops.yml: then nothing is recorded. */
async function committedHead(options: { head: HeadCommit; dirty: () => Promise<string[] | undefined>; env: EnvironmentConfig; findings: Finding[] }): Promise<string | undefined> {
  const sha = await options.head.get();
  const dirty = sha ? await options.dirty() : undefined;
  if (!sha || !dirty || dirty.length === 0) return sha;
  options.findings.push({
    code: 'apply/record',
    severity: 'warning',
    env: options.env.name,
    message: `${options.env.name}: not recorded as applied: the working tree has uncommitted edits (${dirty.slice(0, 5).join(', ')}${dirty.length > 5 ? ', …' : ''}), so ${sha.slice(0, 8)} is not what was applied`,
    hint: 'commit the edits and apply again, or apply from a clean checkout (CI)',
  });
  return undefined;
}

async function runEnvironmentGates(args: {
  env: EnvironmentConfig;
  config: FlagopsConfig;
  current: ReturnType<typeof desiredFromDocuments>;
  baseState: Awaited<ReturnType<typeof readBaseState>>;
  live: LiveState;
  git: Git;
  gitlab: GitlabTarget;
  now: Date;
  memo: ReturnType<typeof createMemo>;
}): Promise<Finding[]> {
  const { env, config, git, gitlab } = args;
  const [{ runGates }, { createSoakSource }] = await Promise.all([import('../gates/run-gates.js'), import('../gates/soak-source.js')]);
  const changes = judgedAgainstLive(computeChanges({ config, current: args.current, base: args.baseState, envs: [env.name] }), args.live);
  const applied = createSoakSource({
    config,
    files: changes.filter((c) => c.kind === 'rollout').map((c) => c.file),
    envs: [env],
    git,
    now: args.now,
    ...(gitlab.port && gitlab.project !== undefined ? { records: { port: gitlab.port, project: gitlab.project } } : {}),
  });
  // outside a merge request, the MR that brought the commit: its change issue, its production-check override label
  if ((env.changeManagement || env.productionCheck) && !gitlab.mr) await addCommitShas(changes, git, config.dir);
  const { findings } = await runGates({
    changes,
    ctx: {
      now: args.now,
      env,
      environments: config.environments,
      ...(gitlab.port ? { port: gitlab.port } : {}),
      ...(gitlab.project !== undefined ? { flagProject: gitlab.project } : {}),
      ...(gitlab.mr ? { mr: gitlab.mr } : {}),
      // made per environment: an `after` environment applied earlier in this run counts with its new record
      ...(applied ? { applied } : {}),
      memo: args.memo,
    },
  });
  return findings;
}

async function announceEnvironment(args: {
  env: EnvironmentConfig;
  envPlan: EnvPlan;
  results: FlagResult[];
  baseState: Awaited<ReturnType<typeof readBaseState>>;
  current: ReturnType<typeof desiredFromDocuments>;
  git: Git;
  config: FlagopsConfig;
  gitlab: GitlabTarget;
  vars: Record<string, string | undefined>;
  now: Date;
  /** Announce on the MR and issues (else only the feature-flag log, when configured). */
  notes: boolean;
  findings: Finding[];
}): Promise<Finding[]> {
  const { resolve } = await import('node:path');
  const applied: AppliedFlag[] = [];
  for (const r of args.results.filter((x) => x.outcome === 'applied')) {
    const f = args.envPlan.flags.find((x) => x.flag === r.flag)!;
    const doc = args.current.get(r.flag) ?? args.baseState.flags.get(r.flag);
    const history = f.file ? await args.git.fileHistory({ path: resolve(args.config.dir, f.file), ref: 'HEAD' }).catch(() => []) : [];
    applied.push({
      flag: r.flag,
      env: args.env.name,
      before: f.live,
      after: f.desired,
      ...(history[0] ? { commitSha: history[0].sha } : {}),
      ...(doc?.rolloutIssueUrl ? { rolloutIssueUrl: doc.rolloutIssueUrl } : {}),
    });
  }
  if (applied.length === 0) return [];
  const out: Finding[] = [];
  if (args.env.log) {
    const { logApplied } = await import('../log/log-applied.js');
    const typed = applied.map((a) => {
      const doc = args.current.get(a.flag) ?? args.baseState.flags.get(a.flag);
      return { ...a, ...(doc?.flagType ? { flagType: doc.flagType } : {}), ...(doc?.group ? { group: doc.group } : {}) };
    });
    out.push(...(await logApplied({ port: args.gitlab.port!, flagProject: args.gitlab.project!, logProject: args.env.log.project, applied: typed, findings: args.findings, vars: args.vars })));
  }
  if (!args.notes) return out;
  const { announce } = await import('../announce/announce.js');
  return [...out, ...(await announce({
    port: args.gitlab.port!,
    flagProject: args.gitlab.project!,
    applied,
    now: args.now,
    ...(args.vars.CI_PIPELINE_URL ? { pipelineUrl: args.vars.CI_PIPELINE_URL } : {}),
    changeProjects: { [args.env.name]: args.env.changeManagement?.project },
  }))];
}

/** Outside a merge request, the change-request gate finds the MR through the commit that last changed the file. */
async function addCommitShas(changes: FlagChange[], git: Git, dir: string): Promise<void> {
  const { resolve } = await import('node:path');
  for (const change of changes) {
    const history = await git.fileHistory({ path: resolve(dir, change.file), ref: 'HEAD' }).catch(() => []);
    if (history[0]) change.commitSha = history[0].sha;
  }
}
