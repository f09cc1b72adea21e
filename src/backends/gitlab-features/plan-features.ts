/**
 * Live → desired for GitLab's Features API (pure). The fewest `POST /features/:name` calls that
 * respect the API's rules (FACTS.md, GitLab's Admin::SetFeatureFlagService):
 * - `value` true/100 turns the flag fully on and clears every other gate; false/0 clears every gate
 *   (the flag stays persisted), whatever `key` says. There is no "percentage 0".
 * - A percentage on a fully-on flag is refused: disable first.
 * - `key` cannot be combined with an actor parameter, and a percentage cannot be given with one.
 * - With actor parameters, `true` adds and `false` removes exactly those actors. Several actors of
 *   one kind go comma-separated in one parameter, and several kinds in one request; `feature_group`
 *   takes a single name.
 * - Removing a percentage, an actor the API cannot name (`#…` markers) or a gate flagops cannot
 *   express (opt-outs) is only possible by disabling and re-adding the rest.
 * - `undefined` (nothing persisted) is `DELETE`; `false` is a persisted off flag.
 * - A namespace that is a group is stored by GitLab as `Group:<id>` and reads back under `groups`:
 *   a live group entry satisfies a desired namespace entry with the same path.
 */
import type { SetFeatureParams } from '../../gitlab/port.js';
import {
  ACTOR_KINDS,
  normalizeState,
  type ActorKind,
  type Actors,
  type ConditionalState,
  type MaybeState,
} from '../../model/state.js';
import type { Operation } from '../types.js';
import type { FeaturesMeta } from './features-to-state.js';

/** The POST parameter for each actor kind. */
export const ACTOR_PARAM: Record<ActorKind, 'user' | 'group' | 'project' | 'namespace' | 'repository'> = {
  users: 'user',
  groups: 'group',
  projects: 'project',
  namespaces: 'namespace',
  repositories: 'repository',
};

/** ChatOps environment switches (`--staging`); production is ChatOps' default. */
const CHATOPS_ENVS = new Set(['dev', 'staging', 'staging-ref', 'pre', 'ops']);

export interface PlanFeaturesOptions {
  /** Planner data read with the live state (see features-to-state.ts). */
  meta?: FeaturesMeta;
  /** Send `force=true` (skips GitLab's name checks, e.g. licensed feature names). */
  force?: boolean;
  /** flagops environment name; a ChatOps one (`staging`, …) is added to `describe` as `--staging`. */
  env?: string;
}

export type FeatureOpPayload = SetFeatureParams | { delete: true };

/** The ordered operations turning `live` into `desired` for one flag. */
export function planFeatures(
  name: string,
  live: MaybeState,
  desired: MaybeState,
  options: PlanFeaturesOptions = {},
): Operation[] {
  const l = normalizeState(live);
  const d = normalizeState(desired);
  const meta: FeaturesMeta = options.meta ?? { on: l === true, unmanaged: [] };
  const ops = new OpBuilder(name, options);

  if (d === undefined) {
    if (l !== undefined) ops.remove();
    return ops.list;
  }
  if (d === true) {
    if (!(l === true && meta.on && meta.unmanaged.length === 0)) ops.set({ value: true });
    return ops.list;
  }
  if (d === false) {
    if (!(l === false && meta.unmanaged.length === 0)) ops.set({ value: false });
    return ops.list;
  }

  const base: ConditionalState = typeof l === 'object' ? alignActors(l, d) : {};
  const reset =
    l === true ||
    meta.unmanaged.length > 0 ||
    (base.percentage_of_actors !== undefined && d.percentage_of_actors === undefined) ||
    (base.percentage_of_time !== undefined && d.percentage_of_time === undefined) ||
    hasMarkers(base);
  const from: ConditionalState = reset ? {} : base;
  if (reset) ops.set({ value: false });

  ops.actors(false, minus(from.actors, d.actors), minusList(from.feature_groups, d.feature_groups));
  ops.actors(true, minus(d.actors, from.actors), minusList(d.feature_groups, from.feature_groups));
  if (d.percentage_of_actors !== undefined && d.percentage_of_actors !== from.percentage_of_actors) {
    ops.set({ value: formatPercentage(d.percentage_of_actors), key: 'percentage_of_actors' });
  }
  if (d.percentage_of_time !== undefined && d.percentage_of_time !== from.percentage_of_time) {
    ops.set({ value: formatPercentage(d.percentage_of_time), key: 'percentage_of_time' });
  }
  return ops.list;
}

/** A decimal string GitLab's `^\d+(\.\d+)?$` accepts (never exponent notation). */
export function formatPercentage(p: number): string {
  const s = String(p);
  if (!/e/i.test(s)) return s;
  return p.toFixed(12).replace(/\.?0+$/, '');
}

/**
 * The live state in the desired state's terms, where both name the same GitLab entity (pure):
 * - a group given as `namespace` is stored as the Group's own Flipper id (`Group:<id>`, FeatureGate#flipper_id is
 *   `"#{self.class.name}:#{id}"`; lib/feature.rb `Feature::Target#namespaces` finds a Group or a UserNamespace), so
 *   it reads back under `groups`: a live group entry stands for a desired namespace entry of the same path;
 * - GitLab finds usernames and paths case-insensitively (Routable.find_by_full_path, `LOWER(routes.path)`;
 *   User.find_by_username) and reads back the stored spelling: `Alice` in the file is the live `alice`.
 * A live entry that matches no desired entry stays as it is.
 */
