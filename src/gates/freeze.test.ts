import { describe, expect, it } from 'vitest';
import type { FreezePeriod, GitlabPort } from '../gitlab/port.js';
import { createMemo } from './common.js';
import { freezeGate, freezeStatus } from './freeze.js';
import { envConfig, flagChange, gateContext } from './test-fixtures.js';

const weekend: FreezePeriod = {
  id: 1,
  freezeStart: '0 23 * * 5',
  freezeEnd: '0 7 * * 1',
  cronTimezone: 'Europe/Berlin',
};
const at = (iso: string): Date => new Date(iso);
const active = (p: FreezePeriod, now: string): boolean => {
  const s = freezeStatus(p, at(now));
  return 'active' in s && s.active;
};

describe('freezeStatus with fixed clocks', () => {
  it('weekend freeze in Berlin across the March DST change (CET → CEST)', () => {
    // Friday 2026-03-27 23:00 CET = 22:00 UTC; Monday 2026-03-30 07:00 CEST = 05:00 UTC
    expect(active(weekend, '2026-03-27T21:59:00Z')).toBe(false);
    expect(active(weekend, '2026-03-27T22:00:00Z')).toBe(true);
    expect(freezeStatus(weekend, at('2026-03-29T12:00:00Z'))).toEqual({
      period: weekend,
      active: true,
      since: at('2026-03-27T22:00:00Z'),
      until: at('2026-03-30T05:00:00Z'),
    });
    expect(active(weekend, '2026-03-30T05:00:00Z')).toBe(true); // the end itself is included, as in GitLab
    expect(active(weekend, '2026-03-30T05:01:00Z')).toBe(false);
    expect(active(weekend, '2026-04-01T12:00:00Z')).toBe(false);
  });

  it('the same window in summer and in winter is an hour apart in UTC', () => {
    expect(active(weekend, '2026-07-03T21:30:00Z')).toBe(true); // 23:30 CEST
    expect(active(weekend, '2026-12-04T21:30:00Z')).toBe(false); // 22:30 CET
    expect(active(weekend, '2026-12-04T22:30:00Z')).toBe(true);
  });

  it('a holiday freeze in New York and an overnight freeze in Tokyo', () => {
    const holiday: FreezePeriod = {
      id: 2,
      freezeStart: '0 0 24 12 *',
      freezeEnd: '0 0 27 12 *',
      cronTimezone: 'America/New_York',
    };
    expect(freezeStatus(holiday, at('2026-12-25T12:00:00Z'))).toMatchObject({
      active: true,
      since: at('2026-12-24T05:00:00Z'),
      until: at('2026-12-27T05:00:00Z'),
    });
    expect(active(holiday, '2026-12-24T04:59:00Z')).toBe(false);
    const nightly: FreezePeriod = {
      id: 3,
      freezeStart: '0 22 * * *',
      freezeEnd: '0 6 * * *',
      cronTimezone: 'Asia/Tokyo',
    };
    expect(freezeStatus(nightly, at('2026-06-01T14:00:00Z'))).toMatchObject({
      active: true,
      until: at('2026-06-01T21:00:00Z'),
    });
    expect(active(nightly, '2026-06-01T12:00:00Z')).toBe(false);
  });

  it('across the November DST change in New York (EDT → EST)', () => {
    const early: FreezePeriod = {
      id: 4,
      freezeStart: '0 1 * * *',
      freezeEnd: '0 3 * * *',
      cronTimezone: 'America/New_York',
    };
    // 2026-11-01 03:00 EST = 08:00 UTC
    expect(freezeStatus(early, at('2026-11-01T07:30:00Z'))).toMatchObject({
      active: true,
      until: at('2026-11-01T08:00:00Z'),
    });
    expect(active(early, '2026-11-01T08:30:00Z')).toBe(false);
  });

  it('reports periods it cannot evaluate', () => {
    expect(
      freezeStatus({ ...weekend, freezeStart: 'every friday' }, at('2026-03-29T12:00:00Z')),
    ).toHaveProperty('invalid');
    expect(
      freezeStatus({ ...weekend, cronTimezone: 'Mars/Olympus' }, at('2026-03-29T12:00:00Z')),
    ).toHaveProperty('invalid');
    expect(active({ ...weekend, cronTimezone: '' }, '2026-03-27T23:30:00Z')).toBe(true); // empty zone: UTC
  });
});

const production = envConfig({ freeze: { project: 'group/app' } });
const change = flagChange({ line: 2 });
function portWith(periods: FreezePeriod[], calls: string[]): GitlabPort {
  return {
    baseUrl: 'https://gitlab.example.com',
    listFreezePeriods: async (project: string) => {
      calls.push(String(project));
      return periods;
    },
  } as unknown as GitlabPort;
}

describe('freeze gate', () => {
  it('holds a rollout during a freeze and says until when', async () => {
    const calls: string[] = [];
    const ctx = gateContext({
      now: at('2026-03-29T12:00:00Z'),
      env: production,
      port: portWith([weekend], calls),
      memo: createMemo(),
    });
    expect(await freezeGate(change, ctx)).toEqual([
      {
        code: 'freeze/active',
        severity: 'error',
        file: 'flags/my_flag.yml',
        line: 2,
        column: 3,
        flag: 'my_flag',
        env: 'production',
        message:
          'production: a deploy freeze of group/app is active (0 23 * * 5 → 0 7 * * 1, Europe/Berlin; since 2026-03-27 22:00 UTC), ' +
          'until 2026-03-30 05:00 UTC. Wait until it ends; rollbacks are not held by freezes.',
        hint: 'Or merge now: the scheduled apply rolls it out after the freeze.',
      },
    ]);
    await freezeGate({ ...change, flag: 'other' }, ctx);
    expect(calls).toEqual(['group/app']);
  });

  it('passes outside freezes, skips rollbacks, and flags a broken period', async () => {
    const calls: string[] = [];
    const ctx = gateContext({
      now: at('2026-04-01T12:00:00Z'),
      env: production,
      port: portWith([weekend], calls),
    });
    expect(await freezeGate(change, ctx)).toEqual([]);
    const during = { ...ctx, now: at('2026-03-29T12:00:00Z') };
    expect(await freezeGate({ ...change, kind: 'rollback' }, during)).toEqual([]);
    const broken = { ...ctx, port: portWith([{ ...weekend, freezeEnd: '0 0 0 * *' }], calls) };
    expect((await freezeGate(change, broken))[0]?.code).toBe('freeze/invalid-period');
  });
});
