/**
 * `GET /features` entries → flagops states (pure). Flipper keeps actors as ids (`User:12`,
 * `Project:278964`, `Group:9970`, `Namespaces::UserNamespace:5`, `Repository:@hashed/….git`);
 * the adapter resolves them to names first (see `flipperIdsOf`) and passes the result in.
 *
 * Decisions:
 * - An actor id that cannot be resolved (deleted user, project namespace, hashed repository with
 *   no known name) stays visible as `#<flipper id>` in its kind's list, so a diff shows it. No
 *   flag file can name it (names never start with `#`) and the API only takes names, so the
 *   planner removes it the only way the API allows: disable, then re-add the rest.
 * - Gates flagops cannot express (opt-outs `User:12:opt_out`, actors of other types such as
 *   `FlipperGitlabInstance:…`, unknown gate keys) go to `unmanaged`; opt-outs also appear as
 *   `#…` markers under their actor's kind. The planner resets a flag that has any.
 * - Flipper's gate `groups` holds feature groups (`gitlab_team_members`), not GitLab groups.
 */
import type { Feature } from '../../gitlab/port.js';
import {
  normalizeState,
  type ActorKind,
  type Actors,
  type ConditionalState,
  type FlagState,
} from '../../model/state.js';

/** Backend data kept in `LiveFlag.meta` for the planner. */
export interface FeaturesMeta {
  /** Flipper's own `on`: the boolean gate is true or percentage_of_time is 100. */
  on: boolean;
  /** Gates flagops cannot express; any of them makes the planner reset the flag. */
  unmanaged: string[];
}

export interface FeatureLive {
  state: FlagState;
  meta: FeaturesMeta;
}

/** Flipper id → resolved name, or null when it no longer resolves. Missing ids count as unresolved. */
export type ResolvedNames = ReadonlyMap<string, string | null>;

export interface ParsedFlipperId {
  /** The flagops actor kind, when the id is of a type flagops knows. */
  kind: ActorKind | undefined;
  /** Ruby class part, e.g. `User`, `Namespaces::UserNamespace`. */
  type: string;
  /** The part after the first `:` (a numeric id, or a repository path). */
  key: string;
  optOut: boolean;
}

const KIND_OF_TYPE: Record<string, ActorKind> = {
  User: 'users',
  Project: 'projects',
  Group: 'groups',
  'Namespaces::UserNamespace': 'namespaces',
  // Before GitLab 15 a user namespace was a plain `Namespace`.
  Namespace: 'namespaces',
  'Namespaces::ProjectNamespace': 'namespaces',
  Repository: 'repositories',
};

/** Splits a Flipper actor id. `Repository:` keys contain `/` and `.`, never a type prefix. */
export function parseFlipperId(id: string): ParsedFlipperId {
  const optOut = id.endsWith(':opt_out');
  const core = optOut ? id.slice(0, -':opt_out'.length) : id;
  // Ruby class names may contain `::`; the key follows the first single `:`.
  const match = /^((?:[A-Z][A-Za-z0-9]*::)*[A-Z][A-Za-z0-9]*):(.+)$/.exec(core);
  if (!match) return { kind: undefined, type: '', key: core, optOut };
  const type = match[1] as string;
  return { kind: KIND_OF_TYPE[type], type, key: match[2] as string, optOut };
}

/** Ids the adapter must resolve: every actor id of these features, de-duplicated, opt-outs excluded. */
export function flipperIdsOf(features: readonly Feature[]): string[] {
  const ids = new Set<string>();
  for (const feature of features) {
    for (const id of actorIdsOf(feature)) {
      const parsed = parseFlipperId(id);
      if (parsed.kind !== undefined && !parsed.optOut && parsed.type !== 'Namespaces::ProjectNamespace')
        ids.add(id);
    }
  }
  return [...ids].sort();
}

function actorIdsOf(feature: Feature): string[] {
  const gate = feature.gates.find((g) => g.key === 'actors');
  return gate ? asStringList(gate.value) : [];
}

function asStringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

function asPercentage(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : 0;
}

function isEmptyGateValue(value: unknown): boolean {
  if (
    value === null ||
    value === undefined ||
    value === false ||
    value === 0 ||
    value === '' ||
    value === '0'
  )
    return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

/** One feature from `GET /features` → its flagops state and planner meta. */
export function featureToLive(feature: Feature, names: ResolvedNames): FeatureLive {
  let boolean = false;
  let pActors = 0;
  let pTime = 0;
  const actors: Actors = {};
  const featureGroups: string[] = [];
  const unmanaged: string[] = [];
  const add = (kind: ActorKind, name: string): void => {
    (actors[kind] ??= []).push(name);
  };

  for (const gate of feature.gates) {
    switch (gate.key) {
      case 'boolean':
        boolean = gate.value === true || gate.value === 'true';
        break;
      case 'percentage_of_actors':
        pActors = asPercentage(gate.value);
        break;
      case 'percentage_of_time':
        pTime = asPercentage(gate.value);
        break;
      case 'groups':
        featureGroups.push(...asStringList(gate.value));
        break;
      case 'actors':
        for (const id of asStringList(gate.value)) {
          const parsed = parseFlipperId(id);
          if (parsed.kind === undefined) {
            unmanaged.push(id);
            continue;
          }
          if (parsed.optOut) {
            unmanaged.push(id);
            add(parsed.kind, `#${id}`);
            continue;
          }
          const name = names.get(id);
          add(parsed.kind, typeof name === 'string' && name !== '' ? name : `#${id}`);
        }
        break;
      default:
        if (!isEmptyGateValue(gate.value)) unmanaged.push(`gate:${gate.key}`);
    }
  }

  const on = boolean || pTime >= 100;
  let state: FlagState;
  if (on) state = true;
  else {
    const cond: ConditionalState = { actors, feature_groups: featureGroups };
    if (pActors > 0) cond.percentage_of_actors = pActors;
    if (pTime > 0) cond.percentage_of_time = pTime;
    state = normalizeState(cond) as FlagState;
  }
  return { state, meta: { on, unmanaged: [...new Set(unmanaged)].sort() } };
}

/** Reads `LiveFlag.meta` defensively (a saved plan may carry anything). */
export function featuresMetaOf(meta: unknown, state: FlagState | undefined): FeaturesMeta {
  const m = (typeof meta === 'object' && meta !== null ? meta : {}) as Partial<FeaturesMeta>;
  return {
    on: typeof m.on === 'boolean' ? m.on : state === true,
    unmanaged: Array.isArray(m.unmanaged)
      ? m.unmanaged.filter((u): u is string => typeof u === 'string')
      : [],
  };
}
