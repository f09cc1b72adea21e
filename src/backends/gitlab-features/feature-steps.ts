/**
 * The states a flag passes through while the operations of `planFeatures` run (pure): what the live state is after
 * each operation but the last. An apply cut off half-way leaves one of them live; the next run recognises it as its
 * own step, not as someone's change (drift), with or without a deployment record.
 *
 * The fold follows the Features API (lib/api/features.rb): `value: true` with no actor turns the flag fully on;
 * `value: false` with no actor turns it off and clears every gate (Feature.disable); actor and feature-group
 * parameters add (`true`) or remove (`false`) those gates; `key` sets that percentage; delete removes the flag.
 */
import { ACTOR_KINDS, normalizeState, type Actors, type ConditionalState, type MaybeState } from '../../model/state.js';
import type { Operation } from '../types.js';
import { planFeatures } from './plan-features.js';

const PARAM_KIND = { user: 'users', group: 'groups', project: 'projects', namespace: 'namespaces', repository: 'repositories' } as const;

export function featureSteps(flag: string, from: MaybeState, to: MaybeState): MaybeState[] {
  const ops = planFeatures(flag, from, to);
  const out: MaybeState[] = [];
  let state = normalizeState(from);
  for (const op of ops.slice(0, -1)) {
    state = foldOperation(state, op);
    out.push(state);
  }
  return out;
}

export function foldOperation(state: MaybeState, op: Operation): MaybeState {
  const p = op.payload;
  if (p.delete === true) return undefined;
  const value = p.value;
  const actorParams = Object.keys(PARAM_KIND).filter((k) => typeof p[k] === 'string') as (keyof typeof PARAM_KIND)[];
  const featureGroup = typeof p.feature_group === 'string' ? p.feature_group : undefined;
  if (actorParams.length === 0 && featureGroup === undefined) {
    if (p.key === 'percentage_of_actors' || p.key === 'percentage_of_time') {
      const base: ConditionalState = typeof state === 'object' ? { ...state } : {};
      return normalizeState({ ...base, [p.key]: Number(value) });
    }
    return value === true || value === 'true' ? true : false;
  }
  const enable = value === true || value === 'true';
  const cond: ConditionalState = typeof state === 'object' ? { ...state, actors: { ...(state.actors ?? {}) } } : {};
  const actors: Actors = cond.actors ?? {};
  for (const param of actorParams) {
    const kind = PARAM_KIND[param];
    const names = String(p[param]).split(',');
    const now = new Set(actors[kind] ?? []);
    for (const n of names) if (enable) now.add(n); else now.delete(n);
    actors[kind] = [...now];
  }
  if (featureGroup !== undefined) {
    const now = new Set(cond.feature_groups ?? []);
    if (enable) now.add(featureGroup);
    else now.delete(featureGroup);
    cond.feature_groups = [...now];
  }
  for (const kind of ACTOR_KINDS) if (actors[kind]?.length === 0) delete actors[kind];
  cond.actors = actors;
  // a fully-on flag stays on whatever actors are added (the boolean gate wins)
  if (state === true && enable) return true;
  return normalizeState(cond) ?? false;
}
