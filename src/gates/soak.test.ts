import { describe, expect, it } from 'vitest';
import type { MaybeState } from '../model/state.js';
import { heldSince, soakGate } from './soak.js';
import { envConfig, flagChange, gateContext } from './test-fixtures.js';
import type { FlagChange, FlagHistory, FlagRevision, GateContext } from './types.js';

const production = envConfig({ soak: '1d', soakMs: 86_400_000 });
const now = new Date('2026-11-21T10:00:00Z');

function rev(at: string, staging: MaybeState | 'no-envs', defaultEnabled = false): FlagRevision {
  return {
    sha: at,
    committedAt: new Date(at),
    environments: staging === 'no-envs' ? undefined : { staging },
    defaultEnabled,
  };
}

const change = (over: Partial<FlagChange> = {}): FlagChange =>
  flagChange({
    after: { percentage_of_actors: 25 },
    line: 9,
    desiredByEnv: { staging: { percentage_of_actors: 25 } },
    ...over,
  });

function ctx(history: FlagHistory, env = production): GateContext {
  return gateContext({ now, env, history: async () => history });
}

describe('heldSince (pure)', () => {
  const current = { state: { percentage_of_actors: 50 }, defaultEnabled: false };
  it('walks back while the exposure stays at or above the threshold', () => {
    const revisions = [
      rev('2026-11-21T07:00:00Z', { percentage_of_actors: 50 }),
      rev('2026-11-20T00:00:00Z', { percentage_of_actors: 25 }),
      rev('2026-11-19T00:00:00Z', false),
    ];
    expect(heldSince({ revisions, env: 'staging', threshold: 27, now, current })).toEqual({
      since: new Date('2026-11-21T07:00:00Z'),
      reachedOldest: false,
    });
    expect(heldSince({ revisions, env: 'staging', threshold: 26, now, current })).toEqual({
      since: new Date('2026-11-20T00:00:00Z'),
      reachedOldest: false,
    });
    expect(heldSince({ revisions, env: 'staging', threshold: 0, now, current })).toEqual({
      since: new Date('2026-11-19T00:00:00Z'),
      reachedOldest: true,
    });
  });

  it('does not hold when the working tree is below, and breaks on a revision without environments', () => {
    expect(heldSince({ revisions: [], env: 'staging', threshold: 60, now, current }).since).toBeUndefined();
    const revisions = [
      rev('2026-11-21T07:00:00Z', true),
      rev('2026-11-20T00:00:00Z', 'no-envs'),
      rev('2026-11-19T00:00:00Z', true),
    ];
    expect(heldSince({ revisions, env: 'staging', threshold: 26, now, current }).since).toEqual(
      new Date('2026-11-21T07:00:00Z'),
    );
  });

  it('counts an absent environment as default_enabled', () => {
    const revisions = [rev('2026-11-19T00:00:00Z', undefined, true)];
    expect(
      heldSince({
        revisions,
        env: 'staging',
        threshold: 102,
        now,
        current: { state: undefined, defaultEnabled: true },
      }).since,
    ).toEqual(new Date('2026-11-19T00:00:00Z'));
  });
});

describe('soak gate', () => {
  it('passes when the after environment has held the exposure long enough', async () => {
    const history = {
      revisions: [
        rev('2026-11-20T09:00:00Z', { percentage_of_actors: 25 }),
        rev('2026-11-01T00:00:00Z', false),
      ],
      shallow: false,
    };
    expect(await soakGate(change(), ctx(history))).toEqual([]);
  });

  it('says how long it has held and until when to wait', async () => {
    const history = {
      revisions: [
        rev('2026-11-21T07:00:00Z', { percentage_of_actors: 25 }),
        rev('2026-11-20T00:00:00Z', { percentage_of_actors: 10 }),
      ],
      shallow: false,
    };
    const f = await soakGate(change(), ctx(history));
    expect(f).toEqual([
      {
        code: 'soak/too-early',
        severity: 'error',
        file: 'flags/my_flag.yml',
        line: 9,
        column: 3,
        flag: 'my_flag',
        env: 'production',
        message:
          'production: staging has held at least 25% of actors for 3h of the required 1d (since 2026-11-21 07:00 UTC). ' +
          'Wait until 2026-11-22 07:00 UTC.',
        hint: 'Or merge now: the scheduled apply rolls it out once the soak time has passed.',
      },
    ]);
  });

  it('fails when the after environment does not hold the exposure, or only gets it in this change', async () => {
    const low = await soakGate(
      change({ desiredByEnv: { staging: { percentage_of_actors: 10 } } }),
      ctx({ revisions: [], shallow: false }),
    );
    expect(low[0]?.code).toBe('soak/not-held');
    expect(low[0]?.message).toMatch(
      /staging does not hold at least 25% of actors \(it is at 10% of actors in this file\)/,
    );
    const same = await soakGate(
      change(),
      ctx({ revisions: [rev('2026-11-01T00:00:00Z', false)], shallow: false }),
    );
    expect(same[0]?.message).toMatch(/staging only gets at least 25% of actors in this same change/);
  });

  it('asks for full history when a shallow clone cuts it short', async () => {
    const history = { revisions: [rev('2026-11-21T06:00:00Z', true)], shallow: true };
    const f = await soakGate(change(), ctx(history));
    expect(f[0]?.code).toBe('soak/shallow-history');
    expect(f[0]?.hint).toMatch(/GIT_DEPTH: 0/);
    // the same history in a full clone: the file was created then
    expect((await soakGate(change(), ctx({ ...history, shallow: false })))[0]?.code).toBe('soak/too-early');
    // a shallow clone whose visible history is long enough passes
    expect(
      await soakGate(change(), ctx({ revisions: [rev('2026-11-01T00:00:00Z', true)], shallow: true })),
    ).toEqual([]);
  });

  it('never holds a rollback and needs soak configured', async () => {
    const none = { revisions: [], shallow: false };
    expect(await soakGate(change({ kind: 'rollback' }), ctx(none))).toEqual([]);
    expect(await soakGate(change(), ctx(none, { ...production, soakMs: undefined }))).toEqual([]);
  });
});
