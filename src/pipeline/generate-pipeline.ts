/**
 * `flagops pipeline`: the child pipeline of a default-branch (or scheduled) pipeline, generated from flagops.yml.
 * Pure: the environments, what the pushed commits change and the job settings in; the YAML text out.
 *
 * Rollout lane: one apply job per environment, each `needs` the apply job of its `after` environment, so promotion
 * order is GitLab's own. A ring is one apply job per instance (`parallel:matrix`, src/pipeline/ring-jobs.ts); what
 * is promoted from a ring needs all of them, and a manual ring waits on one release job rather than on each instance. Rollback lane (every change is a rollback): every environment at once, no `needs`, no
 * `when: manual` — no rollout gate or promotion order holds a rollback (DESIGN §1); apply's own gates still judge
 * every operation, so a rollout that another commit left pending stays pending.
 */
import { stringify } from 'yaml';
import type { DeploymentTier } from './deployment-tier.js';
import { instanceReport, releaseJobName, ringJobNames, ringJobs } from './ring-jobs.js';

export interface PipelineEnvironment {
  name: string;
  /** The environment this one is promoted from (flagops.yml `after`), or null. */
  after: string | null;
  tier: DeploymentTier;
  /** A ring's instance names (one apply job each); undefined for a plain environment (one job, named after it). */
  instances?: readonly string[];
  /** flagops.yml gives it `verify:`: a verify job follows its apply job, and the environments after it wait for that. */
  verify?: boolean;
}

export type Lane = 'rollout' | 'rollback';

/** What the pipeline carries: decided by the caller from the flag files at the base and at HEAD. */
export interface ChangeSummary {
  lane: Lane;
  /** Per-environment changes the pipeline carries, and how many of them lower exposure. */
  changes: number;
  rollbacks: number;
  /** The commit compared with (baked into each job as CI_COMMIT_BEFORE_SHA: a child pipeline has none of its own). */
  base?: string;
  /** A scheduled parent pipeline: apply what became ready and list the rest (`--allow-pending`). */
  scheduled: boolean;
}

export interface JobSettings {
  /** How each job runs flagops, e.g. `npx --yes flagops@0.1.0`. */
  command: string;
  image: string;
  /** flagops.yml's path relative to the project root. */
  config: string;
  stage: string;
  jobPrefix: string;
  resourceGroupPrefix: string;
  environmentAction: 'prepare' | 'start';
  /** Tiers whose apply jobs wait for someone to run them (rollout lane only). */
  manualTiers: readonly DeploymentTier[];
  gitDepth: string;
  applyOptions: string;
}

export const DEFAULT_JOB_SETTINGS: Omit<JobSettings, 'command'> = {
  image: 'node:22',
  config: 'flagops.yml',
  stage: 'deploy',
  jobPrefix: 'flagops',
  resourceGroupPrefix: 'flagops-',
  environmentAction: 'prepare',
  manualTiers: [],
  gitDepth: '0',
  applyOptions: '',
};

export interface GeneratedPipeline {
  yaml: string;
  /** Job names in the order written, and the longest chain of `needs` among them (jobs run one after another). */
  jobs: string[];
  /** Apply jobs GitLab runs: one per plain environment and one per instance of each ring (a matrix definition is many). */
  applyJobs: number;
  criticalPath: string[];
}

export function applyJobName(prefix: string, env: string): string {
  return `${prefix}-apply-${env}`;
}

export function verifyJobName(prefix: string, env: string): string {
  return `${prefix}-verify-${env}`;
}

