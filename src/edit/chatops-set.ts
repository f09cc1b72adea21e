/**
 * ChatOps `feature set` semantics applied to ONE environment's desired state (pure).
 *
 *   set NAME true | false            fully on | persisted off (false clears every gate, as GitLab's disable does)
 *   set NAME 100 | 0                 the same as true | false, whatever --actors/--random say (GitLab reads value first)
 *   set NAME P --actors              percentage_of_actors P, keeping actors, feature groups and percentage_of_time
 *   set NAME P [--random]            percentage_of_time P, keeping the other gates
 *   set NAME true  --user a,b ...    adds actors (--user --project --group --namespace --repository --feature-group)
 *   set NAME false --user a,b ...    removes them; a conditional state with no gate left is `false` (GitLab: off)
 *
 * Decisions (GitLab/ChatOps differ where noted):
 * - A percentage on a fully-on state: GitLab answers 400 "Cannot enable percentage … for a fully-enabled flag"
 *   and ChatOps makes you `set false` first. flagops edits the *desired* state, so it does what the user obviously
 *   wants: the state becomes exactly that percentage (a rollback from on), with a note; the planner issues the
 *   disable-then-percentage operations GitLab needs.
 * - Adding an actor to a fully-on state changes nothing (GitLab keeps it fully on): the state stays `true`, with a note.
 * - Removing an actor from a fully-on state would need a GitLab opt-out, which flagops does not model: refused
 *   (usage error) rather than silently doing nothing.
 * - Removing an actor from an unset state leaves it unset (GitLab would persist an empty `off`, which on a
 *   default-enabled flag would switch it off for everyone).
 * - Percentages are 0..100 with at most 2 decimals (the flag schema's precision); anything else is a usage error.
 */
import { UsageError } from '../errors/errors.js';
import { ACTOR_KINDS, type ActorKind, type Actors, type ConditionalState, type MaybeState } from '../model/state.js';

type Many = string | readonly string[] | undefined;

/** The CLI option of each actor kind (`set --user a,b --project p`). */
export const ACTOR_OPTIONS = [
  { option: 'user', flag: '--user', kind: 'users' },
  { option: 'project', flag: '--project', kind: 'projects' },
  { option: 'group', flag: '--group', kind: 'groups' },
  { option: 'namespace', flag: '--namespace', kind: 'namespaces' },
  { option: 'repository', flag: '--repository', kind: 'repositories' },
  { option: 'featureGroup', flag: '--feature-group', kind: 'feature_groups' },
] as const satisfies readonly { option: string; flag: string; kind: ActorKind | 'feature_groups' }[];

export type ActorOption = (typeof ACTOR_OPTIONS)[number]['option'];

/** The actor options as given: each repeatable, each value a comma-separated list of names or paths. */
export type ActorArgs = { [K in ActorOption]?: Many };

export interface SetArgs extends ActorArgs {
  /** `true`, `false` or a percentage such as `25` or `0.5`. */
  value: string;
  actors?: boolean;
  random?: boolean;
}

export type PercentageKey = 'percentage_of_actors' | 'percentage_of_time';

export type SetOperation =
  | { kind: 'boolean'; value: boolean }
  | { kind: 'percentage'; key: PercentageKey; value: number }
  | { kind: 'actors'; enable: boolean; actors: Actors; featureGroups: string[] };

export interface SetResult {
  state: MaybeState;
  /** Things the user should know (no-ops, rollbacks from fully on). */
  notes: string[];
}

/** Only the actor options of `options` (say, a command's whole option object). */
export function pickActorArgs(options: ActorArgs): ActorArgs {
  const picked: ActorArgs = {};
  for (const { option } of ACTOR_OPTIONS) if (options[option] !== undefined) picked[option] = options[option];
  return picked;
}

