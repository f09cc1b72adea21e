/**
 * The recorded applies of an environment (I/O): the flag repository's deployments of it (every page up to a bound,
 * the statuses that may have written), or, without a `gitlab` section, the file backend's `applied` list of each
 * instance's state file. Commit dates are never a record.
 */
import { readStateFile, type AppliedEntry } from '../backends/file/file-backend.js';
import type { EnvironmentConfig, InstanceConfig } from '../config/types.js';
import type { Deployment, GitlabPort, ProjectRef } from '../gitlab/port.js';
import type { Finding } from '../model/finding.js';

export const PER_PAGE = 100;
/** Pages read per environment at most (newest first): older records are left out, with a note. */
export const MAX_PAGES = 20;
/** Statuses of a deployment that may have written: `created`, `blocked` and `skipped` never ran. */
const WROTE = new Set(['success', 'running', 'failed', 'canceled']);

export interface DeploymentRecord {
  id: number;
  sha: string;
  status: string;
  at: string;
  user?: string;
}

/** Every deployment of `env` that may have written, newest first; a note when the bound left older ones out. */
export async function readDeployments(args: { port: GitlabPort; project: ProjectRef; env: string; findings: Finding[] }): Promise<DeploymentRecord[]> {
  const out: DeploymentRecord[] = [];
  for (let page = 1; ; page++) {
    const items = await args.port.listDeployments(args.project, args.env, { page, perPage: PER_PAGE });
    out.push(...items.filter((d) => WROTE.has(d.status)).map(toRecord));
    if (items.length < PER_PAGE) break;
    if (page === MAX_PAGES) {
      args.findings.push({
        code: 'history/truncated',
        severity: 'info',
        env: args.env,
        message: `${args.env}: only the newest ${MAX_PAGES * PER_PAGE} deployment records were read; older applies are not listed`,
      });
      break;
    }
  }
  return out;
}

function toRecord(d: Deployment): DeploymentRecord {
  // when the record finished, as the soak gate reads it (soak-source.ts): the job's finish, else the last update
  return { id: d.id, sha: d.sha, status: d.status, at: d.finishedAt ?? d.updatedAt ?? d.createdAt, ...(d.user ? { user: d.user } : {}) };
}

/** Per flag, the writes flagops made to one instance's state file (newest first); undefined when not a file backend. */
export function readStateFileRecords(instance: InstanceConfig): Record<string, AppliedEntry[]> | undefined {
  if (instance.backend.type !== 'file') return undefined;
  return readStateFile(instance.backend.path).applied;
}

/** The instances whose records are listed separately: a ring's instances, else the environment itself. */
export function recordedInstances(env: EnvironmentConfig): { instance?: string; config: InstanceConfig }[] {
  return env.ring ? env.instances.map((i) => ({ instance: i.name, config: i })) : [{ config: env.instances[0]! }];
}
