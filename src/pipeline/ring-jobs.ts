/**
 * The jobs of a ring in the generated child pipeline: one `parallel:matrix` job definition over its instance names
 * (GitLab runs one job per instance, each with its own environment `<ring>/<instance>` and resource group), split
 * in parts of at most 200 instances — GitLab's limit of jobs per `parallel:matrix` (doc/ci/yaml/_index.md,
 * `parallel:matrix`: the number of permutations cannot exceed 200). Whatever needs the ring needs
 * every part by name, which waits for every job of each matrix (doc/ci/yaml/_index.md, `needs`: a job that needs a
 * parallel job waits for all of its jobs), so a ring of 1,000 instances is at most 5 `needs` entries, well inside
 * GitLab's limit of 50 `needs` per job (doc/ci/yaml/_index.md, `needs`; plan limit `ci_needs_size_limit`).
 */
import type { DeploymentTier } from './deployment-tier.js';

/** GitLab's limit of jobs per `parallel:matrix`. */
export const MATRIX_LIMIT = 200;
/** The matrix variable that names the instance of each job. */
export const INSTANCE_VARIABLE = 'FLAGOPS_INSTANCE';

/** `flagops-apply-<ring>`, then `flagops-apply-<ring>:2`… (environment names cannot hold `:`, so no clash). */
export function ringJobNames(prefix: string, ring: string, instances: number): string[] {
  const parts = Math.max(1, Math.ceil(instances / MATRIX_LIMIT));
  return Array.from({ length: parts }, (_, i) => `${prefix}-apply-${ring}${i === 0 ? '' : `:${i + 1}`}`);
}

export function releaseJobName(prefix: string, ring: string): string {
  return `${prefix}-release-${ring}`;
}

/** The report of one instance's apply job: `.` cannot be in an environment name, so it cannot clash with one. */
export function instanceReport(ring: string, instance: string): string {
  return `flagops-apply-${ring}.${instance}.json`;
}

export interface RingJobsInput {
  ring: string;
  instances: readonly string[];
  tier: DeploymentTier;
  /** What every job of the ring needs (already in GitLab's `needs` form). */
  needs: unknown[];
  /** The job body shared with plain environments (stage, image, variables…), without what is per ring. */
  common: (args: { environment: string; resourceGroup: string; report: string; instanceOption: string; livePath: string }) => Record<string, unknown>;
  prefix: string;
}

/** The job definitions of one ring, by name. */
export function ringJobs(input: RingJobsInput): [string, Record<string, unknown>][] {
  const names = ringJobNames(input.prefix, input.ring, input.instances.length);
  const variable = `$${INSTANCE_VARIABLE}`;
  return names.map((name, part) => {
    const slice = input.instances.slice(part * MATRIX_LIMIT, (part + 1) * MATRIX_LIMIT);
    const body = input.common({
      environment: `${input.ring}/${variable}`,
      // GitLab expands the job's own variables (the matrix's among them) in resource_group (doc/ci/yaml/_index.md,
      // `resource_group`; gitlab-org/gitlab!67876 added the predefined ones); environment-scoped variables it does not
      // (gitlab-org/gitlab#545315), which is why the instance comes from the matrix, not from a scoped variable
      resourceGroup: `${input.ring}-${variable}`,
      report: instanceReport(input.ring, variable),
      instanceOption: `--instance "${variable}"`,
      // one instance's live snapshot, as apply writes it for the label <ring>/<instance> (src/model/live-snapshot.ts)
      livePath: `.flagops/live/${input.ring}/${variable}.json`,
    });
    return [name, { ...body, needs: input.needs, parallel: { matrix: [{ [INSTANCE_VARIABLE]: [...slice] }] } }];
  });
}
