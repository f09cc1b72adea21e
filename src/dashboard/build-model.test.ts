import { describe, expect, it } from 'vitest';
import type { BackendConfig, EnvironmentConfig } from '../config/types.js';
import type { AppliedVersion } from '../gates/types.js';
import type { MaybeState } from '../model/state.js';
import { buildModel, type EnvInput, type FlagInput } from './build-model.js';
import { bandOf, labelOf } from './model.js';

const T = (day: number): Date => new Date(Date.UTC(2026, 0, 1 + day, 12));
const env = (name: string, backend: BackendConfig = { type: 'file', path: `/s/${name}.json` }, instances?: { name: string; backend: BackendConfig }[]): EnvironmentConfig =>
  ({ name, index: 0, backend, instances: instances ?? [{ name, backend }], ring: Boolean(instances), after: null, drift: 'fail' }) as EnvironmentConfig;
const rec = (day: number, state: MaybeState, converged = true): AppliedVersion => ({ at: T(day), converged, state: { kind: 'state', state, defaultEnabled: false } });
const flag = (over: Partial<FlagInput>): FlagInput => ({ name: 'f', file: 'flags/f.yml', defaultEnabled: false, environments: {}, records: {}, history: [], ...over });
const live = (entries: Record<string, MaybeState>, instance = 'x'): EnvInput['live'] => ({
  source: 'snapshot',
  readAt: T(9),
  instances: [{ instance, flags: new Map(Object.entries(entries).filter(([, s]) => s !== undefined) as [string, boolean][]) }],
});
const build = (flags: FlagInput[], envs: EnvInput[], since = T(0)) => buildModel({ now: T(10), since, envs, flags, findings: [], isLicensed: (n) => n === 'zentao_issues_integration' });

describe('exposure bands and labels', () => {
  it('orders off < actors < ≤10% < ≤50% < <100% < on, and says what a cell shows', () => {
    const cases: [MaybeState, string, string][] = [
      [undefined, 'off', 'unset'],
      [false, 'off', 'off'],
      [{ actors: { users: ['a', 'b'] }, feature_groups: ['g'] }, 'actors', '3 actors'],
      [{ percentage_of_actors: 10 }, 'low', '10%'],
      [{ percentage_of_time: 10.5 }, 'mid', '10.5%'],
      [{ percentage_of_actors: 50, actors: { users: ['a'] } }, 'mid', '50%'],
      [{ percentage_of_actors: 75 }, 'high', '75%'],
      [true, 'on', 'on'],
    ];
    for (const [state, band, label] of cases) expect([bandOf(state, false), labelOf(state, false)], JSON.stringify(state)).toEqual([band, label]);
    expect([bandOf(undefined, true), labelOf(undefined, true)]).toEqual(['on', 'default on']);
  });
});

