/** `history --live` (I/O): the state each instance's backend holds now, read once per instance. */
import { createBackend } from '../backends/create-backend.js';
import { instanceTargets } from '../config/instances.js';
import type { LiveState } from '../backends/types.js';
import type { EnvironmentConfig, InstanceConfig } from '../config/types.js';
import type { FlagHistory } from './types.js';

export type LiveReader = (env: EnvironmentConfig, instance: InstanceConfig) => Promise<LiveState>;

/** Reads through the environment's own backend, with the token variable flagops.yml names for it. */
export function createLiveReader(vars: Record<string, string | undefined>, client: { maxTotalMs?: number } = {}): LiveReader {
  return (env, instance) => createBackend({ env: instanceTargets(env, new Set([instance.name]))[0]!, vars, client }).backend.read();
}

export async function readLiveStates(args: { reader: LiveReader; environments: readonly EnvironmentConfig[]; flags: FlagHistory[] }): Promise<void> {
  for (const env of args.environments) {
    for (const instance of env.instances) {
      const live = await args.reader(env, instance);
      for (const flag of args.flags) {
        const target = flag.environments.find((e) => e.environment === env.name && (e.instance === undefined || e.instance === instance.name));
        if (!target) continue;
        const state = live.get(flag.flag)?.state ?? null;
        // a ring whose records name no instance: one history for the environment, the live state of each instance
        if (env.ring && target.instance === undefined) target.liveInstances = { ...target.liveInstances, [instance.name]: state };
        else target.live = state;
      }
    }
  }
}
