/**
 * The record of what was applied to an environment: deployments of that environment in the flag repository
 * (DESIGN §5). A run that is about to write marks its commit `running`; once the environment converged the mark
 * becomes `success` (the next run's base), otherwise `failed`. A mark left `running` or `failed` after the last
 * success tells the next run that an apply was cut off half-way, so live states between the base and the desired
 * state are expected rather than drift.
 *
 * Each instance of a ring is recorded on its own, as the GitLab environment `<ring>/<instance>` of the flag
 * repository (a folder `<ring>` in GitLab's environments page); a plain environment under its own name.
 */
import type { InstanceTarget } from '../config/instances.js';
import { FlagopsError } from '../errors/errors.js';
import type { Git } from '../git/git.js';
import type { GitlabPort, ProjectRef } from '../gitlab/port.js';
import type { Finding } from '../model/finding.js';

export interface AppliedRecordTarget {
  port: GitlabPort;
  project: ProjectRef;
}

export interface LastApplied {
  /** The commit last applied completely (full sha, present in this clone). */
  sha?: string;
  /** A later apply did not finish. */
  interrupted: boolean;
}

export async function readLastApplied(args: { target?: AppliedRecordTarget; env: Pick<InstanceTarget, 'name' | 'record' | 'label'>; git: Git; findings: Finding[] }): Promise<LastApplied> {
  const { target, env, git } = args;
  if (!target) return { interrupted: false };
  const [success, latest] = await Promise.all([
    target.port.lastSuccessfulDeployment(target.project, env.record),
    target.port.latestDeployment(target.project, env.record),
  ]);
  const interrupted = latest !== null && latest.status !== 'success' && (success === null || latest.id > success.id);
  if (!success) return { interrupted };
  try {
    return { sha: await git.revParse(success.sha), interrupted };
  } catch (error) {
    if (!(error instanceof FlagopsError)) throw error;
    args.findings.push({
      code: 'drift/base-missing',
      severity: 'warning',
      env: env.name,
      message: `${env.label}: the last applied commit ${success.sha.slice(0, 8)} is not in this clone; drift is checked against CI_COMMIT_BEFORE_SHA instead`,
      hint: 'fetch full history (GIT_DEPTH: 0)',
    });
    return { interrupted };
  }
}

export interface ApplyMark {
  /** Ends the mark: success (the environment converged) or failed. Never throws; problems become findings. */
  finish(converged: boolean): Promise<string | undefined>;
}

/** Marks `sha` as being applied to the environment; a no-op mark when there is nothing to record. */
export async function startApplyMark(args: {
  target?: AppliedRecordTarget;
  /** The GitLab environment of the record: the environment's name, or `<ring>/<instance>` (InstanceTarget.record). */
  env: string;
  sha?: string;
  ref: string;
  /** Nothing will be written and the commit is already the recorded one: no record at all. */
  alreadyRecorded: boolean;
  writes: boolean;
  findings: Finding[];
}): Promise<ApplyMark> {
  const { target, sha } = args;
  if (!target || !sha || (args.alreadyRecorded && !args.writes)) return { finish: async () => undefined };
  const warn = (error: unknown): undefined => {
    if (!(error instanceof FlagopsError)) throw error;
    args.findings.push({
      code: 'apply/record',
      severity: 'warning',
      env: args.env,
      message: `${args.env}: could not record ${sha.slice(0, 8)} as applied: ${error.message}`,
      hint: 'the next apply compares drift with an older commit; the token needs api scope on the flag repository',
    });
    return undefined;
  };
  const input = { environment: args.env, sha, ref: args.ref };
  if (!args.writes) {
    // converged without writing (e.g. a first run on matching live state): record it directly
    return {
      finish: async (converged) =>
        converged ? target.port.createDeployment(target.project, { ...input, status: 'success' }).then((d) => d.sha, warn) : undefined,
    };
  }
  const mark = await target.port.createDeployment(target.project, { ...input, status: 'running' }).catch(warn);
  return {
    finish: async (converged) => {
      if (!mark) return undefined;
      return target.port.updateDeployment(target.project, mark.id, converged ? 'success' : 'failed').then((d) => (converged ? d.sha : undefined), warn);
    },
  };
}
