/**
 * The soak gate's history input from git: each commit's version of a flag file on the target branch,
 * reduced to its `environments` and `default_enabled`.
 */
import path from 'node:path';
import yaml from 'js-yaml';
import type { Git } from '../git/git.js';
import { ACTOR_KINDS, type Actors, type ConditionalState, type MaybeState } from '../model/state.js';
import type { FlagHistory, FlagHistoryProvider, FlagRevision } from './types.js';

const MAX_BYTES = 256 * 1024;

export interface GitFlagHistoryOptions {
  git: Git;
  /** The target branch's tip: the MR's diff base in an MR pipeline, the applied commit (HEAD) after merge. */
  ref: string;
  /** Folder that `FlagChange.file` paths are relative to (the config file's folder). */
  dir: string;
  /** Parse one historical version; default: js-yaml core schema, at most 256 KiB. */
  parse?: (text: string) => unknown;
}

export function createGitFlagHistory(options: GitFlagHistoryOptions): FlagHistoryProvider {
  const { git, ref, dir } = options;
  const parse = options.parse ?? defaultParse;
  const cache = new Map<string, Promise<FlagHistory>>();
  let shallow: Promise<boolean> | undefined;

  async function load(file: string): Promise<FlagHistory> {
    const commits = await git.fileHistory({ path: path.resolve(dir, file), ref });
    const present = commits.filter((c) => c.path !== undefined);
    const contents = await git.showFiles(present.map((c) => ({ rev: c.sha, path: c.path as string })));
    const bySha = new Map(present.map((c, i) => [c.sha, contents[i]]));
    const revisions = commits.map((c): FlagRevision => {
      const text = bySha.get(c.sha);
      return {
        sha: c.sha,
        committedAt: c.committedAt,
        ...readRevision(text === undefined ? undefined : safeParse(parse, text)),
      };
    });
    shallow ??= git.isShallow();
    return { revisions, shallow: await shallow };
  }

  return ({ file }) => {
    let hit = cache.get(file);
    if (!hit) {
      hit = load(file);
      cache.set(file, hit);
    }
    return hit;
  };
}

function defaultParse(text: string): unknown {
  if (text.length > MAX_BYTES) return undefined;
  return yaml.load(text, { schema: yaml.CORE_SCHEMA });
}

function safeParse(parse: (text: string) => unknown, text: string): unknown {
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}

/** Pure: a parsed flag file → its environments (undefined when it has none) and default_enabled. */
export function readRevision(doc: unknown): Pick<FlagRevision, 'environments' | 'defaultEnabled'> {
  if (!isRecord(doc)) return { environments: undefined, defaultEnabled: false };
  const defaultEnabled = doc.default_enabled === true;
  if (!isRecord(doc.environments)) return { environments: undefined, defaultEnabled };
  const environments: Record<string, MaybeState> = {};
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
