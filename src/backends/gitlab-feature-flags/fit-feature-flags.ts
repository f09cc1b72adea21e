/**
 * What project feature flags (Unleash strategies) cannot express (pure):
 * - actors other than users: Unleash knows user ids only (no groups, projects, namespaces,
 *   repositories), and there are no feature groups;
 * - a percentage that is not a whole number (`rollout`/`percentage` must match `^\d+$`);
 * - a user id GitLab refuses (empty, surrounding spaces, a comma or a tab/newline, over 256
 *   characters);
 * - a flag name GitLab refuses: `^[a-z]([-_a-z0-9]*[a-z0-9])?$`, 2–63 characters.
 * Both percentages at once fit: strategies are OR'ed like Flipper's gates.
 */
import { ACTOR_KINDS, normalizeState } from '../../model/state.js';
import type { FitCheck } from '../types.js';

const FLAG_NAME = /^[a-z]([-_a-z0-9]*[a-z0-9])?$/;

export const fitFeatureFlags: FitCheck = (state, { flag }) => {
  const messages: string[] = [];
  if (!FLAG_NAME.test(flag) || flag.length < 2 || flag.length > 63) {
    messages.push(`'${flag}' is not a valid project feature flag name (a letter first, 2 to 63 characters)`);
  }
  const s = normalizeState(state);
  if (typeof s !== 'object') return messages;
  for (const kind of ACTOR_KINDS) {
    if (kind !== 'users' && (s.actors?.[kind]?.length ?? 0) > 0) {
      messages.push(`project feature flags have no ${kind} actors, only user ids`);
    }
  }
  if ((s.feature_groups?.length ?? 0) > 0) messages.push('project feature flags have no feature groups');
  for (const key of ['percentage_of_actors', 'percentage_of_time'] as const) {
    const p = s[key];
    if (p !== undefined && !Number.isInteger(p))
      messages.push(`${key} ${p}: project feature flags take whole percentages only`);
  }
  for (const user of s.actors?.users ?? []) {
    if (user.length > 256 || user.trim() !== user || user === '' || /[,\t\r\n]/.test(user)) {
      messages.push(
        `user id '${user}' is not accepted by GitLab (no commas, tabs or surrounding spaces, at most 256 characters)`,
      );
    }
  }
  return messages;
};
