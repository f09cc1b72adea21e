import type { FlagState } from '../model/state.js';

/** The environment entries of a flag document that look like states (schema errors are reported elsewhere). */
export function environmentStates(data: Record<string, unknown>): { env: string; state: FlagState }[] {
  const envs = data.environments;
  if (!envs || typeof envs !== 'object' || Array.isArray(envs)) return [];
  const out: { env: string; state: FlagState }[] = [];
  for (const [env, state] of Object.entries(envs)) {
    if (typeof state === 'boolean' || (state && typeof state === 'object' && !Array.isArray(state))) {
      out.push({ env, state: state as FlagState });
    }
  }
  return out;
}
