/** Which states each backend can express (pure); used by the `backend-fit` rule. */
import type { BackendType } from '../config/types.js';
import { fitFeatureFlags } from './gitlab-feature-flags/fit-feature-flags.js';
import { fitFeatures, fitFeaturesWith } from './gitlab-features/fit-features.js';
import type { FitCheck } from './types.js';

export { fitFeatureFlags, fitFeatures };

/** The file backend stores any state. */
export const fitFile: FitCheck = () => [];

export interface FitOptions {
  /** gitlab-features: the environment sends `force=true`, so licensed feature names are allowed. */
  force?: boolean;
}

export function fitFor(type: BackendType, options: FitOptions = {}): FitCheck {
  switch (type) {
    case 'file':
      return fitFile;
    case 'gitlab-features':
      return options.force ? fitFeaturesWith({ force: true }) : fitFeatures;
    case 'gitlab-feature-flags':
      return fitFeatureFlags;
  }
}
