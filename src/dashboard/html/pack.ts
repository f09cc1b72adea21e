/**
 * Pure: the dashboard model → the compact data the page embeds once (as JSON) and its script draws from. The page
 * must stay light at 1,000 flags × 5 environments with every flag rolled out in the window, so repeated strings go
 * to one table, states to a table of views, and each flag's cells and timeline to one string of packed integers
 * (codec.ts):
 *
 *   { v, at, t0 (ms), t1 (minutes from t0 to now), c (commit), s (strings), l (view labels), b (view bands),
 *     e: [[name, backend, records, liveSource, liveReadAt]],
 *     f: [[name, file, packed]],
 *     h: [packed] }
 *
 * - a view is an index into l/b: the label (`on`, `25%`, `unset`, …) and the band (index in BANDS).
 * - a flag's `file` is the index in s of its folder when it is `<folder><name>.yml`, else the path itself.
 * - a flag's packed string: group+1, type+1 (indexes in s, 0 for none), bits (1 managed, 2 default_enabled); per
 *   environment its cell: desired view, marks (1 applied known, 2 live known, 4 pending, 8 drift, 16 licensed,
 *   32 forced, 64 explicit, 128 shown as not managed: an unmanaged flag that nothing holds live) and, when explicit
 *   (what was applied or is live reads differently from the file, or not exactly one instance is live), applied
 *   view+1 (0: none), the number of live views, and those views; then its timeline as moments till the end, each:
 *   minutes since the previous moment (the first since t0), kind (0 applied records; a commit of the flag file:
 *   1 with its 8-digit sha, 2 without a sha, 3 with another sha, then its index in s), the set of environments it
 *   holds, and per environment in that set its view. Applies at the same minute in several environments share one
 *   moment; a commit lists the environments whose state it changed.
 * - a finding's packed string: flag+1 (index in f, 0 for none), code, severity, hint+1, env+1 (indexes in s), then
 *   the message's words split on spaces: 0 for the flag's name, else index in s + 1.
 */
import { BANDS, type DashboardModel, type StateView } from '../model.js';
import { intWriter, isSha8, type IntWriter } from './codec.js';

export interface PackedPage {
  v: number;
  at: string;
  t0: number;
  t1: number;
  c: string;
  s: string[];
  l: string[];
  b: number[];
  e: string[][];
  f: [string, number | string, string][];
  h: string[];
}

interface Moment {
  at: number;
  kind: 0 | 1 | 2 | 3;
  sha?: string;
  views: Map<number, number>;
}

function table<T>(key: (t: T) => string, onNew: (t: T) => void): (t: T) => number {
  const index = new Map<string, number>();
  return (t) => {
    const k = key(t);
    let i = index.get(k);
    if (i === undefined) {
      i = index.size;
      index.set(k, i);
      onNew(t);
    }
    return i;
  };
}

