/**
 * After apply, the feature-flag log of one environment (`log:`): each applied flag with its merge request (found
 * from the commit that last changed its file, as the announcements find it), who merged, and the warnings it went
 * ahead with (an overridden production check).
 */
import { GitlabError } from '../errors/errors.js';
import type { GitlabPort, MergeRequest, ProjectRef } from '../gitlab/port.js';
import type { Finding } from '../model/finding.js';
import type { MaybeState } from '../model/state.js';
import { logChanges, type LoggedChange } from './feature-flag-log.js';
import type { RingPart } from './ring-log.js';

export interface AppliedForLog {
  flag: string;
  env: string;
  before: MaybeState;
  after: MaybeState;
  commitSha?: string;
  flagType?: string;
  group?: string;
  /** For an instance of a ring (`env` is the ring's name). */
  ring?: RingPart;
}

export async function logApplied(opts: {
  port: GitlabPort;
  flagProject: ProjectRef;
  logProject: string;
  applied: readonly AppliedForLog[];
  /** The run's findings so far: the override warnings of each flag are recorded in its log issue. */
  findings: readonly Finding[];
  vars: Record<string, string | undefined>;
}): Promise<Finding[]> {
  const changes: LoggedChange[] = [];
  for (const a of opts.applied) {
    const mr = a.commitSha ? await mergeRequestOf(opts.port, opts.flagProject, a.commitSha) : undefined;
    changes.push({
      flag: a.flag,
      env: a.env,
      before: a.before,
      after: a.after,
      ...(a.flagType ? { flagType: a.flagType } : {}),
      ...(a.group ? { group: a.group } : {}),
      ...(a.ring ? { ring: a.ring } : {}),
      ...(mr ? { mr: { iid: mr.iid, webUrl: mr.webUrl, ...(mr.mergedBy ? { mergedBy: mr.mergedBy } : {}) } } : {}),
      warnings: opts.findings
        .filter((f) => f.severity === 'warning' && f.flag === a.flag && f.env === a.env && f.code === 'production-check/overridden')
        .map((f) => f.message),
    });
  }
  const commit = opts.vars.CI_COMMIT_SHA ?? opts.applied.find((a) => a.commitSha)?.commitSha ?? 'unknown';
  const { findings } = await logChanges({
    port: opts.port,
    project: opts.logProject,
    commit,
    ...(opts.vars.CI_PIPELINE_URL ? { pipelineUrl: opts.vars.CI_PIPELINE_URL } : {}),
    changes,
  });
  return findings;
}

async function mergeRequestOf(port: GitlabPort, project: ProjectRef, sha: string): Promise<MergeRequest | undefined> {
  const mrs = await port.listCommitMergeRequests(project, sha).catch((error: unknown) => {
    if (error instanceof GitlabError && error.kind === 'not-found') return [];
    throw error;
  });
  const merged = mrs.filter((m) => m.state === 'merged');
  return merged.find((m) => [m.landedSha, m.mergeCommitSha, m.squashCommitSha].includes(sha)) ?? merged[0];
}
