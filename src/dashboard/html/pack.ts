/**
 * Pure: the dashboard model → the compact data the page embeds once (as JSON) and its script draws from. The page
 * must stay light at 1,000 flags × 5 environments, so repeated strings go to one table and states become numbers:
 *
 *   { v, at, t0 (ms), t1 (minutes from t0 to now), c (commit), s (strings), l (state labels),
 *     e: [[name, backend, records, liveSource, liveReadAt]],
 *     f: [[name, file, group, type, bits, cells, timeline]],
 *     h: [[flag, code, severity, message, hint, env]] }
 *
 * - strings (but flag names) are indexes into `s`; -1 for none. A flag's `file` is the index of its folder when it
 *   is `<folder><name>.yml`, else the path itself.
 * - bits: 1 managed, 2 default_enabled.
 * - a state view is `label * 8 + band` (label: index in `l`; band: index in BANDS).
 * - a cell is `desired * 64 + marks` (marks: 1 pending, 2 drift, 4 licensed, 8 forced, 16 applied known, 32 live
 *   known), or `[that, applied, live…]` when what was applied or is live reads differently from the file.
 * - a timeline is 0 (nothing) or `[file, applied per environment…]`: `file` lists the flag file's commits as
 *   `minutes, sha, n, (environment, view) × n`, each environment's applied records are `minutes, view, …` (or 0);
 *   minutes count from the previous entry of the same list, the first from t0.
 */
import { BANDS, type DashboardModel, type StateView } from '../model.js';

export interface PackedPage {
  v: number;
  at: string;
  t0: number;
  t1: number;
  c: string;
  s: string[];
  l: string[];
  e: string[][];
  f: unknown[][];
  h: number[][];
}

export function packModel(model: DashboardModel): PackedPage {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const str = (s: string | undefined): number => {
    if (s === undefined) return -1;
    let i = index.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      index.set(s, i);
    }
    return i;
  };
  const t0 = Date.parse(model.since);
  const minute = (iso: string): number => Math.max(0, Math.round((Date.parse(iso) - t0) / 60_000));
  // labels in their own short table, so a state is a small number
  const labels: string[] = [];
  const labelIndex = new Map<string, number>();
  const view = (v: Pick<StateView, 'label' | 'band'>): number => {
    let i = labelIndex.get(v.label);
    if (i === undefined) {
      i = labels.push(v.label) - 1;
      labelIndex.set(v.label, i);
    }
    return i * 8 + BANDS.indexOf(v.band);
  };
  const flagIndex = new Map(model.flags.map((f, i) => [f.name, i]));
  const flags = model.flags.map((flag) => {
    const file = flag.file.endsWith(`/${flag.name}.yml`) ? str(flag.file.slice(0, -`${flag.name}.yml`.length)) : flag.file;
    const cells = model.environments.map((env) => {
      const cell = flag.cells[env.name]!;
      const marks =
        (cell.pending ? 1 : 0) | (cell.drift ? 2 : 0) | (cell.licensed ? 4 : 0) | (cell.licensed?.forced ? 8 : 0) | (cell.applied ? 16 : 0) | (cell.live ? 32 : 0);
      const desired = view(cell.desired);
      const n = desired * 64 + marks;
      const applied = cell.applied ? view(cell.applied) : -1;
      const live = (cell.live ?? []).map(view);
      const same = (applied === -1 || applied === desired) && live.every((l) => l === desired);
      return same ? n : [n, applied, ...(live.length > 0 ? live : [-1])];
    });
    // the file's commits once per flag (a commit changes several environments), times as deltas
    const commits = new Map<string, { at: number; sha?: string; changes: number[] }>();
    model.environments.forEach((env, k) => {
      for (const p of flag.timeline[env.name]?.file ?? []) {
        const key = `${p.at} ${p.sha ?? ''}`;
        const c = commits.get(key) ?? { at: minute(p.at), ...(p.sha ? { sha: p.sha } : {}), changes: [] };
        c.changes.push(k, view(p));
        commits.set(key, c);
      }
    });
    let last = 0;
    const fileCommits = [...commits.values()].sort((a, b) => a.at - b.at).flatMap((c) => {
      const row = [c.at - last, str(c.sha?.slice(0, 8)), c.changes.length / 2, ...c.changes];
      last = c.at;
      return row;
    });
    const applied = model.environments.map((env) => {
      let prev = 0;
      const points = (flag.timeline[env.name]?.applied ?? []).flatMap((p) => {
        const m = minute(p.at);
        const row = [m - prev, view(p)];
        prev = m;
        return row;
      });
      return points.length > 0 ? points : 0;
    });
    const timelines = fileCommits.length === 0 && applied.every((a) => a === 0) ? 0 : [fileCommits, ...applied];
    return [
      flag.name,
      file,
      str(flag.group),
      str(flag.type),
      (flag.managed ? 1 : 0) | (flag.defaultEnabled ? 2 : 0),
      cells,
      timelines,
    ];
  });
  const findings = model.findings.map((f) => [
    f.flag !== undefined ? (flagIndex.get(f.flag) ?? -1) : -1,
    str(f.code),
    str(f.severity),
    str(f.message),
    str(f.hint),
    str(f.env),
  ]);
  return {
    v: model.dashboardVersion,
    at: model.generatedAt,
    t0,
    t1: minute(model.generatedAt),
    c: model.commit ?? '',
    s: strings,
    l: labels,
    e: model.environments.map((e) => [e.name, e.backend, e.records, e.live?.source ?? '', e.live?.readAt ?? '']),
    f: flags,
    h: findings,
  };
}
