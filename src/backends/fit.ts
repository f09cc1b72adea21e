/** Which states each backend can express (pure); used by the `backend-fit` rule. */
import type { BackendType } from '../config/types.js';
import { fitFeatureFlags } from './gitlab-feature-flags/fit-feature-flags.js';
import { fitFeatures } from './gitlab-features/fit-features.js';
import type { FitCheck } from './types.js';

export { fitFeatureFlags, fitFeatures };

/** The file backend stores any state. */
export const fitFile: FitCheck = () => [];

/** Licensed feature names are not a matter of the state: see gitlab-features/licensed-fit.ts. */
export function fitFor(type: BackendType): FitCheck {
  switch (type) {
    case 'file':
      return fitFile;
    case 'gitlab-features':
      return fitFeatures;
    case 'gitlab-feature-flags':
      return fitFeatureFlags;
  }
}
