import type { FlagState } from '../model/state.js';

export interface EnvironmentState {
  env: string;
  state: FlagState;
}

/** The environment entries of a flag document that look like states (schema errors are reported elsewhere). */
export function environmentStates(data: Record<string, unknown>): EnvironmentState[] {
  const envs = data.environments;
  if (!envs || typeof envs !== 'object' || Array.isArray(envs)) return [];
  const out: EnvironmentState[] = [];
  for (const env of Object.keys(envs)) {
    const state = (envs as Record<string, unknown>)[env];
    if (typeof state === 'boolean' || (state && typeof state === 'object' && !Array.isArray(state))) {
      out.push({ env, state: state as FlagState });
    }
  }
  return out;
}
