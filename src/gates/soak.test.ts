import { describe, expect, it } from 'vitest';
import type { MaybeState } from '../model/state.js';
import { heldSince, judgeSoak, soakGate } from './soak.js';
import { envConfig, flagChange, gateContext } from './test-fixtures.js';
import type { AppliedVersion, FlagChange, GateContext } from './types.js';

const production = envConfig({ soak: '1d', soakMs: 86_400_000 });
const now = new Date('2026-11-21T10:00:00Z');

/** A recorded apply of staging at `at` that gave the flag `state` (converged unless said otherwise). */
function applied(at: string, state: MaybeState | 'unmanaged' | { unreadable: string }, converged = true, defaultEnabled = false): AppliedVersion {
  return {
    at: new Date(at),
    converged,
    state:
      state === 'unmanaged'
        ? { kind: 'unmanaged' }
        : typeof state === 'object' && state !== null && 'unreadable' in state
          ? { kind: 'unreadable', sha: state.unreadable as string }
          : { kind: 'state', state: state as MaybeState, defaultEnabled },
  };
}

const change = (over: Partial<FlagChange> = {}): FlagChange =>
  flagChange({ after: { percentage_of_actors: 25 }, line: 9, desiredByEnv: { staging: { percentage_of_actors: 25 } }, ...over });

function ctx(versions: AppliedVersion[], env = production): GateContext {
  return gateContext({ now, env, applied: async () => [{ instance: 'staging', record: 'staging', versions }] });
}

const judge = (versions: AppliedVersion[], over: Partial<FlagChange> = {}) =>
  judgeSoak({ change: change(over), after: 'staging', soakMs: 86_400_000, soak: '1d', now, versions });

describe('heldSince (pure)', () => {
  it('walks back over converged applies while the exposure stays at or above the threshold', () => {
    const versions = [
      applied('2026-11-21T07:00:00Z', { percentage_of_actors: 50 }),
      applied('2026-11-20T00:00:00Z', { percentage_of_actors: 25 }),
      applied('2026-11-19T00:00:00Z', false),
    ];
    expect(heldSince(versions, 27)).toEqual({ held: true, since: new Date('2026-11-21T07:00:00Z'), stop: { kind: 'below' } });
    expect(heldSince(versions, 26)).toEqual({ held: true, since: new Date('2026-11-20T00:00:00Z'), stop: { kind: 'below' } });
    expect(heldSince(versions, 0)).toEqual({ held: true, since: new Date('2026-11-19T00:00:00Z'), stop: { kind: 'end' } });
    expect(heldSince(versions, 52)).toEqual({ held: false, stop: { kind: 'below' } });
    expect(heldSince([], 1)).toEqual({ held: false, stop: { kind: 'end' } });
  });

  it('a later apply that lowered the exposure resets the clock', () => {
    const versions = [
      applied('2026-11-21T07:00:00Z', { percentage_of_actors: 50 }),
      applied('2026-11-20T12:00:00Z', { percentage_of_actors: 10 }),
      applied('2026-11-10T00:00:00Z', { percentage_of_actors: 50 }),
    ];
    expect(heldSince(versions, 26)).toMatchObject({ held: true, since: new Date('2026-11-21T07:00:00Z') });
  });

  it('an unfinished apply breaks the run unless it asked for what the converged apply before it had', () => {
    const unchanged = [
      applied('2026-11-21T07:00:00Z', { percentage_of_actors: 50 }, false),
      applied('2026-11-10T00:00:00Z', { percentage_of_actors: 50 }),
    ];
    expect(heldSince(unchanged, 26)).toMatchObject({ held: true, since: new Date('2026-11-10T00:00:00Z') });
    // raising 50 → 75 goes through `false` on gitlab-features: cut off, it may have been left off
    const raised = [
      applied('2026-11-21T08:00:00Z', { percentage_of_actors: 75 }),
      applied('2026-11-21T07:00:00Z', { percentage_of_actors: 75 }, false),
      applied('2026-11-10T00:00:00Z', { percentage_of_actors: 50 }),
    ];
    expect(heldSince(raised, 26)).toEqual({ held: true, since: new Date('2026-11-21T08:00:00Z'), stop: { kind: 'unfinished' } });
    expect(heldSince([applied('2026-11-21T07:00:00Z', true, false)], 1)).toEqual({ held: false, stop: { kind: 'unfinished' } });
  });

  it('stops at an unmanaged or unreadable record, and counts an absent state as default_enabled', () => {
    expect(heldSince([applied('2026-11-21T07:00:00Z', true), applied('2026-11-01T00:00:00Z', 'unmanaged')], 1)).toMatchObject({
      since: new Date('2026-11-21T07:00:00Z'),
      stop: { kind: 'below' },
    });
    expect(heldSince([applied('2026-11-21T07:00:00Z', true), applied('2026-11-01T00:00:00Z', { unreadable: 'abc' })], 1)).toMatchObject({
      since: new Date('2026-11-21T07:00:00Z'),
      stop: { kind: 'unreadable', sha: 'abc' },
    });
    expect(heldSince([applied('2026-11-19T00:00:00Z', undefined, true, true)], 102)).toMatchObject({ held: true, since: new Date('2026-11-19T00:00:00Z') });
  });
});

