/**
 * Carrying out one instance's plan (DESIGN §5): mark the commit as being applied, execute the operations, report
 * each flag that did not land, record the commit once the instance converged, then log and announce.
 */
import type { Finding } from '../model/finding.js';
import type { EnvPlan } from '../plan/build-plan.js';
import { announceInstance } from './announce-instance.js';
import { startApplyMark } from './applied-record.js';
import type { EnvResult, InstanceRun } from './apply-types.js';
import { committedHead } from './committed-head.js';
import { executePlan, type FlagResult } from './execute.js';
import { licensedRefusal } from './licensed-refusal.js';
import type { PlannedInstance } from './plan-instance.js';

/** An instance's result when nothing is written: each change `dry-run` (plan, status) or `pending` (held). */
export function unwritten(args: { envPlan: EnvPlan; label: string; outcome: 'dry-run' | 'pending' }): EnvResult {
  const results = args.envPlan.flags.map((f): FlagResult => ({ flag: f.flag, outcome: f.status === 'change' ? args.outcome : f.status, done: [] }));
  return { plan: args.envPlan, label: args.label, results };
}

export async function executeInstance(run: InstanceRun & { planned: PlannedInstance }): Promise<EnvResult> {
  const { env, gitlab } = run;
  const { envPlan, backend, record, last, baseState } = run.planned;
  const total = envPlan.flags.filter((f) => f.status === 'change').length;
  const head = record && !run.dryRun ? await committedHead(run) : undefined;
  const mark = run.dryRun
    ? { finish: async () => undefined }
    : await startApplyMark({
        target: record,
        env: env.record,
        sha: head,
        ref: run.vars.CI_COMMIT_REF_NAME ?? run.vars.CI_DEFAULT_BRANCH ?? 'main',
        alreadyRecorded: head !== undefined && last.sha === head,
        writes: total > 0,
        findings: run.findings,
      });
  const results = await executePlan({
    backend,
    plan: envPlan,
    concurrency: run.concurrency ?? 8,
    dryRun: run.dryRun ?? false,
    ...(run.onFlag ? { onFlag: (r: FlagResult) => run.onFlag!(env.label, r, total) } : {}),
  });
  run.findings.push(...failureFindings({ run, results }));
  const converged = results.every((r) => r.outcome === 'applied' || r.outcome === 'in-sync' || r.outcome === 'unmanaged');
  const recorded = await mark.finish(converged);
  if (gitlab.port && gitlab.project !== undefined && !run.dryRun && (run.announce !== false || env.log)) {
    run.findings.push(...(await run.announcing(() => announceInstance({ ...run, envPlan, results, baseState, notes: run.announce !== false }))));
  }
  return { plan: envPlan, label: env.label, results, ...(recorded ? { recorded } : {}) };
}

/** One error per flag that was not applied: what was done of it and why it stopped (a licensed name says so). */
function failureFindings(args: { run: InstanceRun; results: readonly FlagResult[] }): Finding[] {
  const { env, config, current } = args.run;
  return args.results
    .filter((r) => r.outcome === 'failed')
    .map((r) =>
      r.error?.kind === 'licensed-name'
        ? licensedRefusal(r.flag, env, config, current)
        : {
            code: r.error?.kind === 'verify' ? 'apply/verify' : 'apply/failed',
            severity: 'error' as const,
            flag: r.flag,
            env: env.name,
            message: `${env.label}: ${r.flag} was not applied${r.done.length ? ` (done: ${r.done.join('; ')})` : ''}: ${r.error?.message ?? 'unknown error'}`,
            hint: 'flagops apply is safe to re-run',
          },
    );
}