/** Checks the arguments of `set` the way ChatOps and GitLab's API do; usage errors name the fix. */
export function parseSetArgs(args: SetArgs): SetOperation {
  if (args.actors && args.random) throw new UsageError('--actors and --random exclude each other', 'use --actors for a percentage of actors, --random for a percentage of time');
  const actors: Actors = {};
  const featureGroups: string[] = [];
  const used: string[] = [];
  for (const { option, flag, kind } of ACTOR_OPTIONS) {
    const names = splitNames(args[option], flag);
    if (names === undefined) continue;
    used.push(flag);
    if (kind === 'feature_groups') featureGroups.push(...names);
    else actors[kind] = names;
  }
  const value = args.value.trim().toLowerCase();
  if (used.length > 0) {
    if (args.actors || args.random) {
      throw new UsageError(`${args.actors ? '--actors' : '--random'} cannot be combined with ${used.join(', ')}`, 'a percentage applies to everyone; actors are enabled one by one with true/false');
    }
    if (value !== 'true' && value !== 'false') {
      throw new UsageError(`with ${used.join(', ')} the value must be true (add) or false (remove), not '${args.value}'`);
    }
    return { kind: 'actors', enable: value === 'true', actors, featureGroups };
  }
  if (value === 'true' || value === 'false') return { kind: 'boolean', value: value === 'true' };
  const percentage = parsePercentage(args.value);
  if (percentage === 100) return { kind: 'boolean', value: true };
  if (percentage === 0) return { kind: 'boolean', value: false };
  return { kind: 'percentage', key: args.actors ? 'percentage_of_actors' : 'percentage_of_time', value: percentage };
}

function splitNames(raw: Many, flag: string): string[] | undefined {
  if (raw === undefined) return undefined;
  const list = typeof raw === 'string' ? [raw] : raw;
  if (list.length === 0) return undefined;
  const names = list.flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) throw new UsageError(`${flag} needs at least one name`, `e.g. ${flag} a,b (comma-separated, or repeat ${flag})`);
  const bad = names.find((n) => /\s/.test(n));
  if (bad !== undefined) throw new UsageError(`${flag} '${bad}': names and paths contain no spaces`);
  return [...new Set(names)];
}

function parsePercentage(text: string): number {
  const t = text.trim();
  if (!/^\d+(\.\d+)?$/.test(t)) {
    throw new UsageError(`value '${text}' is not true, false or a percentage`, 'e.g. flagops set NAME true, flagops set NAME 25 --actors');
  }
  const n = Number(t);
  if (n > 100) throw new UsageError(`percentage ${t} is over 100`);
  const rounded = Math.round(n * 100) / 100;
  if (Math.abs(rounded - n) > 1e-9) throw new UsageError(`percentage ${t} has more than 2 decimals`, `use ${rounded}`);
  return rounded;
}

/** Applies one `set` to one environment's current desired state. Throws a UsageError for what cannot be expressed. */
export function applySet(current: MaybeState, op: SetOperation): SetResult {
  if (op.kind === 'boolean') return { state: op.value, notes: [] };
  if (op.kind === 'percentage') {
    const what = op.key === 'percentage_of_actors' ? 'actors' : 'time';
    if (current === true) {
      return {
        state: { [op.key]: op.value },
        notes: [`was fully on: now only ${op.value}% of ${what} (GitLab needs the flag off first; apply does that)`],
      };
    }
    const base: ConditionalState = typeof current === 'object' ? current : {};
    return { state: canonical({ ...base, [op.key]: op.value }), notes: [] };
  }
  return op.enable ? addActors(current, op) : removeActors(current, op);
}

type ActorsOp = Extract<SetOperation, { kind: 'actors' }>;

function listNames(op: ActorsOp): string {
  const parts = ACTOR_KINDS.filter((k) => op.actors[k]).map((k) => `${k} ${op.actors[k]!.join(', ')}`);
  if (op.featureGroups.length > 0) parts.push(`feature groups ${op.featureGroups.join(', ')}`);
  return parts.join('; ');
}

