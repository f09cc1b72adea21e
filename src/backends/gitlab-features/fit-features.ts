/**
 * What the Features API cannot take (pure). Flipper keeps every gate independently, so both
 * percentages at once, actors of every kind and feature groups all fit; what does not:
 * - a licensed feature name (refused without `force`, see licensed-names.ts);
 * - an actor name with a comma (the API splits actor parameters on commas) or one starting with
 *   `#` (flagops' marker for ids it could not resolve);
 * - a feature group name with a comma (the parameter takes one name).
 */
import { ACTOR_KINDS, normalizeState } from '../../model/state.js';
import type { FitCheck } from '../types.js';
import { isReservedLicensedFeatureName } from './licensed-names.js';

export interface FitFeaturesOptions {
  /** The environment sends `force=true`: licensed names are allowed. */
  force?: boolean;
}

export function fitFeaturesWith(options: FitFeaturesOptions = {}): FitCheck {
  return (state, { flag }) => {
    const messages: string[] = [];
    if (!options.force && isReservedLicensedFeatureName(flag)) {
      messages.push(
        `'${flag}' is a GitLab licensed feature name: the Features API refuses to set it without force ` +
          `(a flag of that name can switch the paid feature on or off); rename the flag, or set it by hand`,
      );
    }
    const s = normalizeState(state);
    if (typeof s !== 'object') return messages;
    for (const kind of ACTOR_KINDS) {
      for (const name of s.actors?.[kind] ?? []) {
        if (name.includes(','))
          messages.push(
            `${kind} name '${name}' contains a comma, which the Features API reads as a separator`,
          );
        if (name.startsWith('#'))
          messages.push(
            `${kind} name '${name}' starts with '#', which flagops reserves for ids it cannot resolve`,
          );
        if (name.trim() !== name || name === '')
          messages.push(`${kind} name '${name}' is empty or has surrounding spaces`);
      }
    }
    for (const group of s.feature_groups ?? []) {
      if (group.includes(','))
        messages.push(
          `feature group '${group}' contains a comma; the API takes one feature group per request`,
        );
    }
    return messages;
  };
}

/** The default check (no force). */
export const fitFeatures: FitCheck = fitFeaturesWith();
