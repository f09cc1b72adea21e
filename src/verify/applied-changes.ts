/**
 * What an apply changed in one environment, read from its JSON report (`flagops apply --report json=FILE`, the
 * `flagops-apply-<env>.json` artifact of the apply job): each applied flag with its live state before the apply and
 * the state it set. The report is data from another job, so it is checked field by field, and it must be this
 * commit's: verification of another commit's apply would test and roll back the wrong thing.
 */
import { isState } from '../model/live-snapshot.js';
import type { MaybeState } from '../model/state.js';
import { parseBoundedJson } from '../util/bounded-json.js';

export interface AppliedChange {
  flag: string;
  /** The flag file, relative to flagops.yml's folder. */
  file?: string;
  /** Live state before the apply (undefined: nothing persisted). */
  before: MaybeState;
  after: MaybeState;
}

export type AppliedChanges = { ok: true; commit?: string; changes: AppliedChange[] } | { ok: false; problem: string };

const FLAG_NAME = /^[a-z0-9]+(_[a-z0-9]+)*$/;
const FILE = /^[^\0]{1,1024}$/;
const MAX_BYTES = 64 * 1024 * 1024;

const stateOrNull = (v: unknown): v is MaybeState | null => v === null || isState(v);

/** Pure: the applied changes of `env` in the report's text. */
export function appliedChanges(text: string, env: string): AppliedChanges {
  const parsed = parseBoundedJson(text, MAX_BYTES);
  if (!parsed.ok) return parsed;
  const doc = parsed.value;
  const o = doc as { command?: unknown; commit?: unknown; environments?: unknown };
  if (typeof o !== 'object' || o === null || o.command !== 'apply' || !Array.isArray(o.environments)) {
    return { ok: false, problem: 'not the JSON report of flagops apply (command "apply", environments)' };
  }
  if (o.commit !== undefined && (typeof o.commit !== 'string' || !/^[0-9a-f]{7,64}$/.test(o.commit))) return { ok: false, problem: 'commit is not a sha' };
  // a ring has one entry per instance: a flag applied in any of them changed (the first entry naming it gives its states)
  const entries = (o.environments as unknown[]).filter((e) => (e as { env?: unknown } | null)?.env === env) as { flags?: unknown }[];
  if (entries.length === 0) return { ok: false, problem: `it has no environment ${env}` };
  const changes: AppliedChange[] = [];
  for (const entry of entries) {
    if (!Array.isArray(entry.flags)) return { ok: false, problem: `environment ${env}: flags is not a list` };
    for (const [i, raw] of (entry.flags as unknown[]).entries()) {
      const f = raw as { flag?: unknown; file?: unknown; live?: unknown; desired?: unknown; status?: unknown } | null;
      if (typeof f !== 'object' || f === null || typeof f.flag !== 'string' || !FLAG_NAME.test(f.flag)) return { ok: false, problem: `flags[${i}]: not a flag` };
      if (f.status !== 'applied' || changes.some((c) => c.flag === f.flag)) continue;
      if (!stateOrNull(f.live) || !stateOrNull(f.desired)) return { ok: false, problem: `flag ${f.flag}: live or desired is not a flag state` };
      if (f.file !== undefined && (typeof f.file !== 'string' || !FILE.test(f.file))) return { ok: false, problem: `flag ${f.flag}: file is not a path` };
      changes.push({
        flag: f.flag,
        ...(typeof f.file === 'string' ? { file: f.file } : {}),
        before: f.live ?? undefined,
        after: f.desired ?? undefined,
      });
    }
  }
  return { ok: true, ...(typeof o.commit === 'string' ? { commit: o.commit } : {}), changes };
}

/**
 * `FLAGOPS_CHANGED_FLAGS`: `name=state,...`, each state one word without commas — `true`, `false`, `unset`,
 * `percentage_of_actors:25`, `percentage_of_time:25`, or `conditional` (actors or feature groups; the exact states are
 * in `FLAGOPS_CHANGES`, JSON).
 */
export function changedFlagsVariable(changes: readonly AppliedChange[]): string {
  return changes.map((c) => `${c.flag}=${stateWord(c.after)}`).join(',');
}

export function stateWord(state: MaybeState): string {
  if (state === undefined) return 'unset';
  if (typeof state === 'boolean') return String(state);
  const keys = Object.keys(state);
  if (keys.length === 1 && state.percentage_of_actors !== undefined) return `percentage_of_actors:${state.percentage_of_actors}`;
  if (keys.length === 1 && state.percentage_of_time !== undefined) return `percentage_of_time:${state.percentage_of_time}`;
  return 'conditional';
}

/** `FLAGOPS_CHANGES`: the exact changes as JSON, `[{"flag", "before", "after"}]` (null: nothing persisted). */
export function changesVariable(changes: readonly AppliedChange[]): string {
  return JSON.stringify(changes.map((c) => ({ flag: c.flag, before: c.before ?? null, after: c.after ?? null })));
}