describe('dashboard cells', () => {
  it('pending: the file differs from the last converged apply; an unfinished apply does not count', () => {
    const m = build(
      [
        flag({ name: 'a', environments: { dev: { percentage_of_actors: 50 } }, records: { dev: [rec(5, { percentage_of_actors: 50 }, false), rec(3, { percentage_of_actors: 25 })] } }),
        flag({ name: 'b', environments: { dev: true }, records: { dev: [rec(3, true)] } }),
      ],
      [{ config: env('dev'), records: 'file' }],
    );
    const a = m.flags[0]!.cells.dev!;
    expect(a).toMatchObject({ pending: true, drift: false, current: 'mid', desired: { label: '50%' }, applied: { label: '25%', at: T(3).toISOString() } });
    expect(m.flags[1]!.cells.dev).toMatchObject({ pending: false, current: 'on' });
  });

  it('drift: live differs from the last apply; current is what is live; without a record, pending is file vs live', () => {
    const m = build(
      [flag({ name: 'a', environments: { dev: true, prod: true }, records: { dev: [rec(3, true)] } })],
      [
        { config: env('dev'), records: 'file', live: live({ a: false }) },
        { config: env('prod', { type: 'gitlab-features', url: 'https://g.example', token_env: 'T' }), records: 'none', live: live({}) },
      ],
    );
    expect(m.flags[0]!.cells.dev).toMatchObject({ drift: true, pending: false, current: 'off', live: [{ label: 'off', source: 'snapshot', instance: 'x' }] });
    expect(m.flags[0]!.cells.prod).toMatchObject({ drift: false, pending: true, current: 'off' });
    expect(m.flags[0]!.cells.prod!.applied).toBeUndefined();
  });

  it('no record and no live state: nothing is claimed', () => {
    const m = build([flag({ environments: { prod: true } })], [{ config: env('prod', { type: 'gitlab-features', url: 'https://g.example', token_env: 'T' }), records: 'none' }]);
    expect(m.flags[0]!.cells.prod).toMatchObject({ pending: false, drift: false, current: 'on' });
  });

  it('a record of an unreadable commit leaves what was applied unknown', () => {
    const unreadable: AppliedVersion = { at: T(4), converged: true, sha: 'a'.repeat(40), state: { kind: 'unreadable', sha: 'a'.repeat(40) } };
    const m = build([flag({ environments: { dev: true }, records: { dev: [unreadable, rec(2, false)] } })], [{ config: env('dev'), records: 'deployments' }]);
    expect(m.flags[0]!.cells.dev!.applied).toBeUndefined();
    expect(m.flags[0]!.cells.dev!.pending).toBe(false);
  });

  it('licensed names: only on gitlab-features instances, forced when every such instance lists it in force', () => {
    const features = (force: string[]): BackendConfig => ({ type: 'gitlab-features', url: 'https://g.example', token_env: 'T', force });
    const m = build(
      [flag({ name: 'zentao_issues_integration', environments: {} }), flag({ name: 'plain', environments: {} })],
      [
        { config: env('dev'), records: 'file' },
        { config: env('stg', features(['zentao_issues_integration'])), records: 'none' },
        { config: env('ring', features([]), [{ name: 'a', backend: features(['zentao_issues_integration']) }, { name: 'b', backend: features([]) }]), records: 'none' },
      ],
    );
    const z = m.flags.find((f) => f.name === 'zentao_issues_integration')!;
    expect(z.cells.dev!.licensed).toBeUndefined();
    expect(z.cells.stg!.licensed).toEqual({ forced: true });
    expect(z.cells.ring!.licensed).toEqual({ forced: false });
    expect(m.flags.find((f) => f.name === 'plain')!.cells.stg!.licensed).toBeUndefined();
  });

  it('a definition-only flag is never pending; its cell shows only what is live', () => {
    const m = build(
      [flag({ name: 'd', environments: undefined }), flag({ name: 'e', environments: undefined })],
      [{ config: env('dev'), records: 'file', live: live({ d: true }) }],
    );
    expect(m.flags[0]).toMatchObject({ managed: false, cells: { dev: { current: 'on', pending: false, desired: { band: 'none' } } } });
    expect(m.flags[1]!.cells.dev).toMatchObject({ current: 'none', pending: false });
  });
});

describe('timelines', () => {
  it('applied: converged changes oldest first, repeats folded, the one before the window moved to its start', () => {
    const records = [rec(8, true), rec(6, { percentage_of_actors: 50 }), rec(5, { percentage_of_actors: 50 }), rec(4, { percentage_of_actors: 25 }, false), rec(-3, false), rec(-9, true)];
    const m = build([flag({ environments: { dev: true }, records: { dev: records } })], [{ config: env('dev'), records: 'file' }]);
    expect(m.flags[0]!.timeline.dev!.applied).toEqual([
      { at: T(0).toISOString(), band: 'off', label: 'off' },
      { at: T(5).toISOString(), band: 'mid', label: '50%' },
      { at: T(8).toISOString(), band: 'on', label: 'on' },
    ]);
  });

  it('file: the commits that changed this environment, inside the window', () => {
    const rev = (day: number, environments: Record<string, MaybeState> | undefined, sha: string) => ({ at: T(day), sha, defaultEnabled: false, ...(environments ? { environments } : {}) });
    const history = [
      rev(7, undefined, 'e'), // file removed or made definition-only
      rev(6, { dev: true, prod: { percentage_of_actors: 25 } }, 'd'),
      rev(4, { dev: true, prod: false }, 'c'), // only dev changed
      rev(2, { dev: { percentage_of_actors: 10 }, prod: false }, 'b'),
      rev(-5, { dev: false, prod: false }, 'a'), // before the window: the base, not a marker
    ];
    const m = build([flag({ history })], [{ config: env('dev'), records: 'file' }, { config: env('prod'), records: 'file' }]);
    const at = (p: { at: string; label: string; sha?: string }) => `${p.at.slice(8, 10)} ${p.label} ${p.sha}`;
    expect(m.flags[0]!.timeline.dev!.file.map(at)).toEqual(['03 10% b', '05 on c', '08 not managed e']);
    expect(m.flags[0]!.timeline.prod!.file.map(at)).toEqual(['07 25% d', '08 not managed e']);
  });
});
