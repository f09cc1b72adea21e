/**
 * Rings (README "Rings"): an environment may stand for several instances sharing its desired state. Everything that
 * reads or writes a backend works on one instance at a time, through an `InstanceTarget`: the environment's settings
 * (its name keys the flag files' desired state, its gates) with that instance's backend, record name and label.
 */
import type { BackendConfig, EnvironmentConfig } from './types.js';

export interface InstanceTarget extends EnvironmentConfig {
  backend: BackendConfig;
  /** The instance's name: the environment's own for a plain environment. */
  instance: string;
  /**
   * The GitLab environment of the flag repository under which flagops records applying this instance (deployments):
   * the environment's name, or `<ring>/<instance>` for an instance of a ring.
   */
  record: string;
  /** How messages name it: `ring1/cell-3`, or the environment's name. */
  label: string;
}

/** Where applying `instance` of `env` is recorded: `env` itself, or `<ring>/<instance>` for a ring (a GitLab folder). */
export function recordEnvironment(env: Pick<EnvironmentConfig, 'name' | 'ring'>, instance: string): string {
  return env.ring ? `${env.name}/${instance}` : env.name;
}

/** Every instance of the environment (or only those named), in the order flagops.yml lists them. */
export function instanceTargets(env: EnvironmentConfig, only?: ReadonlySet<string>): InstanceTarget[] {
  return env.instances
    .map((instance, i): InstanceTarget => {
      const record = recordEnvironment(env, instance.name);
      return {
        ...env,
        backend: instance.backend,
        instance: instance.name,
        record,
        label: record,
        // `['backend', 'force']` of an instance is under its entry of `instances`
        locate: (path) => env.locate?.(env.ring && path[0] === 'backend' ? ['instances', i, ...path] : path) ?? {},
      };
    })
    .filter((t) => !only || only.has(t.instance));
}

/** The one target of a plain environment; a ring has no single backend, so asking for one is a programming error. */
export function soleTarget(env: EnvironmentConfig): InstanceTarget {
  if (env.ring) throw new Error(`environment ${env.name} is a ring of ${env.instances.length} instances: work on each (instanceTargets)`);
  return instanceTargets(env)[0]!;
}

export function isInstanceTarget(env: EnvironmentConfig): env is InstanceTarget {
  return typeof (env as Partial<InstanceTarget>).record === 'string' && env.backend !== undefined;
}
