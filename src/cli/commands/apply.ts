/** `flagops plan | apply | status` (DESIGN §3, §5): the CLI side — options, printing, reports, exit codes. */
import { liveAfterRun, writeSnapshot } from '../../apply/publish-snapshot.js';
import type { LiveState } from '../../backends/types.js';
import { readFileSync } from 'node:fs';
import { planFileProblem } from '../../plan/plan-file.js';
import { resolve } from 'node:path';
import { runApply, type RunApplyResult, type RunMode } from '../../apply/run-apply.js';
import { UsageError } from '../../errors/errors.js';
import { isGateCode } from '../../gates/configured.js';
import type { Plan } from '../../plan/build-plan.js';
import { renderEnvText, renderPlanMarkdown, renderRingStatus, renderStatusText } from '../../report/plan-text.js';
import { selectEnvironments, selectInstances, unknownEnvOption } from '../../config/select-environments.js';
import { formatFindings, summarize } from '../../report/text.js';
import { requireConfig } from '../context.js';
import { GATE_CONFIGURED } from '../../gates/configured.js';
import { clientLimits, gitlabTarget } from '../gitlab.js';
import { useColor, type CliIo, type CommonOptions } from '../io.js';
import { reportTargets, writeReports } from '../output.js';
import { forceGone } from './force-gone.js';

export interface ApplyCliOptions extends CommonOptions {
  env?: string[];
  /** `--environment`: the same as `--env`. */
  environment?: string[];
  /** `--instance NAME`: only these instances of the one `--env` ring. */
  instance?: string[];
  base?: string;
  plan?: string;
  dryRun?: boolean;
  allowPending?: boolean;
  /** Gone (refused): force=true is sent only for the flags flagops.yml lists under a backend's `force`. */
  force?: boolean;
  project?: string;
  concurrency?: string;
}

export const APPLY_FORMATS = ['text', 'json', 'markdown'] as const;

export async function runApplyCommand(mode: RunMode, options: ApplyCliOptions, io: CliIo): Promise<number> {
  if (options.force) throw forceGone(mode);
  const targets = reportTargets(options, APPLY_FORMATS);
  const config = requireConfig(options, io);
  const envNames = [...(options.env ?? []), ...(options.environment ?? [])];
  // an unknown environment or instance is a usage error before any request
  selectInstances(selectEnvironments(config, { names: envNames, unknown: unknownEnvOption }), options.instance);
  const gatesNeedGitlab = config.environments.some((e) => e.deployment || e.changeManagement || e.freeze || e.productionCheck || e.log || e.verify || GATE_CONFIGURED.soak(e));
  const gitlab = gitlabTarget(config, io.env, { project: options.project, needToken: gatesNeedGitlab, scope: mode === 'apply' ? 'api' : 'read_api' });
  const concurrency = options.concurrency === undefined ? undefined : Number(options.concurrency);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency > 0 && concurrency <= 64)) {
    throw new UsageError(`--concurrency ${options.concurrency}: a whole number from 1 to 64`);
  }
  const ci = io.env.GITLAB_CI === 'true';
  const lives = new Map<string, { live: LiveState; at: Date }>();
  const result = await runApply({
    mode,
    config,
    ...(envNames.length > 0 ? { envs: envNames } : {}),
    ...(options.instance ? { instances: options.instance } : {}),
    ...(options.base ? { base: options.base } : {}),
    vars: io.env,
    now: io.now(),
    dryRun: Boolean(options.dryRun),
    ...(options.plan ? { savedPlan: readPlan(resolve(io.cwd, options.plan)) } : {}),
    gitlab,
    ...(concurrency ? { concurrency } : {}),
    client: clientLimits(io.env),
    onValidated: ({ files, findings }) => {
      if (targets.stdoutFormat === 'text' && !options.quiet) io.stdout(`validate: ${summarize(findings, files)}\n`);
    },
    onEnvironment: ({ env, phase, result: r }) => {
      if (targets.stdoutFormat !== 'text' || options.quiet) return;
      const stamp = Math.floor(io.now().getTime() / 1000);
      if (phase === 'start' && ci) io.stdout(`\x1b[0Ksection_start:${stamp}:flagops_${env.replace(/\W/g, '_')}[collapsed=false]\r\x1b[0K${mode} ${env}\n`);
      if (phase === 'end' && r) {
        if (r.failed) io.stdout(`== ${r.label} (${r.plan.backend})\n  ✗ not converged: ${r.failed}\n`);
        else io.stdout(`${mode === 'status' ? renderStatusText(r.plan) : renderEnvText(r.plan, mode === 'apply' ? r.results : undefined)}\n`);
        if (r.recorded) io.stdout(`  recorded ${r.recorded.slice(0, 8)} as applied to ${env}\n`);
        if (ci) io.stdout(`\x1b[0Ksection_end:${stamp}:flagops_${env.replace(/\W/g, '_')}\r\x1b[0K\n`);
      }
    },
    onFlag: (env, _r, total) => progress(io, env, total, targets.stdoutFormat === 'text' && !options.quiet),
    onLive: (env, live) => lives.set(env, { live, at: io.now() }),
  });
  if (mode !== 'plan' && io.env.FLAGOPS_PUBLISH_LIVE === 'true') {
    for (const [env, { live, at }] of lives) {
      const flags = liveAfterRun(live, result.environments.find((e) => e.label === env));
      writeSnapshot({ dir: io.cwd, env, readAt: at, flags, ...(io.env.CI_COMMIT_SHA ? { commit: io.env.CI_COMMIT_SHA } : {}), ...(io.env.CI_JOB_URL ? { jobUrl: io.env.CI_JOB_URL } : {}) });
    }
  }
  const exit = exitCode(result, options);
  const renderers = {
    text: () => renderText(result, options, io),
    json: () => `${JSON.stringify(toJson(mode, result, exit), null, 2)}\n`,
    markdown: () =>
      `${renderPlanMarkdown(result.plan.environments, mode === 'apply' ? result.environments.map((e) => e.results) : undefined)}${result.rings.length > 0 ? `\n${result.rings.map((r) => `- ${renderRingStatus(r)}`).join('\n')}\n` : ''}`,
  };
  writeReports(targets, { ...renderers, json: mode === 'plan' ? () => `${JSON.stringify(result.plan, null, 2)}\n` : renderers.json }, io);
  io.stdout(renderers[targets.stdoutFormat as keyof typeof renderers]());
  return exit;
}