export function alignActors(live: ConditionalState, desired: ConditionalState): ConditionalState {
  const want = desired.actors;
  const have = live.actors;
  if (want === undefined || have === undefined) return live;
  const taken = new Set<string>();
  const out: Actors = {};
  let changed = false;
  const spellingIn = (kind: ActorKind, name: string): string | undefined => {
    const list = want[kind];
    if (list === undefined) return undefined;
    if (list.includes(name) && !taken.has(`${kind}\n${name}`)) return name;
    const lower = name.toLowerCase();
    return list.find((x) => x.toLowerCase() === lower && !taken.has(`${kind}\n${x}`));
  };
  for (const kind of ACTOR_KINDS) {
    for (const name of have[kind] ?? []) {
      let target: [ActorKind, string] = [kind, name];
      if (!name.startsWith('#')) {
        const same = spellingIn(kind, name);
        const asNamespace = same === undefined && kind === 'groups' ? spellingIn('namespaces', name) : undefined;
        if (same !== undefined) target = [kind, same];
        else if (asNamespace !== undefined) target = ['namespaces', asNamespace];
      }
      if (target[0] !== kind || target[1] !== name) changed = true;
      taken.add(`${target[0]}\n${target[1]}`);
      (out[target[0]] ??= []).push(target[1]);
      // the file may name one group both ways: the one `Group:<id>` gate is both entries
      const twin = target[0] === 'groups' && !name.startsWith('#') ? spellingIn('namespaces', name) : undefined;
      if (twin !== undefined) {
        changed = true;
        taken.add(`namespaces\n${twin}`);
        (out.namespaces ??= []).push(twin);
      }
    }
  }
  if (!changed) return live;
  for (const kind of ACTOR_KINDS) out[kind]?.sort();
  return { ...live, actors: out };
}

/** Kept for callers of the earlier name: namespaces alone are a case of `alignActors`. */
export const alignNamespaces = alignActors;

function hasMarkers(s: ConditionalState): boolean {
  const actors = s.actors;
  return actors !== undefined && ACTOR_KINDS.some((k) => (actors[k] ?? []).some((n) => n.startsWith('#')));
}

// most flags have no actors: the empty cases return before allocating (planning runs twice per flag per apply)
function minusList(a: readonly string[] | undefined, b: readonly string[] | undefined): string[] {
  if (a === undefined || a.length === 0) return [];
  if (b === undefined || b.length === 0) return [...a];
  const drop = new Set(b);
  return a.filter((x) => !drop.has(x));
}

function minus(a: Actors | undefined, b: Actors | undefined): Actors {
  const out: Actors = {};
  if (a === undefined) return out;
  for (const kind of ACTOR_KINDS) {
    const rest = minusList(a?.[kind], b?.[kind]);
    if (rest.length > 0) out[kind] = rest;
  }
  return out;
}

class OpBuilder {
  readonly list: Operation[] = [];
  constructor(
    private readonly name: string,
    private readonly options: PlanFeaturesOptions,
  ) {}

  remove(): void {
    this.list.push({
      flag: this.name,
      action: 'delete',
      describe: `feature delete ${this.name}${this.envSwitch()}`,
      payload: { delete: true },
    });
  }

  set(params: SetFeatureParams): void {
    const payload: SetFeatureParams = this.options.force ? { ...params, force: true } : { ...params };
    this.list.push({
      flag: this.name,
      action: 'set',
      describe: this.describe(payload),
      payload: { ...payload },
    });
  }

  /** Adds (`enable`) or removes actors and feature groups: one request, plus one per extra feature group. */
  actors(enable: boolean, actors: Actors, featureGroups: string[]): void {
    if (featureGroups.length === 0 && Object.keys(actors).length === 0) return;
    const params: SetFeatureParams = { value: enable };
    for (const kind of ACTOR_KINDS) {
      const names = actors[kind];
      if (names && names.length > 0) params[ACTOR_PARAM[kind]] = names.join(',');
    }
    const [first, ...rest] = featureGroups;
    if (first !== undefined) params.feature_group = first;
    if (Object.keys(params).length > 1) this.set(params);
    for (const group of rest) this.set({ value: enable, feature_group: group });
  }

  private envSwitch(): string {
    const env = this.options.env;
    return env !== undefined && CHATOPS_ENVS.has(env) ? ` --${env}` : '';
  }

  private describe(p: SetFeatureParams): string {
    const parts = ['feature set'];
    for (const kind of ACTOR_KINDS) {
      const v = p[ACTOR_PARAM[kind]];
      if (v !== undefined) parts.push(`--${ACTOR_PARAM[kind]}=${v}`);
    }
    if (p.feature_group !== undefined) parts.push(`--feature-group=${p.feature_group}`);
    parts.push(this.name, String(p.value));
    if (p.key === 'percentage_of_actors') parts.push('--actors');
    if (p.key === 'percentage_of_time') parts.push('--random');
    return parts.join(' ') + this.envSwitch();
  }
}
