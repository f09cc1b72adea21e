/**
 * `flagops verify --env NAME` (DESIGN §6, verification after a toggle): after an apply that changed flags in an
 * environment with `verify:`, start the downstream pipeline with the changed flags as variables and wait for it.
 * - success: nothing else happens.
 * - failed: the changed flags go back to their state before the apply in that environment (rollback.ts: a rollback,
 *   no rollout gate), the revert merge request is opened (revert-mr.ts) and the merge request that brought the change
 *   gets a note saying so. Until the revert merges, apply holds new rollouts of those flags there (revert-holds.ts).
 * - timeout or canceled: an error; nothing is rolled back — the tests did not fail, and rolling back under a
 *   pipeline still running would change what it tests. Re-run the job once it is known.
 * A re-run never rolls back or opens anything twice: flagops' own revert merge request of this change is looked up
 * first, and a change whose flags are all back already (an earlier run cut off before the merge request) is
 * completed without starting the tests again.
 */
import type { EnvironmentConfig, FlagopsConfig } from '../config/types.js';
import type { Git } from '../git/git.js';
import type { GitlabPort, MergeRequest, Pipeline, ProjectRef } from '../gitlab/port.js';
import type { Finding } from '../model/finding.js';
import { findOwnNote, markerFor, upsertNote } from '../announce/upsert-note.js';
import type { Backend } from '../backends/types.js';
import { describeState } from '../model/state.js';
import { appliedChanges, changedFlagsVariable, changesVariable, type AppliedChange } from './applied-changes.js';
import { runDownstream } from './downstream.js';
import { findOwnRevert, openRevert } from './revert-mr.js';
import { rollbackChanges, type RollbackResult } from './rollback.js';

export type VerifyStatus = 'nothing-to-verify' | 'passed' | 'failed' | 'failed-earlier' | 'timeout' | 'canceled' | 'refused';

export interface RunVerifyOptions {
  config: FlagopsConfig;
  env: EnvironmentConfig;
  git: Git;
  /** The flag repository's GitLab (gitlab.token_env): revert merge request and note. */
  gitlab: { port: GitlabPort; project: ProjectRef };
  /** The downstream project's client (verify.token_env, else the same). */
  downstream: GitlabPort;
  /** Text of the apply job's JSON report. */
  report: string;
  /** The applied commit (CI_COMMIT_SHA). */
  commit: string;
  defaultBranch: string;
  vars: Record<string, string | undefined>;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  /** Elapsed time for the wait's timeout, in ms (default performance.now: the real clock, whatever `now` says). */
  monotonic?: () => number;
  client?: { maxTotalMs?: number };
  backends?: Record<string, Backend>;
  onStarted?: (pipeline: Pipeline) => void;
}

export interface VerifyResult {
  status: VerifyStatus;
  changes: AppliedChange[];
  pipeline?: Pipeline;
  rollback: RollbackResult[];
  revert?: { iid: number; webUrl: string; created: boolean };
  findings: Finding[];
}

