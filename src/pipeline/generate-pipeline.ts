/**
 * `flagops pipeline`: the child pipeline of a default-branch (or scheduled) pipeline, generated from flagops.yml.
 * Pure: the environments, what the pushed commits change and the job settings in; the YAML text out.
 *
 * Rollout lane: one apply job per environment, each `needs` the apply job of its `after` environment, so promotion
 * order is GitLab's own. Rollback lane (every change is a rollback): every environment at once, no `needs`, no
 * `when: manual` — no rollout gate or promotion order holds a rollback (DESIGN §1); apply's own gates still judge
 * every operation, so a rollout that another commit left pending stays pending.
 */
import { stringify } from 'yaml';
import type { DeploymentTier } from './deployment-tier.js';

export interface PipelineEnvironment {
  name: string;
  /** The environment this one is promoted from (flagops.yml `after`), or null. */
  after: string | null;
  tier: DeploymentTier;
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
  const names = new Set(environments.map((e) => e.name));
  const rollback = summary.lane === 'rollback';
  const doc: Record<string, unknown> = { stages: [s.stage] };
  const needsOf = new Map<string, string[]>();
  const verified = new Set(environments.filter((e) => e.verify).map((e) => e.name));
  // an environment after a verified one waits for its verification, not only for its apply
  const doneJob = (env: string): string => (verified.has(env) ? verifyJobName(s.jobPrefix, env) : applyJobName(s.jobPrefix, env));
  for (const env of environments) {
    const job = applyJobName(s.jobPrefix, env.name);
    const needs = !rollback && env.after && names.has(env.after) ? [doneJob(env.after)] : [];
    needsOf.set(job, needs);
    const report = `flagops-apply-${env.name}.json`;
    const args = [
      `${s.command} apply --config ${shellQuote(s.config)} --env ${shellQuote(env.name)} --report json=${report}`,
      summary.scheduled ? '--allow-pending' : '',
      s.applyOptions,
    ].filter(Boolean);
    doc[job] = {
      stage: s.stage,
      image: s.image,
      needs,
      interruptible: false,
      resource_group: `${s.resourceGroupPrefix}${env.name}`,
      environment: { name: env.name, action: s.environmentAction, deployment_tier: env.tier },
      variables: {
        GIT_DEPTH: s.gitDepth,
        FLAGOPS_PUBLISH_LIVE: 'true',
        FLAGOPS_LANE: summary.lane,
        ...(summary.base ? { CI_COMMIT_BEFORE_SHA: summary.base } : {}),
      },
      ...(!rollback && s.manualTiers.includes(env.tier) ? { when: 'manual' } : {}),
      script: [args.join(' ')],
      artifacts: { when: 'always', expire_in: '90 days', paths: [report, `.flagops/live/${env.name}.json`] },
    };
    if (env.verify) {
      // the downstream pipeline of flagops.yml's `verify:`, with what the apply changed (its report); rolls back on failure
      const verify = verifyJobName(s.jobPrefix, env.name);
      needsOf.set(verify, [job]);
      doc[verify] = {
        stage: s.stage,
        image: s.image,
        needs: [job],
        interruptible: false,
        resource_group: `${s.resourceGroupPrefix}${env.name}`,
        environment: { name: env.name, action: 'verify' },
        variables: { GIT_DEPTH: s.gitDepth },
        script: [`${s.command} verify --config ${shellQuote(s.config)} --env ${shellQuote(env.name)} --apply-report ${report} --report json=flagops-verify-${env.name}.json`],
        artifacts: { when: 'always', expire_in: '90 days', paths: [`flagops-verify-${env.name}.json`] },
      };
    }
  }
  if (environments.length === 0) {
    // GitLab refuses a child pipeline without jobs; say so in a job rather than fail the trigger
    doc[`${s.jobPrefix}-no-environments`] = { stage: s.stage, image: s.image, script: ['echo "flagops.yml has no environments: nothing to apply"'] };
    needsOf.set(`${s.jobPrefix}-no-environments`, []);
  }
  const header = [
    '# Generated by `flagops pipeline` from flagops.yml: do not edit.',
    rollback
      ? `# Rollback lane: every one of the ${summary.changes} change(s) lowers exposure, so every environment applies at once.`
      : `# Rollout lane: ${summary.changes} change(s), ${summary.rollbacks} of them rollbacks; environments apply in promotion order.`,
  ].join('\n');
  return { yaml: `${header}\n${stringify(doc, { lineWidth: 0 })}`, jobs: [...needsOf.keys()], criticalPath: longestChain(needsOf) };
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
