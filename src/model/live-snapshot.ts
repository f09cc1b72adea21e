/**
 * The live state an apply or status job read, published as a job artifact (DESIGN §6) so that `check` — which holds
 * no environment token — can show on the merge request what apply would do now. Versioned JSON, one file per
 * environment, validated when read: an artifact is data from another pipeline, never trusted blindly.
 */
import { ACTOR_KINDS, type FlagState } from './state.js';
import { parseBoundedJson } from '../util/bounded-json.js';

export const SNAPSHOT_VERSION = 1;
/** Where the jobs write it, relative to the project folder; also the artifact path `check` downloads. */
export const SNAPSHOT_DIR = '.flagops/live';
export const snapshotPath = (env: string): string => `${SNAPSHOT_DIR}/${env}.json`;

export interface LiveSnapshot {
  snapshotVersion: typeof SNAPSHOT_VERSION;
  environment: string;
  /** When the live state was read (ISO 8601). */
  readAt: string;
  /** The flag repository's commit the job ran at, when known. */
  commit?: string;
  /** The job that published it, when known. */
  jobUrl?: string;
  /** Every live flag of the environment, managed or not. */
  flags: Record<string, FlagState>;
}

export type SnapshotParse = { ok: true; snapshot: LiveSnapshot } | { ok: false; problem: string };

const FLAG_NAME = /^[a-z][a-z0-9_]*$/;
const MAX_BYTES = 8 * 1024 * 1024;

export function parseSnapshot(text: string, expectedEnv: string): SnapshotParse {
  const parsed = parseBoundedJson(text, MAX_BYTES);
  if (!parsed.ok) return parsed;
  const doc = parsed.value;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return { ok: false, problem: 'not an object' };
  const o = doc as Record<string, unknown>;
  if (o.snapshotVersion !== SNAPSHOT_VERSION) return { ok: false, problem: `snapshotVersion ${JSON.stringify(o.snapshotVersion)}, expected ${SNAPSHOT_VERSION}` };
  if (o.environment !== expectedEnv) return { ok: false, problem: `it is the snapshot of ${JSON.stringify(o.environment)}` };
  if (typeof o.readAt !== 'string' || Number.isNaN(Date.parse(o.readAt))) return { ok: false, problem: 'readAt is not a date' };
  if (o.commit !== undefined && (typeof o.commit !== 'string' || !/^[0-9a-f]{7,64}$/.test(o.commit))) return { ok: false, problem: 'commit is not a sha' };
  if (o.jobUrl !== undefined && (typeof o.jobUrl !== 'string' || !/^https?:\/\//.test(o.jobUrl))) return { ok: false, problem: 'jobUrl is not a URL' };
  const flags = o.flags;
  if (typeof flags !== 'object' || flags === null || Array.isArray(flags)) return { ok: false, problem: 'flags is not a map' };
  for (const [name, state] of Object.entries(flags as Record<string, unknown>)) {
    if (!FLAG_NAME.test(name)) return { ok: false, problem: `flag name ${JSON.stringify(name.slice(0, 80))} is not valid` };
    if (!isState(state)) return { ok: false, problem: `flag ${name}: not a flag state` };
  }
  return {
    ok: true,
    snapshot: {
      snapshotVersion: SNAPSHOT_VERSION,
      environment: expectedEnv,
      readAt: new Date(o.readAt).toISOString(),
      ...(typeof o.commit === 'string' ? { commit: o.commit } : {}),
      ...(typeof o.jobUrl === 'string' ? { jobUrl: o.jobUrl } : {}),
      flags: flags as Record<string, FlagState>,
    },
  };
}

/** A flag state as JSON data (live snapshots, apply reports), checked key by key. */
export function isState(v: unknown): v is FlagState {
  if (typeof v === 'boolean') return true;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const strings = (x: unknown): boolean => Array.isArray(x) && x.every((s) => typeof s === 'string' && s.length <= 255);
  const percent = (x: unknown): boolean => typeof x === 'number' && x >= 0 && x <= 100;
  for (const [k, value] of Object.entries(v as Record<string, unknown>)) {
    if (k === 'percentage_of_actors' || k === 'percentage_of_time') {
      if (!percent(value)) return false;
    } else if (k === 'feature_groups') {
      if (!strings(value)) return false;
    } else if (k === 'actors') {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
      for (const [kind, list] of Object.entries(value as Record<string, unknown>)) {
        if (!(ACTOR_KINDS as readonly string[]).includes(kind) || !strings(list)) return false;
      }
    } else return false;
  }
  return true;
}
