/**
 * The feature-flag log (DESIGN §5, ChatOps' feature-flag log): for each applied change of a flag in an environment
 * with `log:`, one issue in the log project, opened and closed at once. It names the flag, the environment,
 * before → after, the merge request, the pipeline and who merged, and carries the labels `env::<env>`,
 * `flag-type::<type>` and the flag's group. A re-run never opens a second one: each issue holds a hidden marker of
 * (environment, flag, applied commit, new state), and only issues written by flagops' own user (`GET /user`) count —
 * an issue by anyone else is never trusted, whatever marker it copies.
 */
import { createHash } from 'node:crypto';
import { findOwnIssue } from '../announce/own-issue.js';
import type { GitlabPort, ProjectRef } from '../gitlab/port.js';
import type { Finding } from '../model/finding.js';
import { describeState, type MaybeState } from '../model/state.js';
import { logRingChange, type RingPart } from './ring-log.js';

export interface LoggedChange {
  flag: string;
  env: string;
  before: MaybeState;
  after: MaybeState;
  flagType?: string;
  group?: string;
  /** The merge request that brought the change, when one did. */
  mr?: { iid: number; webUrl: string; mergedBy?: string };
  /** Warnings the change went ahead with (an overridden production check). */
  warnings: string[];
  /** For a ring (`env` is the ring's name): the instance applied; the ring's one issue lists its instances. */
  ring?: RingPart;
}

export interface LogOptions {
  port: GitlabPort;
  /** `log.project` of the environment. */
  project: ProjectRef;
  /** The applied commit (CI_COMMIT_SHA), part of what makes a change the same change on a re-run. */
  commit: string;
  pipelineUrl?: string;
  changes: readonly LoggedChange[];
}

/** Pure: the hidden marker of one change. */
export function logMarker(c: Pick<LoggedChange, 'flag' | 'env' | 'after'>, commit: string): string {
  const state = createHash('sha256').update(JSON.stringify(c.after ?? null)).digest('hex').slice(0, 16);
  return `<!-- flagops:log env=${c.env} flag=${c.flag} commit=${commit} state=${state} -->`;
}

/** Pure: the labels a team filters the log on. */
export function logLabels(c: Pick<LoggedChange, 'env' | 'flagType' | 'group'>): string[] {
  const labels = [`env::${c.env}`];
  if (c.flagType) labels.push(`flag-type::${c.flagType}`);
  if (c.group) labels.push(c.group);
  return labels.filter((l) => !l.includes(','));
}

/** Pure: title and description of the issue. */
export function renderLogIssue(c: LoggedChange, opts: { commit: string; pipelineUrl?: string }): { title: string; description: string } {
  const before = describeState(c.before);
  const after = describeState(c.after);
  const title = `Feature flag ${c.flag} in ${c.env}: ${before} → ${after}`.slice(0, 255);
  const lines = [
    logMarker(c, opts.commit),
    `flagops applied \`${c.flag}\` in **${c.env}**: ${before} → ${after}.`,
    '',
    `- flag: \`${c.flag}\`${c.flagType ? ` (${c.flagType})` : ''}`,
    `- environment: ${c.env}${c.ring ? ` (a ring of ${c.ring.instances.length} instances; each is listed below once applied)` : ''}`,
    `- before → after: ${before} → ${after}`,
    `- merge request: ${c.mr ? `!${c.mr.iid} ${c.mr.webUrl}` : '(none: not from a merge request)'}`,
    `- merged by: ${c.mr?.mergedBy ? `@${c.mr.mergedBy}` : '(unknown)'}`,
    `- pipeline: ${opts.pipelineUrl ?? '(not in CI)'}`,
    `- commit: ${opts.commit}`,
  ];
  for (const w of c.warnings) lines.push(`- **warning**: ${w}`);
  return { title, description: `${lines.join('\n')}\n` };
}

/** Opens and closes one issue per change not logged yet; problems come back as warnings (logging never fails an apply). */
export async function logChanges(options: LogOptions): Promise<{ findings: Finding[]; created: number[] }> {
  const { port, project } = options;
  const findings: Finding[] = [];
  const created: number[] = [];
  for (const c of options.changes) {
    try {
      const marker = logMarker(c, options.commit);
      const labels = logLabels(c);
      if (c.ring) {
        const ring = c.ring;
        const iid = await logRingChange({ port, project, change: { ...c, ring }, marker, labels, render: () => renderLogIssue(c, options) });
        if (iid !== undefined) created.push(iid);
        continue;
      }
      const existing = await findOwnIssue(port, project, { marker, labels: [`env::${c.env}`], search: c.flag });
      if (existing) {
        if (existing.state === 'opened') await port.closeIssue(project, existing.iid);
        continue;
      }
      const issue = await port.createIssue(project, { ...renderLogIssue(c, options), labels });
      await port.closeIssue(project, issue.iid);
      created.push(issue.iid);
    } catch (error) {
      findings.push({
        code: 'log',
        severity: 'warning',
        flag: c.flag,
        env: c.env,
        message: `${c.env}: could not log the change of ${c.flag} in ${String(project)}: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }
  return { findings, created };
}
