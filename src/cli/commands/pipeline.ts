/** `flagops pipeline [--output FILE]`: the child pipeline that applies flagops.yml's environments (README, GitLab). */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../../errors/errors.js';
import { readChangeSummary } from '../../pipeline/change-summary.js';
import { guessTier, isDeploymentTier, DEPLOYMENT_TIERS, type DeploymentTier } from '../../pipeline/deployment-tier.js';
import { DEFAULT_JOB_SETTINGS, generatePipeline, type JobSettings } from '../../pipeline/generate-pipeline.js';
import type { Finding } from '../../model/finding.js';
import { fastLaneTargets } from '../../pipeline/fast-lane.js';
import { requireConfig } from '../context.js';
import { fastLaneLine, runFastLane, type FastLaneResult } from './pipeline-fast-lane.js';
import { gitlabTarget } from '../gitlab.js';
import type { CliIo, CommonOptions } from '../io.js';
import { VERSION } from '../version.js';

export interface PipelineCliOptions extends CommonOptions {
  base?: string;
  command?: string;
  image?: string;
  stage?: string;
  jobPrefix?: string;
  resourceGroupPrefix?: string;
  environmentAction?: string;
  manual?: string[];
  tier?: string[];
  applyOptions?: string;
  gitDepth?: string;
  /** 'true': in the rollback lane, apply every environment and instance in this job, before the child confirms. */
  fastLane?: string;
}

export async function runPipelineCommand(options: PipelineCliOptions, io: CliIo): Promise<number> {
  const format = options.format ?? 'yaml';
  if (format !== 'yaml' && format !== 'json') throw new UsageError(`unknown format '${format}'; one of yaml, json`);
  const settings = jobSettings(options);
  const fastLane = options.fastLane ?? 'false';
  if (fastLane !== 'true' && fastLane !== 'false') throw new UsageError(`--fast-lane is true or false, not '${fastLane}'`);
  const tiers = tierOverrides(options.tier ?? []);
  const config = requireConfig(options, io);
  for (const name of tiers.keys()) {
    if (!config.environments.some((e) => e.name === name)) throw new UsageError(`--tier names '${name}', which is not an environment of ${options.config}`);
  }
  // without --base, each environment's base is its last applied commit: read with the gitlab token (read_api)
  const gitlab = options.base ? {} : gitlabTarget(config, io.env, { needToken: true, scope: 'read_api' });
  const findings: Finding[] = [];
  const summary = await readChangeSummary({
    config,
    env: io.env,
    findings,
    ...(options.base ? { base: options.base } : {}),
    ...(gitlab.port && gitlab.project !== undefined ? { records: { port: gitlab.port, project: gitlab.project } } : {}),
  });
  if (!options.quiet) for (const f of findings) io.stderr(`flagops: ${f.severity}: ${f.message}${f.hint ? `\n  hint: ${f.hint}` : ''}\n`);
  const environments = config.environments.map((e) => ({
    name: e.name,
    after: e.after,
    tier: tiers.get(e.name) ?? guessTier(e.name),
    ...(e.ring ? { instances: e.instances.map((i) => i.name) } : {}),
    ...(e.verify ? { verify: true } : {}),
  }));
  const generated = generatePipeline({ environments, summary, settings });
  if (options.output) {
    const abs = resolve(io.cwd, options.output);
    mkdirSync(dirname(abs), { recursive: true });
    const tmp = `${abs}.${process.pid}.tmp`;
    writeFileSync(tmp, generated.yaml);
    renameSync(tmp, abs);
  }
  // the fast lane: every target applied by this job (the child's jobs then find nothing left to change)
  const fast: FastLaneResult[] | null = fastLane === 'true' && summary.lane === 'rollback' ? await runFastLane({ config: options.config, targets: fastLaneTargets(config, io.env), io }) : null;
  if (fast && format !== 'json' && !options.quiet) for (const r of fast) (options.output ? io.stdout : io.stderr)(fastLaneLine(r));
  if (format === 'json') {
    io.stdout(`${JSON.stringify({ command: 'pipeline', ok: true, lane: summary.lane, changes: summary.changes, rollbacks: summary.rollbacks, base: summary.base ?? null, jobs: generated.jobs, applyJobs: generated.applyJobs, criticalPath: generated.criticalPath, fastLane: fast, findings }, null, 2)}\n`);
  } else if (!options.output) io.stdout(generated.yaml);
  else if (!options.quiet) {
    io.stdout(`${options.output}: ${summary.lane} lane, ${generated.applyJobs} apply job(s), ${generated.criticalPath.length} on the critical path (${summary.changes} change(s), ${summary.rollbacks} rollback(s), base ${summary.base ? summary.base.slice(0, 8) : 'none'})\n`);
  }
  return 0;
}

function jobSettings(options: PipelineCliOptions): JobSettings {
  const action = options.environmentAction ?? DEFAULT_JOB_SETTINGS.environmentAction;
  if (action !== 'prepare' && action !== 'start') throw new UsageError(`--environment-action is prepare or start, not '${action}'`);
  const manualTiers = (options.manual ?? []).flatMap((m) => m.split(',')).filter(Boolean);
  for (const t of manualTiers) if (!isDeploymentTier(t)) throw new UsageError(`--manual takes a deployment tier (${DEPLOYMENT_TIERS.join(', ')}), not '${t}'`);
  const prefix = options.jobPrefix ?? DEFAULT_JOB_SETTINGS.jobPrefix;
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(prefix)) throw new UsageError(`--job-prefix '${prefix}' is not a job name prefix (a-z, 0-9, _ and -)`);
  const gitDepth = options.gitDepth ?? DEFAULT_JOB_SETTINGS.gitDepth;
  if (!/^[0-9]+$/.test(gitDepth)) throw new UsageError(`--git-depth is a number, not '${gitDepth}'`);
  return {
    ...DEFAULT_JOB_SETTINGS,
    command: options.command || `npx --yes flagops@${VERSION}`,
    ...(options.image ? { image: options.image } : {}),
    config: options.config,
    ...(options.stage ? { stage: options.stage } : {}),
    jobPrefix: prefix,
    ...(options.resourceGroupPrefix !== undefined ? { resourceGroupPrefix: options.resourceGroupPrefix } : {}),
    environmentAction: action,
    manualTiers: manualTiers as DeploymentTier[],
    gitDepth,
    applyOptions: options.applyOptions ?? '',
  };
}

function tierOverrides(specs: readonly string[]): Map<string, DeploymentTier> {
  const out = new Map<string, DeploymentTier>();
  for (const spec of specs.flatMap((s) => s.split(',')).filter(Boolean)) {
    const m = /^([^=]+)=(.+)$/.exec(spec);
    if (!m || !isDeploymentTier(m[2]!)) throw new UsageError(`--tier takes ENV=TIER with TIER one of ${DEPLOYMENT_TIERS.join(', ')}, not '${spec}'`);
    out.set(m[1]!, m[2]);
  }
  return out;
}
