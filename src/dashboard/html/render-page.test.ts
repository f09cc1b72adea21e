import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EnvironmentConfig } from '../../config/types.js';
import type { AppliedVersion } from '../../gates/types.js';
import type { Finding } from '../../model/finding.js';
import type { FlagState, MaybeState } from '../../model/state.js';
import { buildModel, type FileRevision, type FlagInput } from '../build-model.js';
import type { DashboardModel, StateView } from '../model.js';
import { packModel } from './pack.js';
import { pageCsp, renderPage } from './render-page.js';
import { UNPACK_JS } from './unpack-script.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const DAY = 86_400_000;
const ENVS = ['dev', 'pre', 'staging', 'staging-ref', 'production'];
const envConfig = (name: string, i: number): EnvironmentConfig =>
  ({ name, index: i, backend: { type: 'file', path: `/x/${name}.json` }, instances: [{ name, backend: { type: 'file', path: `/x/${name}.json` } }], ring: false, after: null, drift: 'fail' }) as EnvironmentConfig;

/**
 * 1,000 flags × 5 environments with 90 days of history, shaped like a real flag repository: GitLab-length names,
 * 40 groups, a fifth with a hygiene finding. `active` of the flags were rolled out during the window (dev and pre
 * on, staging then production stepping through percentages: 1 to 5 commits, each applied to every environment);
 * the others last changed before it.
 */
function bigModel(active = 0.3) {
  const steps: MaybeState[] = [false, { percentage_of_actors: 10 }, { percentage_of_actors: 25 }, { percentage_of_actors: 50 }, true];
  const flags: FlagInput[] = [];
  const findings: Finding[] = [];
  for (let i = 0; i < 1000; i++) {
    const name = `feature_${['ai', 'ci', 'mr', 'search', 'registry'][i % 5]}_${(i * 7919).toString(36)}_rollout_of_component_${i}`;
    const reached = i % steps.length;
    const inWindow = (i % 100) / 100 < active;
    const records: Record<string, AppliedVersion[]> = {};
    const history: FileRevision[] = [];
    for (let s = 0; s <= reached; s++) {
      const at = new Date(NOW.getTime() - (inWindow ? 80 - s * 15 : 400 - s * 30) * DAY - (i % 97) * 60_000);
      history.unshift({ sha: createHash('sha1').update(`${i}:${s}`).digest('hex'), at, defaultEnabled: false, environments: { dev: true, pre: true, staging: steps[Math.min(s + 1, 4)], 'staging-ref': steps[Math.min(s + 1, 4)], production: steps[s] } });
    }
    for (const env of ENVS) {
      records[env] = history.map((h) => ({ at: new Date(h.at.getTime() + 3_600_000), converged: true, sha: h.sha, state: { kind: 'state', state: h.environments![env], defaultEnabled: false } }));
    }
    const environments = history[0]!.environments!;
    flags.push({ name, file: `flags/${name}.yml`, group: `group::team ${i % 40}`, type: ['beta', 'wip', 'gitlab_com_derisk', 'ops', 'experiment'][i % 5]!, defaultEnabled: false, environments, records, history });
    if (i % 5 === 0) {
      findings.push({ code: 'hygiene/lifespan', severity: 'warning', file: `flags/${name}.yml`, flag: name, message: `${name} is a beta flag, whose lifespan is 6 months; counted from milestone 17.${i % 12} (2024-0${1 + (i % 9)}-16 00:00 UTC) it ended 2024-11-16 00:00 UTC`, hint: 'Finish the rollout and remove the flag, or change its type if it is meant to stay (ops).' });
    }
  }
  return buildModel({ now: NOW, since: new Date(NOW.getTime() - 90 * DAY), envs: ENVS.map((e, i) => ({ config: envConfig(e, i), records: 'file' })), flags, findings, isLicensed: () => false });
}