export function packModel(model: DashboardModel): PackedPage {
  const strings: string[] = [];
  const str = table<string>((s) => s, (s) => strings.push(s));
  const opt = (s: string | undefined): number => (s === undefined ? 0 : str(s) + 1);
  const labels: string[] = [];
  const bands: number[] = [];
  const view = table<Pick<StateView, 'label' | 'band'>>(
    (v) => `${v.band} ${v.label}`,
    (v) => {
      labels.push(v.label);
      bands.push(BANDS.indexOf(v.band));
    },
  );
  const t0 = Date.parse(model.since);
  const minute = (iso: string): number => Math.max(0, Math.round((Date.parse(iso) - t0) / 60_000));
  const envCount = model.environments.length;
  const flagIndex = new Map(model.flags.map((f, i) => [f.name, i]));

  const flags = model.flags.map((flag): [string, number | string, string] => {
    const file = flag.file.endsWith(`/${flag.name}.yml`) ? str(flag.file.slice(0, -`${flag.name}.yml`.length)) : flag.file;
    const w = intWriter().int(opt(flag.group)).int(opt(flag.type)).int((flag.managed ? 1 : 0) | (flag.defaultEnabled ? 2 : 0));
    for (const env of model.environments) {
      const cell = flag.cells[env.name]!;
      const desired = view(cell.desired);
      const applied = cell.applied ? view(cell.applied) : undefined;
      const live = (cell.live ?? []).map(view);
      const explicit = (applied !== undefined && applied !== desired) || (cell.live !== undefined && (live.length !== 1 || live[0] !== desired));
      const marks =
        (cell.applied ? 1 : 0) | (cell.live ? 2 : 0) | (cell.pending ? 4 : 0) | (cell.drift ? 8 : 0) | (cell.licensed ? 16 : 0) | (cell.licensed?.forced ? 32 : 0) | (explicit ? 64 : 0) | (cell.current === 'none' && (cell.live?.[0] ?? cell.applied ?? cell.desired).band !== 'none' ? 128 : 0);
      w.int(desired).int(marks);
      if (explicit) {
        w.int(applied === undefined ? 0 : applied + 1).int(live.length);
        live.forEach((l) => w.int(l));
      }
    }
    writeMoments(w, moments(flag, model, { minute, view }), envCount, str);
    return [flag.name, file, w.text()];
  });

  const findings = model.findings.map((f) => {
    const w = intWriter()
      .int(f.flag !== undefined && flagIndex.has(f.flag) ? flagIndex.get(f.flag)! + 1 : 0)
      .int(str(f.code))
      .int(str(f.severity))
      .int(opt(f.hint))
      .int(opt(f.env));
    for (const word of f.message.split(' ')) w.int(f.flag !== undefined && flagIndex.has(f.flag) && word === f.flag ? 0 : str(word) + 1);
    return w.text();
  });
  return {
    v: model.dashboardVersion,
    at: model.generatedAt,
    t0,
    t1: minute(model.generatedAt),
    c: model.commit ?? '',
    s: strings,
    l: labels,
    b: bands,
    e: model.environments.map((e) => [e.name, e.backend, e.records, e.live?.source ?? '', e.live?.readAt ?? '']),
    f: flags,
    h: findings,
  };
}

/** A flag's commits and applies as moments, oldest first; each environment's points keep their order. */
function moments(
  flag: DashboardModel['flags'][number],
  model: DashboardModel,
  to: { minute: (iso: string) => number; view: (v: Pick<StateView, 'label' | 'band'>) => number },
): Moment[] {
  const commits: Moment[] = [];
  const byKey = new Map<string, Moment>();
  const applies: Moment[] = [];
  model.environments.forEach((env, k) => {
    const tl = flag.timeline[env.name];
    for (const p of tl?.file ?? []) {
      const key = `${p.at} ${p.sha ?? ''}`;
      let c = byKey.get(key);
      if (!c || c.views.has(k)) {
        const sha = p.sha?.slice(0, 8);
        c = { at: to.minute(p.at), kind: sha === undefined ? 2 : isSha8(sha) ? 1 : 3, ...(sha !== undefined ? { sha } : {}), views: new Map() };
        byKey.set(key, c);
        commits.push(c);
      }
      c.views.set(k, to.view(p));
    }
    let last: Moment | undefined;
    for (const p of tl?.applied ?? []) {
      const at = to.minute(p.at);
      // the same minute in the lane before this one: share its moment; else a new one
      const same = applies.find((m) => m.at === at && !m.views.has(k) && (last === undefined || applies.indexOf(m) > applies.indexOf(last)));
      const m = same ?? { at, kind: 0 as const, views: new Map<number, number>() };
      if (!same) applies.push(m);
      m.views.set(k, to.view(p));
      last = m;
    }
  });
  // stable: an environment's applies stay in order (equal minutes keep insertion order)
  return commits.concat(applies).sort((a, b) => a.at - b.at);
}

function writeMoments(w: IntWriter, list: readonly Moment[], envCount: number, str: (s: string) => number): void {
  let last = 0;
  for (const m of list) {
    w.int(m.at - last).int(m.kind);
    if (m.kind === 1) w.sha(m.sha!);
    if (m.kind === 3) w.int(str(m.sha!));
    const set = Array.from({ length: envCount }, (_, k) => m.views.has(k));
    w.set(set);
    set.forEach((has, k) => has && w.int(m.views.get(k)!));
    last = m.at;
  }
}
