/**
 * Pure: the dashboard model → the compact data the page embeds once (as JSON) and its script draws from. The page
 * must stay light at 1,000 flags × 5 environments, so repeated strings go to one table and states become numbers:
 *
 *   { v, at, t0 (ms), t1 (minutes from t0 to now), c (commit), s (strings),
 *     e: [[name, backend, records, liveSource, liveReadAt]],
 *     f: [[name, file, group, type, bits, cells, timeline]],
 *     h: [[flag, code, severity, message, hint, env]] }
 *
 * - strings (but flag names) are indexes into `s`; -1 for none. A flag's `file` is the index of its folder when it
 *   is `<folder><name>.yml`, else the path itself.
 * - bits: 1 managed, 2 default_enabled.
 * - a state view is `label * 8 + band` (band: index in BANDS).
 * - a cell is `desired * 64 + marks` (marks: 1 pending, 2 drift, 4 licensed, 8 forced, 16 applied known, 32 live
 *   known), or `[that, applied, live…]` when what was applied or is live reads differently from the file.
 * - a timeline is 0 (nothing) or per environment 0 or `[[minute, view, …] applied, [minute, view, sha, …] file]`,
 *   minutes from t0.
 */
import { BANDS, type DashboardModel, type StateView } from '../model.js';

export interface PackedPage {
  v: number;
  at: string;
  t0: number;
  t1: number;
  c: string;
  s: string[];
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
  const view = (v: Pick<StateView, 'label' | 'band'>): number => str(v.label) * 8 + BANDS.indexOf(v.band);
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
    const timelines = model.environments.map((env) => {
      const tl = flag.timeline[env.name];
      if (!tl || (tl.applied.length === 0 && tl.file.length === 0)) return 0;
      return [tl.applied.flatMap((p) => [minute(p.at), view(p)]), tl.file.flatMap((p) => [minute(p.at), view(p), str(p.sha?.slice(0, 8))])];
    });
    return [
      flag.name,
      file,
      str(flag.group),
      str(flag.type),
      (flag.managed ? 1 : 0) | (flag.defaultEnabled ? 2 : 0),
      cells,
      timelines.every((t) => t === 0) ? 0 : timelines,
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
    e: model.environments.map((e) => [e.name, e.backend, e.records, e.live?.source ?? '', e.live?.readAt ?? '']),
    f: flags,
    h: findings,
  };
}