/** A few flags with what the big model lacks: live states on two instances, drift, licensed names, an unmanaged flag. */
function edgeModel() {
  const gf = (name: string, force: string[]): EnvironmentConfig =>
    ({
      name,
      index: 1,
      backend: { type: 'gitlab-features', url: 'https://gitlab.example.com', token_env: 'T', force },
      instances: [
        { name: `${name}-a`, backend: { type: 'gitlab-features', url: 'https://a.example.com', token_env: 'T', force } },
        { name: `${name}-b`, backend: { type: 'gitlab-features', url: 'https://b.example.com', token_env: 'T', force } },
      ],
      ring: false,
      after: null,
      drift: 'fail',
    }) as EnvironmentConfig;
  const at = (days: number) => new Date(NOW.getTime() - days * DAY);
  const rec = (days: number, state: MaybeState, sha?: string): AppliedVersion => ({ at: at(days), converged: true, ...(sha ? { sha } : {}), state: { kind: 'state', state, defaultEnabled: false } });
  const flags: FlagInput[] = [
    {
      name: 'drifting_flag',
      file: 'flags/drifting_flag.yml',
      group: 'group::ünïcode "quoted"',
      type: 'wip',
      defaultEnabled: false,
      environments: { dev: { percentage_of_actors: 25 }, saas: true },
      records: { dev: [rec(1, { percentage_of_actors: 25 }), rec(1, { percentage_of_actors: 10 }), rec(200, false)], saas: [rec(2, { actors: { users: ['a', 'b'] } }, 'cafebabe')] },
      history: [
        { sha: 'not-a-hex-sha', at: at(3), defaultEnabled: false, environments: { dev: { percentage_of_actors: 25 }, saas: true } },
        { sha: '0123456789abcdef', at: at(5), defaultEnabled: false, environments: { dev: { percentage_of_actors: 10 }, saas: false } },
      ],
    },
    { name: 'license_name', file: 'elsewhere/license_name.yaml', defaultEnabled: true, environments: {}, records: { dev: [], saas: [] }, history: [] },
    { name: 'only_defined', file: 'flags/only_defined.yml', defaultEnabled: false, records: {}, history: [] },
  ];
  const live = (on: Record<string, MaybeState>, other: Record<string, MaybeState>) => ({
    source: 'snapshot' as const,
    readAt: at(0.5),
    instances: [
      { instance: 'saas-a', flags: new Map(Object.entries(on).filter(([, v]) => v !== undefined)) as ReadonlyMap<string, FlagState> },
      { instance: 'saas-b', flags: new Map(Object.entries(other).filter(([, v]) => v !== undefined)) as ReadonlyMap<string, FlagState> },
    ],
  });
  const findings: Finding[] = [
    { code: 'hygiene/off', severity: 'warning', flag: 'drifting_flag', file: 'flags/drifting_flag.yml', message: 'drifting_flag  has two spaces, and drifting_flag twice', hint: 'Remove it.' },
    { code: 'hygiene/no-rollout-issue', severity: 'warning', flag: 'gone_flag', message: 'gone_flag is not in the files' },
    { code: 'hygiene/no-git', severity: 'info', env: 'saas', message: 'git: none' },
  ];
  return buildModel({
    now: NOW,
    since: at(90),
    envs: [
      { config: envConfig('dev', 0), records: 'file' },
      { config: gf('saas', ['license_name']), records: 'deployments', live: live({ drifting_flag: true, license_name: false }, { drifting_flag: { percentage_of_actors: 50 } }) },
    ],
    flags,
    findings,
    isLicensed: (n) => n.startsWith('license') || n === 'drifting_flag',
  });
}

type View = { label: string; band: string };
interface Unpacked {
  flags: { name: string; file: string; group: string; type: string; managed: boolean; defaultEnabled: boolean; reasons: string[]; cells: Record<string, unknown>[]; per: { a: [number, number][]; c: [number, number, string][] }[] }[];
  H: { fl: number; code: string; sev: string; hint: string; env: string; msg: string }[];
  view: (v: number) => View;
}
const unpack = new Function(`${UNPACK_JS}\nreturn unpack;`)() as (d: unknown) => Unpacked;
const dataOf = (html: string): unknown => JSON.parse(/<script type="application\/json" id="flagops-data">([\s\S]*?)<\/script>/.exec(html)![1]!);

/** What the page must show, straight from the model: the page script's reading of the packed data must equal it. */
function expected(model: DashboardModel) {
  const t0 = Date.parse(model.since);
  const minute = (iso: string) => Math.max(0, Math.round((Date.parse(iso) - t0) / 60_000));
  const v = (s: StateView) => ({ label: s.label, band: s.band });
  return {
    flags: model.flags.map((f) => ({
      name: f.name,
      file: f.file,
      group: f.group ?? '',
      type: f.type ?? '',
      managed: f.managed,
      defaultEnabled: f.defaultEnabled,
      reasons: f.findings,
      cells: model.environments.map(({ name }) => {
        const c = f.cells[name]!;
        const current = c.live?.[0] ?? c.applied ?? c.desired;
        return { desired: v(c.desired), applied: c.applied ? v(c.applied) : null, live: (c.live ?? []).map(v), current: { label: current.label, band: c.current }, pending: c.pending, drift: c.drift, licensed: Boolean(c.licensed), forced: Boolean(c.licensed?.forced) };
      }),
      per: model.environments.map(({ name }) => ({
        a: f.timeline[name]!.applied.map((p) => [minute(p.at), p.label, p.band]),
        c: f.timeline[name]!.file.map((p) => [minute(p.at), p.label, p.band, p.sha?.slice(0, 8) ?? '']),
      })),
    })),
    findings: model.findings.map((f) => ({ fl: model.flags.findIndex((x) => x.name === f.flag), code: f.code, sev: f.severity, hint: f.hint ?? '', env: f.env ?? '', msg: f.message })),
  };
}
function read(html: string) {
  const u = unpack(dataOf(html));
  return {
    flags: u.flags.map(({ name, file, group, type, managed, defaultEnabled, reasons, cells, per }) => ({
      name, file, group, type, managed, defaultEnabled, reasons: [...reasons].sort(), cells,
      per: per.map((p) => ({ a: p.a.map(([m, x]) => [m, u.view(x).label, u.view(x).band]), c: p.c.map(([m, x, sha]) => [m, u.view(x).label, u.view(x).band, sha]) })),
    })),
    findings: u.H,
  };
}

