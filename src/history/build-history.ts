/**
 * Pure: the recorded applies of one environment (or ring instance), as they concern one flag, → the flag's history
 * there: one entry each time a record gave it a different state than the record before. A record of a commit this
 * clone lacks is always listed, unverified, and what follows it is compared with nothing.
 */
import { normalizeState, statesEqual, type FlagState, type MaybeState } from '../model/state.js';
import type { ChangeCommit, HistoryEntry, HistoryRecord } from './types.js';

/** One record, as it concerns the flag. */
export interface Observation {
  at: string;
  record: HistoryRecord;
  /** The environment converged (a `success` deployment; every state-file write). */
  converged: boolean;
  /** What the record gave the flag; `unverified` when the recorded commit is not in this clone. */
  state: { kind: 'state'; state: MaybeState } | { kind: 'unverified' };
  change?: ChangeCommit;
}

/** `observations` in any order; entries oldest first. */
export function buildFlagHistory(observations: readonly Observation[]): HistoryEntry[] {
  const ordered = [...observations].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.record.id ?? 0) - (b.record.id ?? 0));
  const entries: HistoryEntry[] = [];
  // what the environment held before the record looked at: unknown before the first one and after an unverified one
  let before: { known: true; state: MaybeState; converged: boolean } | { known: false; first: boolean } = { known: false, first: true };
  for (const o of ordered) {
    if (o.state.kind === 'unverified') {
      entries.push({ appliedAt: o.at, verified: false, record: o.record });
      before = { known: false, first: false };
      continue;
    }
    const state = normalizeState(o.state.state);
    if (before.known) {
      const same = statesEqual(before.state, state);
      // the same state again is news only when the earlier apply of it did not finish and this one did
      if (same && (before.converged || !o.converged)) continue;
    } else if (before.first && state === undefined) {
      // the first record gives the flag no state: nothing was applied to it
      before = { known: true, state, converged: o.converged };
      continue;
    }
    entries.push({
      appliedAt: o.at,
      verified: true,
      state: asJson(state),
      ...(before.known ? { previous: asJson(before.state) } : {}),
      record: o.record,
      ...(o.change ? { change: o.change } : {}),
    });
    before = { known: true, state, converged: o.converged };
  }
  return entries;
}

function asJson(state: MaybeState): FlagState | null {
  return state === undefined ? null : state;
}
