/**
 * The rollback fast lane (`flagops pipeline --fast-lane true`): when every change a pipeline carries is a rollback,
 * the generator job applies every environment and every instance of every ring itself, at once, before it writes the
 * child pipeline; the child's jobs then only confirm (apply again: nothing left to change, the deployment recorded
 * under each `environment:`). From merge to production that is one job. Pure: which targets there are and which this
 * job can reach (its token variable set); the CLI runs them.
 */
import type { FlagopsConfig } from '../config/types.js';
import { instanceReport } from './ring-jobs.js';

export interface FastLaneTarget {
  env: string;
  /** A ring's instance; undefined for a plain environment. */
  instance?: string;
  /** `env` or `ring/instance`: the name of its CI environment. */
  label: string;
  report: string;
  /** Why this job cannot apply it (its child job will); undefined when it can. */
  skip?: string;
}

/** Every plain environment, and every instance of each ring (applied on its own: `apply --env RING --instance NAME`). */
export function fastLaneTargets(config: FlagopsConfig, vars: Record<string, string | undefined>): FastLaneTarget[] {
  return config.environments.flatMap((env) =>
    env.instances.map((instance) => {
      const ring = env.ring ? instance.name : undefined;
      const tokenEnv = instance.backend.type === 'file' ? undefined : instance.backend.token_env;
      return {
        env: env.name,
        ...(ring ? { instance: ring } : {}),
        label: ring ? `${env.name}/${ring}` : env.name,
        report: `flagops-fast-lane-${ring ? instanceReport(env.name, ring).replace(/^flagops-apply-/, '') : `${env.name}.json`}`,
        // environment-scoped tokens never reach the generator job (it has no environment): the child job applies
        ...(tokenEnv && !vars[tokenEnv] ? { skip: `$${tokenEnv} is not set in this job` } : {}),
      };
    }),
  );
}

/** Runs `work` over `items`, at most `limit` at a time, results in input order. */
export async function pooled<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