describe('the dashboard page', () => {
  it('stays under 300,000 bytes at 1,000 flags × 5 environments with 90 days of history, even if every flag rolled out in it', () => {
    const model = bigModel();
    const html = renderPage(model);
    const bytes = Buffer.byteLength(html);
    const json = Buffer.byteLength(JSON.stringify(model));
    const busyModel = bigModel(1);
    const busy = Buffer.byteLength(renderPage(busyModel));
    process.stdout.write(
      `dashboard page, 1,000 flags × 5 environments, 90 days: ${bytes} bytes (${(bytes / 1024).toFixed(1)} KiB) with 30% of the flags rolled out in the window ` +
        `(the model as --format json: ${(json / 1024).toFixed(0)} KiB); every flag rolled out in the window: ${busy} bytes (${(busy / 1024).toFixed(1)} KiB)\n`,
    );
    expect(bytes).toBeLessThanOrEqual(300_000);
    expect(busy).toBeLessThanOrEqual(300_000);
    // every flag and every cell is in it; each flag's production lane: its applies in the window, or the one state
    // it held through it
    const packed = packModel(model);
    expect(packed.f).toHaveLength(1000);
    expect(model.flags.reduce((n, f) => n + f.timeline.production!.applied.length, 0)).toBe(300 * 3 + 700);
    expect(busyModel.flags.reduce((n, f) => n + f.timeline.production!.applied.length, 0)).toBe(3000);
    expect(busyModel.flags.reduce((n, f) => n + f.timeline.production!.file.length, 0)).toBe(3000);
    expect(busyModel.findings).toHaveLength(200);
  });

  it("the page's script reads back every cell, timeline point and finding of the model it was packed from", () => {
    for (const model of [bigModel(), bigModel(1), edgeModel()]) {
      expect(read(renderPage(model))).toEqual(expected(model));
    }
  });

  it('covers live instances, drift, licensed names and unmanaged flags in that check', () => {
    const model = edgeModel();
    const saas = model.flags[0]!.cells.saas!;
    expect(saas.live!.map((l) => l.label)).toEqual(['on', '50%']);
    expect([saas.drift, saas.licensed?.forced]).toEqual([true, false]);
    expect(model.flags[1]!.cells.saas!.licensed).toEqual({ forced: true });
    expect(model.flags[2]!.cells.saas!.current).toBe('none');
    expect(model.flags[0]!.timeline.dev!.file.map((p) => p.sha)).toEqual(['0123456789abcdef', 'not-a-hex-sha']);
    const got = read(renderPage(model));
    expect(got.findings.map((f) => f.msg)).toEqual(['drifting_flag  has two spaces, and drifting_flag twice', 'gone_flag is not in the files', 'git: none']);
    expect(got.flags[2]!.cells[1]).toMatchObject({ current: { band: 'none' } });
  });

  it('allows exactly its inline stylesheet and script, by hash, and loads nothing', () => {
    const html = renderPage(bigModel());
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const scripts = [...html.matchAll(/<script( type="application\/json" id="flagops-data")?>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(2);
    const code = scripts.find((m) => !m[1])![2]!;
    const hash = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!;
    expect(csp).toBe(pageCsp());
    expect(csp).toBe(`default-src 'none'; style-src ${hash(style)}; script-src ${hash(code)}; img-src data:; base-uri 'none'; form-action 'none'`);
    expect(csp).not.toContain('unsafe');
    expect(html).not.toMatch(/\b(src|href)="(?!data:)/);
    expect(html).not.toMatch(/ style="| on[a-z]+="/);
  });

  it('embeds text from the files so that it cannot end its data block', () => {
    const model = bigModel();
    model.flags[0]!.group = '</script><script>alert(1)</script>';
    model.findings.push({ code: 'hygiene/off', severity: 'warning', flag: model.flags[0]!.name, message: 'a <!-- b \u2028 c' });
    const html = renderPage(model);
    const data = /<script type="application\/json" id="flagops-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(data).not.toContain('<');
    const packed = JSON.parse(data) as { s: string[] };
    expect(packed.s).toContain('</script><script>alert(1)</script>');
    expect(packed.s).toContain('<!--');
    expect(unpack(packed).H.at(-1)!.msg).toBe('a <!-- b \u2028 c');
    expect(unpack(packed).flags[0]!.group).toBe('</script><script>alert(1)</script>');
  });
});
