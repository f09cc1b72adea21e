/**
 * One timeline for a ring from its instances' records: the ring holds a state once every instance holds it (the
 * moment the last instance converged, as soak counts it). Between, it is shown as not converged, with the state the
 * most recent instance applied. A plain environment is its one instance's records as they are.
 */
import type { AppliedVersion, InstanceHistory } from '../gates/types.js';

export function ringVersions(histories: readonly InstanceHistory[]): AppliedVersion[] {
  if (histories.length === 1) return [...histories[0]!.versions];
  const times = [...new Set(histories.flatMap((h) => h.versions.map((v) => v.at.getTime())))].sort((a, b) => a - b);
  const out: AppliedVersion[] = [];
  for (const t of times) {
    const held = histories.map((h) => h.versions.find((v) => v.converged && v.at.getTime() <= t));
    const latest = histories
      .flatMap((h) => h.versions.filter((v) => v.at.getTime() === t))
      .sort((a, b) => Number(b.converged) - Number(a.converged))[0]!;
    const first = held[0];
    const all = first !== undefined && held.every((v) => v !== undefined && sameState(v, first));
    const version: AppliedVersion = all
      ? { at: new Date(t), converged: true, state: first.state, ...(first.sha ? { sha: first.sha } : {}) }
      : { at: new Date(t), converged: false, state: latest.state, ...(latest.sha ? { sha: latest.sha } : {}) };
    const previous = out[out.length - 1];
    if (previous && previous.converged === version.converged && sameState(previous, version)) continue;
    out.push(version);
  }
  return out.reverse();
}

function sameState(a: AppliedVersion, b: AppliedVersion): boolean {
  return JSON.stringify(a.state) === JSON.stringify(b.state);
}