function addActors(current: MaybeState, op: ActorsOp): SetResult {
  if (current === true) return { state: true, notes: [`already fully on: enabling ${listNames(op)} changes nothing`] };
  const base: ConditionalState = typeof current === 'object' ? current : {};
  const actors: Actors = { ...base.actors };
  for (const kind of ACTOR_KINDS) {
    const add = op.actors[kind];
    if (add) actors[kind] = union(actors[kind] ?? [], add);
  }
  const state: ConditionalState = { ...base, actors };
  if (op.featureGroups.length > 0) state.feature_groups = union(base.feature_groups ?? [], op.featureGroups);
  return { state: canonical(state), notes: [] };
}

function removeActors(current: MaybeState, op: ActorsOp): SetResult {
  if (current === true) {
    throw new UsageError(
      `the flag is fully on: removing ${listNames(op)} would need an opt-out, which flagops does not manage`,
      'set the environment to the actors or percentage it should have instead (e.g. flagops set NAME 50 --actors)',
    );
  }
  if (current === undefined || current === false) {
    return { state: current, notes: [`${listNames(op)}: nothing to remove (the state is ${current === false ? 'off' : 'unset'})`] };
  }
  const actors: Actors = {};
  const missing: string[] = [];
  for (const kind of ACTOR_KINDS) {
    const have = current.actors?.[kind] ?? [];
    const drop = op.actors[kind] ?? [];
    missing.push(...drop.filter((n) => !have.includes(n)));
    actors[kind] = have.filter((n) => !drop.includes(n));
  }
  const groups = current.feature_groups ?? [];
  missing.push(...op.featureGroups.filter((g) => !groups.includes(g)));
  const state = canonical({ ...current, actors, feature_groups: groups.filter((g) => !op.featureGroups.includes(g)) });
  const notes = missing.length > 0 ? [`not enabled, nothing to remove: ${missing.join(', ')}`] : [];
  if (state === false) notes.push('no gate left: the flag is off there');
  return { state, notes };
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

/**
 * The state as flagops writes it: keys in the documented order, empty parts dropped, no condition left → `false`,
 * a percentage ≥ 100 → `true`. Unlike normalizeState, lists keep their order (so unchanged lists stay unchanged).
 */
export function canonical(state: MaybeState): MaybeState {
  if (state === undefined || typeof state === 'boolean') return state;
  const out: ConditionalState = {};
  for (const key of ['percentage_of_actors', 'percentage_of_time'] as const) {
    const p = state[key];
    if (p === undefined || !(p > 0)) continue;
    if (p >= 100) return true;
    out[key] = p;
  }
  const actors: Actors = {};
  for (const kind of ACTOR_KINDS) {
    const list = state.actors?.[kind];
    if (list && list.length > 0) actors[kind] = [...new Set(list)];
  }
  if (Object.keys(actors).length > 0) out.actors = actors;
  if (state.feature_groups && state.feature_groups.length > 0) out.feature_groups = [...new Set(state.feature_groups)];
  return Object.keys(out).length === 0 ? false : out;
}

/** Reads a state from parsed YAML: undefined when absent, null when the value is not a well-formed state. */
export function asState(value: unknown): MaybeState | null {
  if (value === undefined) return undefined;
  if (typeof value === 'boolean') return value;
  if (!isRecord(value)) return null;
  const out: ConditionalState = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === 'percentage_of_actors' || key === 'percentage_of_time') {
      if (typeof v !== 'number') return null;
      out[key] = v;
    } else if (key === 'feature_groups') {
      if (!isNames(v)) return null;
      out.feature_groups = v;
    } else if (key === 'actors') {
      if (!isRecord(v)) return null;
      const actors: Actors = {};
      for (const [kind, names] of Object.entries(v)) {
        if (!(ACTOR_KINDS as readonly string[]).includes(kind) || !isNames(names)) return null;
        actors[kind as ActorKind] = names;
      }
      out.actors = actors;
    } else {
      return null;
    }
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isNames(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((n) => typeof n === 'string');
}