export function generatePipeline(input: {
  environments: readonly PipelineEnvironment[];
  summary: ChangeSummary;
  settings: JobSettings;
}): GeneratedPipeline {
  const { environments, summary, settings: s } = input;
  const byName = new Map(environments.map((e) => [e.name, e]));
  const rollback = summary.lane === 'rollback';
  const doc: Record<string, unknown> = { stages: [s.stage] };
  const needsOf = new Map<string, string[]>();
  let applyJobs = 0;
  /** The job definitions that apply an environment: what anything promoted from it needs. */
  const verified = new Set(environments.filter((e) => e.verify).map((e) => e.name));
  const appliesOf = (env: PipelineEnvironment): string[] =>
    env.instances ? ringJobNames(s.jobPrefix, env.name, env.instances.length) : [applyJobName(s.jobPrefix, env.name)];
  // an environment after a verified one waits for its verification, not only for its apply
  const jobsOf = (env: PipelineEnvironment): string[] => (verified.has(env.name) ? [verifyJobName(s.jobPrefix, env.name)] : appliesOf(env));
  const addVerify = (env: PipelineEnvironment, report: string) => {
    // the downstream pipeline of flagops.yml's `verify:`, with what the apply changed (its report); rolls back on
    // failure. A ring's instances share one desired state: one verify job after all of them, judging the change from
    // the first instance's report, rolls back every instance
    const verify = verifyJobName(s.jobPrefix, env.name);
    const needs = appliesOf(env);
    add(
      verify,
      {
        stage: s.stage,
        image: s.image,
        needs,
        interruptible: false,
        resource_group: `${s.resourceGroupPrefix}${env.name}`,
        environment: { name: env.name, action: 'verify' },
        variables: { GIT_DEPTH: s.gitDepth },
        script: [`${s.command} verify --config ${shellQuote(s.config)} --env ${shellQuote(env.name)} --apply-report ${report} --report json=flagops-verify-${env.name}.json`],
        artifacts: { when: 'always', expire_in: '90 days', paths: [`flagops-verify-${env.name}.json`] },
      },
      needs,
    );
  };
  const add = (name: string, job: Record<string, unknown>, needs: string[]) => {
    doc[name] = job;
    needsOf.set(name, needs);
  };
  for (const env of environments) {
    const after = !rollback && env.after ? byName.get(env.after) : undefined;
    let needs = after ? jobsOf(after) : [];
    const manual = !rollback && s.manualTiers.includes(env.tier);
    const common = (args: { environment: string; resourceGroup: string; report: string; instanceOption: string; livePath: string }) => {
      const command = [
        `${s.command} apply --config ${shellQuote(s.config)} --env ${shellQuote(env.name)}`,
        args.instanceOption,
        `--report json=${args.report}`,
        summary.scheduled ? '--allow-pending' : '',
        s.applyOptions,
      ].filter(Boolean);
      return {
        stage: s.stage,
        image: s.image,
        interruptible: false,
        resource_group: `${s.resourceGroupPrefix}${args.resourceGroup}`,
        environment: { name: args.environment, action: s.environmentAction, deployment_tier: env.tier },
        variables: {
          GIT_DEPTH: s.gitDepth,
          FLAGOPS_PUBLISH_LIVE: 'true',
          FLAGOPS_LANE: summary.lane,
          ...(summary.base ? { CI_COMMIT_BEFORE_SHA: summary.base } : {}),
        },
        script: [command.join(' ')],
        artifacts: { when: 'always', expire_in: '90 days', paths: [args.report, args.livePath] },
      };
    };
    if (!env.instances) {
      const body = common({ environment: env.name, resourceGroup: env.name, report: `flagops-apply-${env.name}.json`, instanceOption: '', livePath: `.flagops/live/${env.name}.json` });
      // a plain environment after a plain one keeps the short form; a ring's jobs are needed without their artifacts
      const form = after?.instances && !verified.has(after.name) ? needs.map((job) => ({ job, artifacts: false })) : needs;
      add(applyJobName(s.jobPrefix, env.name), { ...body, needs: form, ...(manual ? { when: 'manual' } : {}) }, needs);
      applyJobs++;
      if (env.verify) addVerify(env, `flagops-apply-${env.name}.json`);
      continue;
    }
    if (manual) {
      // one person's decision releases the whole ring (rather than one click per instance); allow_failure: false so
      // the pipeline shows as blocked, not passed, until someone does
      const release = releaseJobName(s.jobPrefix, env.name);
      add(
        release,
        {
          stage: s.stage,
          image: s.image,
          needs: needs.map((job) => ({ job, artifacts: false })),
          when: 'manual',
          allow_failure: false,
          variables: { GIT_STRATEGY: 'none' },
          script: [`echo "release ring ${env.name}: its ${env.instances.length} instance job(s) start now"`],
        },
        needs,
      );
      needs = [release];
    }
    for (const [name, job] of ringJobs({ ring: env.name, instances: env.instances, tier: env.tier, needs: needs.map((job) => ({ job, artifacts: false })), common, prefix: s.jobPrefix })) {
      add(name, job, needs);
    }
    applyJobs += env.instances.length;
    if (env.verify) addVerify(env, instanceReport(env.name, env.instances[0]!));
  }
  if (environments.length === 0) {
    // GitLab refuses a child pipeline without jobs; say so in a job rather than fail the trigger
    add(`${s.jobPrefix}-no-environments`, { stage: s.stage, image: s.image, script: ['echo "flagops.yml has no environments: nothing to apply"'] }, []);
  }
  const header = [
    '# Generated by `flagops pipeline` from flagops.yml: do not edit.',
    rollback
      ? `# Rollback lane: every one of the ${summary.changes} change(s) lowers exposure, so every environment and instance applies at once.`
      : `# Rollout lane: ${summary.changes} change(s), ${summary.rollbacks} of them rollbacks; environments apply in promotion order.`,
  ].join('\n');
  return { yaml: `${header}\n${stringify(doc, { lineWidth: 0 })}`, jobs: [...needsOf.keys()], applyJobs, criticalPath: longestChain(needsOf) };
}

/** The longest chain of `needs` (the jobs that run one after another from the first to the last). */
export function longestChain(needs: ReadonlyMap<string, readonly string[]>): string[] {
  const memo = new Map<string, string[]>();
  const visit = (job: string, seen: Set<string>): string[] => {
    const known = memo.get(job);
    if (known) return known;
    if (seen.has(job)) return [job];
    seen.add(job);
    let best: string[] = [];
    for (const n of needs.get(job) ?? []) {
      const chain = visit(n, seen);
      if (chain.length > best.length) best = chain;
    }
    seen.delete(job);
    const chain = [...best, job];
    memo.set(job, chain);
    return chain;
  };
  let longest: string[] = [];
  for (const job of needs.keys()) {
    const chain = visit(job, new Set());
    if (chain.length > longest.length) longest = chain;
  }
  return longest;
}

/** Single-quoted for the job's shell unless plainly safe. */
function shellQuote(value: string): string {
  return /^[\w./-]+$/.test(value) ? `"${value}"` : `'${value.replace(/'/g, `'\\''`)}'`;
}