export async function runVerify(o: RunVerifyOptions): Promise<VerifyResult> {
  const { env } = o;
  const verify = env.verify!;
  const findings: Finding[] = [];
  const parsed = appliedChanges(o.report, env.name);
  if (!parsed.ok) return refused(`the apply report is not usable: ${parsed.problem}`);
  if (parsed.commit && parsed.commit !== o.commit) return refused(`the apply report is of ${parsed.commit.slice(0, 12)}, not of ${o.commit.slice(0, 12)}: it is another pipeline's`);
  const changes = parsed.changes;
  if (changes.length === 0) {
    return { status: 'nothing-to-verify', changes, rollback: [], findings: [{ code: 'verify/nothing-changed', severity: 'info', env: env.name, message: `${env.name}: the apply changed no flag: nothing to verify` }] };
  }
  const rollbackOptions = { env, changes, vars: o.vars, now: o.now, ...(o.client ? { client: o.client } : {}), ...(o.backends ? { backends: o.backends } : {}) };

  // a re-run: flagops' own revert of this change exists, or every flag is back already (cut off before the MR)
  const earlier = await findOwnRevert(o.gitlab.port, o.gitlab.project, { env: env.name, commit: o.commit });
  const inspected = earlier ? [] : await rollbackChanges({ ...rollbackOptions, inspectOnly: true });
  const backAlready = !earlier && inspected.some((r) => r.outcome === 'already-back') && inspected.every((r) => r.outcome === 'already-back' || r.outcome === 'not-a-rollback');
  if (earlier || backAlready) {
    const result = await onFailure(o, { changes, findings, status: 'failed-earlier', mr: earlier, rollbackOptions });
    findings.unshift({
      code: 'verify/failed',
      severity: 'error',
      env: env.name,
      message: `${env.name}: the verification of ${o.commit.slice(0, 12)} failed earlier${result.revert ? `; revert merge request !${result.revert.iid} ${result.revert.webUrl}` : ''}: not started again`,
      hint: 'merge the revert merge request; a new change of these flags gets verified again',
    });
    return result;
  }

  const run = await runDownstream({
    port: o.downstream,
    project: verify.project,
    ref: verify.ref,
    variables: [
      { key: 'FLAGOPS_CHANGED_FLAGS', value: changedFlagsVariable(changes) },
      { key: 'FLAGOPS_CHANGES', value: changesVariable(changes) },
      { key: 'FLAGOPS_ENVIRONMENT', value: env.name },
      { key: 'FLAGOPS_COMMIT', value: o.commit },
      ...(o.vars.CI_PIPELINE_URL ? [{ key: 'FLAGOPS_PIPELINE_URL', value: o.vars.CI_PIPELINE_URL }] : []),
    ],
    timeoutMs: verify.timeoutMs,
    now: o.monotonic ?? (() => performance.now()),
    sleep: o.sleep,
    ...(o.onStarted ? { onStarted: o.onStarted } : {}),
  });
  const pipeline = run.pipeline;
  const names = changes.map((c) => c.flag).join(', ');
  if (run.outcome === 'success') {
    findings.push({ code: 'verify/passed', severity: 'info', env: env.name, message: `${env.name}: verification pipeline ${pipeline.webUrl} passed for ${names}` });
    return { status: 'passed', changes, pipeline, rollback: [], findings };
  }
  if (run.outcome === 'timeout' || run.outcome === 'canceled') {
    const what = run.outcome === 'timeout' ? `has not finished after ${verify.timeout} (${pipeline.status})` : `was ${pipeline.status}`;
    findings.push({
      code: `verify/${run.outcome}`,
      severity: 'error',
      env: env.name,
      message: `${env.name}: verification pipeline ${pipeline.webUrl} ${what}: nothing rolled back (${names} stay as applied)`,
      hint: run.outcome === 'timeout'
        ? 'once it finished, re-run this job (it starts the pipeline again), or raise verify.timeout in flagops.yml'
        : 're-run this job to start the verification again',
    });
    await note(o, { title: `verification in ${env.name} ${run.outcome === 'timeout' ? 'timed out' : 'was canceled'}`, lines: [`Pipeline ${pipeline.webUrl} ${what}. Nothing was rolled back.`], findings });
    return { status: run.outcome, changes, pipeline, rollback: [], findings };
  }
  const result = await onFailure(o, { changes, findings, status: 'failed', pipeline, rollbackOptions });
  findings.unshift({
    code: 'verify/failed',
    severity: 'error',
    env: env.name,
    message: `${env.name}: verification pipeline ${pipeline.webUrl} failed: ${describeRollback(result.rollback)}${result.revert ? `; revert merge request !${result.revert.iid} ${result.revert.webUrl}` : ''}`,
    hint: 'merge the revert merge request once the cause is understood; until then a new rollout of these flags here is held',
  });
  return result;
}

