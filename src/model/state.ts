/**
 * Flag states and their exposure order (DESIGN §1).
 * A state is `true`, `false`, or a conditional map; `undefined` means "no persisted state".
 */
export const ACTOR_KINDS = ['users', 'groups', 'projects', 'namespaces', 'repositories'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];
/** The singular actor type a flag declares (`actor:`), mapped to its list key. */
export const ACTOR_LIST_OF: Record<string, ActorKind> = {
  user: 'users',
  group: 'groups',
  project: 'projects',
  namespace: 'namespaces',
  repository: 'repositories',
};

export type Actors = Partial<Record<ActorKind, string[]>>;

export interface ConditionalState {
  percentage_of_actors?: number;
  percentage_of_time?: number;
  actors?: Actors;
  feature_groups?: string[];
}

export type FlagState = boolean | ConditionalState;
/** `undefined`: nothing persisted (the flag falls back to `default_enabled`). */
export type MaybeState = FlagState | undefined;

/**
 * Normal form: sorted, de-duplicated lists; empty parts dropped; an empty condition is `false`.
 * Two states are equal iff their normal forms are deeply equal.
 */
export function normalizeState(state: MaybeState): MaybeState {
  if (state === undefined || typeof state === 'boolean') return state;
  const out: ConditionalState = {};
  if (state.percentage_of_actors !== undefined && state.percentage_of_actors > 0) {
    if (state.percentage_of_actors >= 100) return true;
    out.percentage_of_actors = state.percentage_of_actors;
  }
  if (state.percentage_of_time !== undefined && state.percentage_of_time > 0) {
    if (state.percentage_of_time >= 100) return true;
    out.percentage_of_time = state.percentage_of_time;
  }
  const actors: Actors = {};
  for (const kind of ACTOR_KINDS) {
    const list = state.actors?.[kind];
    if (list && list.length > 0) actors[kind] = [...new Set(list)].sort();
  }
  if (Object.keys(actors).length > 0) out.actors = actors;
  if (state.feature_groups && state.feature_groups.length > 0) {
    out.feature_groups = [...new Set(state.feature_groups)].sort();
  }
  return Object.keys(out).length === 0 ? false : out;
}

export function statesEqual(a: MaybeState, b: MaybeState): boolean {
  return stableJson(normalizeState(a)) === stableJson(normalizeState(b));
}

function stableJson(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/**
 * Exposure as a number for ordering: off/absent 0 < actors or feature groups only 1
 * < percentage p (1 + p) < fully on 102. `defaultEnabled` decides what "absent" means.
 */
export function exposure(state: MaybeState, defaultEnabled = false): number {
  const s = normalizeState(state);
  if (s === undefined) return defaultEnabled ? 102 : 0;
  if (s === true) return 102;
  if (s === false) return 0;
  const p = Math.max(s.percentage_of_actors ?? 0, s.percentage_of_time ?? 0);
  if (p > 0) return 1 + p;
  return 1;
}

/** The largest percentage in a state (100 for fully on, 0 for off or actors only). */
export function percentageOf(state: MaybeState, defaultEnabled = false): number {
  const s = normalizeState(state);
  if (s === undefined) return defaultEnabled ? 100 : 0;
  if (typeof s === 'boolean') return s ? 100 : 0;
  return Math.max(s.percentage_of_actors ?? 0, s.percentage_of_time ?? 0);
}

export type ChangeKind = 'none' | 'rollout' | 'rollback';

/**
 * rollback: the new state enables nothing the old one did not (only lowers exposure);
 * rollout: anything else that changes the state (raises exposure or enables someone new).
 * An absent state counts as `default_enabled`.
 */
export function classifyChange(before: MaybeState, after: MaybeState, defaultEnabled = false): ChangeKind {
  if (statesEqual(before, after)) return 'none';
  const b = before === undefined ? defaultEnabled : before;
  const a = after === undefined ? defaultEnabled : after;
  return isSubset(a, b) ? 'rollback' : 'rollout';
}

/** Every actor and feature group enabled by `inner` is also enabled by `outer`. */
function isSubset(inner: MaybeState, outer: MaybeState): boolean {
  const i = normalizeState(inner);
  const o = normalizeState(outer);
  if (i === undefined || i === false) return true;
  if (o === true) return true;
  if (i === true || o === undefined || o === false) return false;
  for (const kind of ACTOR_KINDS) {
    const outerSet = new Set(o.actors?.[kind] ?? []);
    if ((i.actors?.[kind] ?? []).some((n) => !outerSet.has(n))) return false;
  }
  const og = new Set(o.feature_groups ?? []);
  if ((i.feature_groups ?? []).some((g) => !og.has(g))) return false;
  if ((i.percentage_of_actors ?? 0) > (o.percentage_of_actors ?? 0)) return false;
  if ((i.percentage_of_time ?? 0) > (o.percentage_of_time ?? 0)) return false;
  return true;
}

/** Human text for a state, as ChatOps would describe it. */
export function describeState(state: MaybeState, defaultEnabled?: boolean): string {
  const s = normalizeState(state);
  if (s === undefined) return defaultEnabled === undefined ? 'unset' : `unset (default ${defaultEnabled ? 'on' : 'off'})`;
  if (s === true) return 'on';
  if (s === false) return 'off';
  const parts: string[] = [];
  if (s.percentage_of_actors !== undefined) parts.push(`${s.percentage_of_actors}% of actors`);
  if (s.percentage_of_time !== undefined) parts.push(`${s.percentage_of_time}% of time`);
  for (const kind of ACTOR_KINDS) {
    const list = s.actors?.[kind];
    if (list) parts.push(`${kind} ${list.join(', ')}`);
  }
  if (s.feature_groups) parts.push(`feature groups ${s.feature_groups.join(', ')}`);
  return parts.join('; ');
}