function progress(io: CliIo, env: string, total: number, show: boolean): void {
  if (!show || total < 50) return;
  // per instance: the instances of a ring are applied at once, their progress lines interleave
  const counts = progressState.get(io) ?? new Map<string, number>();
  progressState.set(io, counts);
  const done = (counts.get(env) ?? 0) + 1;
  counts.set(env, done);
  if (done % Math.ceil(total / 10) === 0 || done === total) io.stdout(`  ${env}: ${done}/${total} flags\n`);
}
const progressState = new WeakMap<CliIo, Map<string, number>>();

function exitCode(result: RunApplyResult, options: ApplyCliOptions): number {
  if (result.remoteFailure) return 3;
  const errors = result.findings.filter((f) => f.severity === 'error');
  // --allow-pending: flags held by a gate, or prune deletions held back by max_deletes, do not fail the run
  const blocking = options.allowPending ? errors.filter((f) => !isGateCode(f.code) && f.code !== 'prune/max-deletes') : errors;
  return blocking.length > 0 ? 1 : 0;
}

function renderText(result: RunApplyResult, options: ApplyCliOptions, io: CliIo): string {
  const shown = options.quiet ? result.findings.filter((f) => f.severity === 'error') : result.findings.filter((f) => f.severity !== 'info' || !f.code.startsWith('gitlab/'));
  const body = formatFindings(shown, { color: useColor(options, io) });
  const rings = options.quiet ? '' : result.rings.map((r) => `${renderRingStatus(r)}\n`).join('');
  return `${rings}${body ? `${body}\n` : ''}`;
}

function toJson(mode: RunMode, result: RunApplyResult, exit: number): unknown {
  return {
    command: mode,
    ok: exit === 0,
    planVersion: result.plan.planVersion,
    ...(result.plan.commit ? { commit: result.plan.commit } : {}),
    ...(result.rings.length > 0 ? { rings: result.rings } : {}),
    environments: result.environments.map((e) => ({
      env: e.plan.env,
      ...(e.plan.instance ? { instance: e.plan.instance } : {}),
      ...(e.failed ? { failed: e.failed } : {}),
      backend: e.plan.backend,
      ...(e.plan.base ? { base: e.plan.base } : {}),
      ...(e.plan.digest ? { digest: e.plan.digest } : {}),
      ...(e.recorded ? { recorded: e.recorded } : {}),
      flags: e.plan.flags.map((f) => {
        const r = e.results.find((x) => x.flag === f.flag);
        return {
          flag: f.flag,
          ...(f.file ? { file: f.file } : {}),
          live: f.live ?? null,
          desired: f.desired ?? null,
          status: r?.outcome ?? f.status,
          reasons: f.reasons,
          operations: f.operations.map((o) => ({ describe: o.describe, done: r?.done.includes(o.describe) ?? false })),
          ...(r?.error ? { error: r.error } : {}),
        };
      }),
    })),
    findings: result.findings,
  };
}

function readPlan(path: string): Plan {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read the plan file ${path}`);
  }
  let plan: unknown;
  try {
    plan = JSON.parse(text);
  } catch {
    throw new UsageError(`${path} is not a flagops plan: not JSON (flagops plan --format json --output FILE)`);
  }
  const problem = planFileProblem(plan);
  if (problem) throw new UsageError(`${path} is not a flagops plan: ${problem}`, 'write it with flagops plan --format json --output FILE');
  return plan as Plan;
}
