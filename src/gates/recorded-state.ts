/**
 * A flag file's text at an applied commit → what that apply gave the flag in an environment (soak). Pure and
 * defensive: the text is whatever the commit holds, so anything malformed reads as "no exposure", the safe side.
 */
import yaml from 'js-yaml';
import { ACTOR_KINDS, type Actors, type ConditionalState, type MaybeState } from '../model/state.js';
import type { RecordedState } from './types.js';
import { own } from '../util/own.js';

const MAX_BYTES = 256 * 1024;

/** The state `text` (a flag file; undefined when absent at the commit) gives the flag in `env`. */
export function recordedState(text: string | undefined, env: string): RecordedState {
  const rev = readRevision(text === undefined ? undefined : safeParse(text));
  if (rev.environments === undefined) return { kind: 'unmanaged' };
  return { kind: 'state', state: own(rev.environments, env), defaultEnabled: rev.defaultEnabled };
}

function safeParse(text: string): unknown {
  try {
    return defaultParse(text);
  } catch {
    return undefined;
  }
}

function defaultParse(text: string): unknown {
  if (text.length > MAX_BYTES) return undefined;
  return yaml.load(text, { schema: yaml.CORE_SCHEMA });
}

/** Pure: a parsed flag file → its environments (undefined when it has none) and default_enabled. */
export function readRevision(doc: unknown): { environments: Record<string, MaybeState> | undefined; defaultEnabled: boolean } {
  if (!isRecord(doc)) return { environments: undefined, defaultEnabled: false };
  const defaultEnabled = doc.default_enabled === true;
  if (!isRecord(doc.environments)) return { environments: undefined, defaultEnabled };
  const environments = Object.create(null) as Record<string, MaybeState>;
  for (const [env, value] of Object.entries(doc.environments)) environments[env] = readState(value);
  return { environments, defaultEnabled };
}

/** A state as written; anything malformed counts as `false` (no exposure), which is the safe side for soak. */
function readState(value: unknown): MaybeState {
  if (typeof value === 'boolean') return value;
  if (!isRecord(value)) return false;
  const s: ConditionalState = {};
  if (typeof value.percentage_of_actors === 'number') s.percentage_of_actors = value.percentage_of_actors;
  if (typeof value.percentage_of_time === 'number') s.percentage_of_time = value.percentage_of_time;
  if (isRecord(value.actors)) {
    const actors: Actors = {};
    for (const kind of ACTOR_KINDS) {
      const list = value.actors[kind];
      if (Array.isArray(list)) actors[kind] = list.filter((x): x is string => typeof x === 'string');
    }
    s.actors = actors;
  }
  if (Array.isArray(value.feature_groups))
    s.feature_groups = value.feature_groups.filter((x): x is string => typeof x === 'string');
  return s;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