async function onFailure(
  o: RunVerifyOptions,
  a: { changes: AppliedChange[]; findings: Finding[]; status: VerifyStatus; pipeline?: Pipeline; mr?: MergeRequest; rollbackOptions: Parameters<typeof rollbackChanges>[0] },
): Promise<VerifyResult> {
  const { env } = o;
  const rollback = await rollbackChanges(a.rollbackOptions);
  for (const r of rollback.filter((x) => x.outcome === 'failed' || x.outcome === 'changed-since' || x.outcome === 'not-a-rollback')) {
    a.findings.push({ code: `verify/rollback-${r.outcome}`, severity: r.outcome === 'failed' ? 'error' : 'warning', flag: r.flag, env: env.name, message: `${env.name}${r.instance !== env.name ? `/${r.instance}` : ''}: ${r.flag}: ${r.message}` });
  }
  const back = a.changes.filter((c) => rollback.some((r) => r.flag === c.flag && (r.outcome === 'rolled-back' || r.outcome === 'already-back')));
  const pipelineUrl = a.pipeline?.webUrl ?? '(an earlier run)';
  const changeMr = await changeMergeRequest(o);
  let revert: VerifyResult['revert'];
  if (a.mr) revert = { iid: a.mr.iid, webUrl: a.mr.webUrl, created: false };
  else if (back.length > 0) {
    try {
      const opened = await openRevert({ port: o.gitlab.port, project: o.gitlab.project, config: o.config, git: o.git, env: env.name, commit: o.commit, defaultBranch: o.defaultBranch, changes: back, pipelineUrl, ...(changeMr ? { changeMr } : {}) });
      revert = { iid: opened.mr.iid, webUrl: opened.mr.webUrl, created: opened.created };
    } catch (error) {
      a.findings.push({ code: 'verify/revert', severity: 'error', env: env.name, message: `${env.name}: could not open the revert merge request: ${messageOf(error)}`, hint: 'the flags are rolled back; put their state back in the flag files by hand (flagops set), or re-run this job' });
    }
  }
  await note(o, {
    title: `verification failed in ${env.name}: rolled back`,
    lines: [
      `The verification pipeline ${pipelineUrl} failed.`,
      '',
      '| flag | environment | rolled back |',
      '|---|---|---|',
      ...rollback.map((r) => `| \`${r.flag}\` | ${r.instance} | ${r.outcome === 'rolled-back' || r.outcome === 'already-back' ? `${describeState(a.changes.find((c) => c.flag === r.flag)?.before)} (${r.outcome})` : r.message.replace(/\|/g, '\\|')} |`),
      '',
      revert ? `Revert merge request: !${revert.iid} ${revert.webUrl} — until it merges, a new rollout of these flags in ${env.name} is held.` : 'No revert merge request could be opened.',
    ],
    findings: a.findings,
    ...(changeMr ? { mr: changeMr } : {}),
    // a re-run completes what an earlier run left undone; it does not rewrite that run's note
    onlyIfMissing: a.status === 'failed-earlier',
  });
  return { status: a.status, changes: a.changes, ...(a.pipeline ? { pipeline: a.pipeline } : {}), rollback, ...(revert ? { revert } : {}), findings: a.findings };
}

/** The merge request that brought the applied commit (its merge, squash or head commit), when there is one. */
async function changeMergeRequest(o: RunVerifyOptions): Promise<{ iid: number; webUrl: string; projectId: number } | undefined> {
  try {
    const mrs = await o.gitlab.port.listCommitMergeRequests(o.gitlab.project, o.commit);
    const mr = mrs.find((m) => m.state === 'merged' && m.landedSha === o.commit) ?? mrs.find((m) => m.state === 'merged');
    return mr ? { iid: mr.iid, webUrl: mr.webUrl, projectId: mr.projectId } : undefined;
  } catch {
    return undefined;
  }
}

/** The announcement on the merge request of the change, as apply's (src/announce): one note, edited in place. */
async function note(o: RunVerifyOptions, a: { title: string; lines: string[]; findings: Finding[]; mr?: { iid: number; projectId: number }; onlyIfMissing?: boolean }): Promise<void> {
  const mr = a.mr ?? (await changeMergeRequest(o));
  if (!mr) return;
  const target = { kind: 'merge_request' as const, project: mr.projectId, iid: mr.iid };
  const purpose = `verify:${o.env.name}`;
  try {
    if (a.onlyIfMissing && (await findOwnNote(o.gitlab.port, target, markerFor(purpose)))) return;
    await upsertNote({ port: o.gitlab.port, target, purpose, body: [`#### flagops: ${a.title}`, '', ...a.lines].join('\n') });
  } catch (error) {
    a.findings.push({ code: 'announce', severity: 'warning', env: o.env.name, message: `could not announce on merge request !${mr.iid}: ${messageOf(error)}` });
  }
}

function describeRollback(rollback: readonly RollbackResult[]): string {
  const done = rollback.filter((r) => r.outcome === 'rolled-back' || r.outcome === 'already-back');
  return done.length === 0 ? 'nothing could be rolled back' : `rolled back ${done.map((r) => `${r.flag} (${r.message})`).join(', ')}`;
}

function refused(message: string): VerifyResult {
  return { status: 'refused', changes: [], rollback: [], findings: [{ code: 'verify/report', severity: 'error', message, hint: 'run verify in the pipeline of the apply, with its flagops-apply-<env>.json artifact (--apply-report FILE)' }] };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