describe('judgeSoak (pure)', () => {
  it('passes when the after environment has held the exposure long enough', () => {
    expect(judge([applied('2026-11-20T09:00:00Z', { percentage_of_actors: 25 }), applied('2026-11-01T00:00:00Z', false)])).toEqual([]);
  });

  it('says how long it has held, since which apply, and until when to wait', () => {
    expect(judge([applied('2026-11-21T07:00:00Z', { percentage_of_actors: 25 }), applied('2026-11-20T00:00:00Z', { percentage_of_actors: 10 })])).toEqual([
      {
        code: 'soak/too-early',
        severity: 'error',
        file: 'flags/my_flag.yml',
        line: 9,
        column: 3,
        flag: 'my_flag',
        env: 'production',
        message:
          'production: staging has held at least 25% of actors for 3h of the required 1d (applied 2026-11-21 07:00 UTC). ' +
          'Wait until 2026-11-22 07:00 UTC.',
        hint: 'Or merge now: the scheduled apply rolls it out once the soak time has passed.',
      },
    ]);
  });

  it('fails when the file does not give the after environment the exposure, or nothing applied it there', () => {
    const low = judge([applied('2026-11-01T00:00:00Z', true)], { desiredByEnv: { staging: { percentage_of_actors: 10 } } });
    expect(low[0]?.code).toBe('soak/not-held');
    expect(low[0]?.message).toMatch(/staging does not hold at least 25% of actors \(it is at 10% of actors in this file\)/);
    // the file says 25% but no apply recorded it (e.g. this same change raises staging)
    const none = judge([]);
    expect(none[0]?.code).toBe('soak/not-held');
    expect(none[0]?.message).toMatch(/staging has not been applied with at least 25% of actors yet \(flagops has no record of applying staging\)/);
    expect(judge([applied('2026-11-01T00:00:00Z', false)])[0]?.message).toMatch(/staging was last applied with less/);
    expect(judge([applied('2026-11-21T09:00:00Z', { percentage_of_actors: 25 }, false)])[0]?.message).toMatch(/the last apply of staging did not finish/);
  });

  it('asks for full history when an applied commit is missing from the clone', () => {
    const f = judge([applied('2026-11-21T06:00:00Z', true), applied('2026-11-10T00:00:00Z', { unreadable: 'c0ffee0123' })]);
    expect(f[0]?.code).toBe('soak/record-unreadable');
    expect(f[0]?.message).toMatch(/applied from commit c0ffee0, which is not in this clone.*since 2026-11-21 06:00 UTC/);
    expect(f[0]?.hint).toMatch(/GIT_DEPTH: 0/);
    // an unreadable record older than the soak window does not matter
    expect(judge([applied('2026-11-20T06:00:00Z', true), applied('2026-11-10T00:00:00Z', { unreadable: 'c0ffee0123' })])).toEqual([]);
  });
});

describe('soak gate', () => {
  it('asks the provider for the after environment and judges its records', async () => {
    const asked: unknown[] = [];
    const c = gateContext({
      now,
      env: production,
      applied: async (args) => {
        asked.push(args);
        return [{ instance: 'staging', record: 'staging', versions: [applied('2026-11-20T09:00:00Z', true)] }];
      },
    });
    expect(await soakGate(change(), c)).toEqual([]);
    expect(asked).toEqual([{ env: 'staging', flag: 'my_flag', file: 'flags/my_flag.yml', defaultEnabled: false }]);
  });

  it('never holds a rollback and needs soak configured', async () => {
    expect(await soakGate(change({ kind: 'rollback' }), ctx([]))).toEqual([]);
    expect(await soakGate(change(), ctx([], { ...production, soakMs: undefined }))).toEqual([]);
  });
});

describe('judgeSoak over a ring (pure): every instance must hold it, counted from the last one', () => {
  const ring = (cells: Record<string, AppliedVersion[]>) =>
    judgeSoak({
      change: change(),
      after: 'staging',
      soakMs: 86_400_000,
      soak: '1d',
      now,
      instances: Object.entries(cells).map(([instance, versions]) => ({ instance, record: `staging/${instance}`, versions })),
    });

  it('passes only when the last instance to converge has held it for the soak', () => {
    expect(ring({ 'cell-1': [applied('2026-11-20T01:00:00Z', true)], 'cell-2': [applied('2026-11-20T09:00:00Z', true)] })).toEqual([]);
    const early = ring({ 'cell-1': [applied('2026-11-19T01:00:00Z', true)], 'cell-2': [applied('2026-11-20T16:00:00Z', true)] });
    expect(early.map((f) => f.code)).toEqual(['soak/too-early']);
    // cell-1 has held it for two days; the clock of the ring starts with cell-2
    expect(early[0]?.message).toContain('has held at least 25% of actors for 18h of the required 1d (applied 2026-11-20 16:00 UTC to its last instance, cell-2)');
  });

  it('an instance that failed or was never applied holds the ring, and is named', () => {
    const failed = ring({
      'cell-1': [applied('2026-11-19T01:00:00Z', true)],
      'cell-2': [applied('2026-11-19T02:00:00Z', { percentage_of_actors: 25 }, false), applied('2026-11-18T00:00:00Z', false)],
      'cell-3': [],
    });
    expect(failed.map((f) => f.code)).toEqual(['soak/not-held']);
    expect(failed[0]?.message).toContain('staging (instances cell-2, cell-3 of 3) has not been applied with at least 25% of actors yet (the last apply of staging/cell-2 did not finish; 1 of 3 instances hold it)');
    expect(failed[0]?.hint).toContain('flagops apply --env staging completes the instances that are missing');
  });
});
