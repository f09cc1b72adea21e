/**
 * The instances of one environment as runApply runs them: one run each (own backend, read, findings), a few of a
 * ring's at once. A ring's instance that fails after retries holds the ring; the others keep what they applied.
 */
import type { InstanceTarget } from '../config/instances.js';
import type { EnvironmentConfig } from '../config/types.js';
import { FlagopsError } from '../errors/errors.js';
import type { Finding } from '../model/finding.js';
import type { EnvResult, InstanceRun, SharedRun } from './apply-types.js';
import { soakSourceOnce } from './instance-gates.js';
import { openInstance, type OpenedInstance } from './open-instance.js';
import { eachBounded, instanceFailed, tagInstance } from './ring-status.js';

/**
 * One run per instance of the environment. Every instance's backend (and token variable) is checked before the first
 * request to any of them; a plain environment's read starts at once (or was started while the files were validated).
 */
export function instanceRuns(args: { shared: SharedRun; env: EnvironmentConfig; targets: InstanceTarget[]; repositoryNames: readonly string[]; first: OpenedInstance | undefined }): InstanceRun[] {
  const { shared, env, targets } = args;
  const soakSource = soakSourceOnce({ env, config: shared.config, git: shared.git, now: shared.now, gitlab: shared.gitlab });
  const open = (target: InstanceTarget): OpenedInstance => openInstance({ ...shared, target, repositoryNames: args.repositoryNames, lazy: Boolean(env.ring) });
  const opened = env.ring ? targets.map(open) : [args.first ?? open(targets[0]!)];
  return targets.map((target, i) => ({ ...shared, env: target, opened: opened[i]!, findings: [], soakSource }));
}

/** Each of `runs` with `work`, a few of a ring's at once (`instanceConcurrency`, default 4), a plain environment's alone. */
export function eachRun<R>(args: { env: EnvironmentConfig; runs: readonly InstanceRun[]; work: (run: InstanceRun, index: number) => Promise<R> }): Promise<R[]> {
  return eachBounded(args.runs, args.env.ring ? (args.runs[0]?.instanceConcurrency ?? 4) : 1, args.work);
}

/** The result of a ring's instance that failed after retries (an error names it); any other error is thrown on. */
export function ringFailure(args: { env: EnvironmentConfig; run: InstanceRun }): (error: unknown) => EnvResult {
  return (error) => {
    if (!args.env.ring || !(error instanceof FlagopsError) || error.kind !== 'remote') throw error;
    return instanceFailed(args.run.env, error, args.run.findings);
  };
}

/** The instance's findings, tagged with the instance for a ring. */
export function runFindings(args: { env: EnvironmentConfig; run: InstanceRun }): Finding[] {
  return args.env.ring ? tagInstance(args.run.findings, args.run.env) : args.run.findings;
}

/**
 * `work` for each instance, announced by `onEnvironment` (start, end with the result); their findings go to
 * `findings` once each instance is done.
 */
export function eachInstance(args: { env: EnvironmentConfig; runs: readonly InstanceRun[]; findings: Finding[]; work: (run: InstanceRun, index: number) => Promise<EnvResult> }): Promise<EnvResult[]> {
  const { env } = args;
  return eachRun({
    env,
    runs: args.runs,
    work: async (run, i) => {
      run.onEnvironment?.({ env: run.env.label, phase: 'start' });
      const result = await args.work(run, i).catch(ringFailure({ env, run }));
      args.findings.push(...runFindings({ env, run }));
      run.onEnvironment?.({ env: run.env.label, phase: 'end', result });
      return result;
    },
  });
}
