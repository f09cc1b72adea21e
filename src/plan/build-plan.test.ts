import { describe, expect, it } from 'vitest';
import { planFile } from '../backends/file/file-backend.js';
import type { LiveState } from '../backends/types.js';
import type { EnvironmentConfig } from '../config/types.js';
import type { FlagState } from '../model/state.js';
import { planEnvironment } from './build-plan.js';
import type { BaseState } from './changes.js';
import type { DesiredFlag, DesiredSet } from './desired.js';

const ENV: EnvironmentConfig = {
  name: 'production',
  index: 1,
  backend: { type: 'file', path: '/x' },
  instances: [{ name: 'production', backend: { type: 'file', path: '/x' } }],
  ring: false,
  after: null,
  drift: 'fail',
};

function desired(entries: Record<string, Record<string, FlagState> | null>): DesiredSet {
  return new Map(
    Object.entries(entries).map(([flag, envs]): [string, DesiredFlag] => [
      flag,
      { flag, file: `flags/${flag}.yml`, managed: envs !== null, defaultEnabled: false, environments: envs ?? {} },
    ]),
  );
}
const live = (entries: Record<string, FlagState>): LiveState => new Map(Object.entries(entries).map(([k, state]) => [k, { state }]));
const noBase: BaseState = { flags: new Map(), removed: [], changed: new Set() };

function plan(args: { current: DesiredSet; live: LiveState; base?: BaseState; prune?: boolean; drift?: EnvironmentConfig['drift']; held?: string[]; interrupted?: boolean }) {
  return planEnvironment({
    env: { ...ENV, drift: args.drift ?? 'fail' },
    planFlag: (flag, l, d) => planFile(flag, l?.state, d),
    current: args.current,
    base: args.base ?? noBase,
    live: args.live,
    gateFindings: (args.held ?? []).map((flag) => ({ code: 'deployed/not-deployed', severity: 'error' as const, flag, env: 'production', message: `${flag} is not deployed` })),
    prune: args.prune ?? false,
    checkDrift: args.base !== undefined,
    interrupted: args.interrupted ?? false,
  });
}
const statuses = (p: ReturnType<typeof plan>) => Object.fromEntries(p.flags.map((f) => [f.flag, f.status]));

describe('planEnvironment', () => {
  it('changes what differs, leaves in-sync flags, definition-only files and unmanaged live flags alone', () => {
    const p = plan({
      current: desired({ a: { production: true }, b: { production: false }, c: null, d: {} }),
      live: live({ a: false, b: false, c: true, stray: true }),
    });
    expect(statuses(p)).toEqual({ a: 'change', b: 'in-sync', d: 'in-sync' });
    expect(p.flags.find((f) => f.flag === 'a')!.operations).toMatchObject([{ action: 'set', payload: { state: true } }]);
  });

  it('an environment left out of a managed file deletes live state there', () => {
    const p = plan({ current: desired({ d: { staging: true } }), live: live({ d: true }) });
    expect(p.flags).toMatchObject([{ flag: 'd', status: 'change', desired: undefined, operations: [{ action: 'delete' }] }]);
  });

  it('a removed managed file deletes the flag; prune deletes live flags without a file', () => {
    const base: BaseState = { sha: 'b'.repeat(40), flags: desired({ gone: { production: true } }), removed: [...desired({ gone: { production: true } }).values()], changed: new Set(['gone']) };
    expect(statuses(plan({ current: desired({}), live: live({ gone: true, stray: true }), base }))).toEqual({ gone: 'change' });
    expect(statuses(plan({ current: desired({}), live: live({ stray: true }), prune: true }))).toEqual({ stray: 'change' });
  });

  it('a flag held by a gate is pending with the reason', () => {
    const p = plan({ current: desired({ a: { production: true } }), live: live({}), held: ['a'] });
    expect(p.flags[0]).toMatchObject({ status: 'pending', reasons: ['a is not deployed'], operations: [] });
  });

  it('drift: an unchanged file whose live state was changed outside flagops is held (fail), warned or overwritten', () => {
    const base: BaseState = { sha: 'b'.repeat(40), flags: new Map(), removed: [], changed: new Set() };
    const args = { current: desired({ a: { production: true }, b: { production: true } }), live: live({ a: false, b: true }), base };
    const held = plan(args);
    expect(statuses(held)).toEqual({ a: 'drift-held', b: 'in-sync' });
    expect(held.findings).toMatchObject([{ code: 'drift', severity: 'error', flag: 'a', env: 'production' }]);
    expect(statuses(plan({ ...args, drift: 'warn' }))).toEqual({ a: 'change', b: 'in-sync' });
    expect(plan({ ...args, drift: 'warn' }).findings[0]!.severity).toBe('warning');
    expect(statuses(plan({ ...args, drift: 'overwrite' }))).toEqual({ a: 'change', b: 'in-sync' });
  });

  it('drift on a changed file: an emergency turn-off is protected, an interrupted earlier apply is not drift', () => {
    const base: BaseState = { sha: 'b'.repeat(40), flags: desired({ a: { production: { percentage_of_actors: 10 } } }), removed: [], changed: new Set(['a']) };
    const current = desired({ a: { production: { percentage_of_actors: 50 } } });
    expect(statuses(plan({ current, live: live({ a: false }), base }))).toEqual({ a: 'drift-held' });
    expect(statuses(plan({ current, live: live({ a: { percentage_of_actors: 10 } }), base }))).toEqual({ a: 'change' });
    expect(statuses(plan({ current, live: live({ a: { percentage_of_actors: 30 } }), base }))).toEqual({ a: 'change' });
    // the record shows an apply cut off half-way: its intermediate states are expected
    expect(statuses(plan({ current, live: live({ a: false }), base, interrupted: true }))).toEqual({ a: 'change' });
  });

  it('no base: drift is not checked', () => {
    expect(statuses(plan({ current: desired({ a: { production: true } }), live: live({ a: false }) }))).toEqual({ a: 'change' });
  });
});

describe('an open revert merge request of a failed verification', () => {
  const revertOpen = new Map([['a', { iid: 9, webUrl: 'https://gitlab.example.com/group/flags/-/merge_requests/9' }]]);
  const run = (files: Record<string, FlagState>, now: Record<string, FlagState>, drift: EnvironmentConfig['drift'] = 'overwrite') =>
    planEnvironment({
      env: { ...ENV, drift },
      planFlag: (flag, l, d) => planFile(flag, l?.state, d),
      current: desired({ a: files, b: files }),
      base: noBase,
      live: live(now),
      gateFindings: [],
      prune: false,
      checkDrift: false,
      revertOpen,
    });

  it('holds a rollout of its flags, whatever drift says, naming the merge request', () => {
    const p = run({ production: true }, { a: false, b: false });
    expect(p.flags.map((f) => [f.flag, f.status])).toEqual([['a', 'drift-held'], ['b', 'change']]);
    expect(p.findings).toEqual([expect.objectContaining({ code: 'drift/revert-open', severity: 'error', flag: 'a', message: expect.stringContaining('!9') as string })]);
  });

  it('lets a rollback land', () => {
    const p = run({ production: false }, { a: true, b: true }, 'fail');
    expect(p.flags.map((f) => [f.flag, f.status])).toEqual([['a', 'change'], ['b', 'change']]);
    expect(p.findings).toEqual([]);
  });
});
