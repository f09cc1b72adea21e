/** What each backend can express (the `backend-fit` rule). Pure. */
import type { BackendType } from '../config/types.js';
import type { FitCheck } from './types.js';

const fitsEverything: FitCheck = () => [];

/** Project feature flags (Unleash strategies): user ids only, one percentage kind per strategy. */
export const fitFeatureFlags: FitCheck = (state) => {
  if (typeof state === 'boolean') return [];
  const out: string[] = [];
  for (const kind of ['groups', 'projects', 'namespaces', 'repositories'] as const) {
    if (state.actors?.[kind]) out.push(`project feature flags have no ${kind} actors (only users)`);
  }
  if (state.feature_groups) out.push('project feature flags have no feature groups');
  return out;
};

export function fitFor(type: BackendType): FitCheck {
  return type === 'gitlab-feature-flags' ? fitFeatureFlags : fitsEverything;
}
