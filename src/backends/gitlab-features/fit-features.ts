/**
 * What the Features API cannot take (pure). Flipper keeps every gate independently, so both
 * percentages at once, actors of every kind and feature groups all fit; what does not:
 * - an actor name with a comma (the API splits actor parameters on commas) or one starting with
 *   `#` (flagops' marker for ids it could not resolve);
 * - a feature group name with a comma (the parameter takes one name).
 */
import { ACTOR_KINDS, normalizeState } from '../../model/state.js';
import type { FitCheck } from '../types.js';

/** Licensed feature names are checked apart, with the environment's `force` list: licensed-fit.ts. */
export const fitFeatures: FitCheck = (state) => {
  const messages: string[] = [];
  const s = normalizeState(state);
  if (typeof s !== 'object') return messages;
  for (const kind of ACTOR_KINDS) {
    for (const name of s.actors?.[kind] ?? []) {
      if (name.includes(','))
        messages.push(`${kind} name '${name}' contains a comma, which the Features API reads as a separator`);
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
      messages.push(`feature group '${group}' contains a comma; the API takes one feature group per request`);
  }
  return messages;
};
