import { describe, expect, it } from 'vitest';
import type { AppliedVersion } from '../gates/types.js';
import { flagStart, judgeFlag, type FlagFacts } from './judge.js';
import { hygieneSettings } from './settings.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const settings = hygieneSettings({});
const base: FlagFacts = { flag: 'f', file: 'flags/f.yml', defaultEnabled: false, records: {}, rolloutIssueUrl: 'https://x.example/-/issues/1' };
const rec = (at: string, state: AppliedVersion['state'], converged = true): AppliedVersion => ({ at: new Date(at), converged, state });
const on = { kind: 'state', state: true, defaultEnabled: false } as const;
const off = { kind: 'state', state: false, defaultEnabled: false } as const;
const codes = (facts: FlagFacts): string[] => judgeFlag(facts, settings, ['dev'], NOW).map((f) => f.code);

describe('judgeFlag', () => {
  it('counts a lifespan from the earlier of milestone and git date; an unmapped milestone falls back to git', () => {
    expect(flagStart({ milestone: '18.0', addedAt: new Date('2026-01-01T00:00:00Z') })?.from).toBe('milestone 18.0');
    expect(flagStart({ milestone: '19.3', addedAt: new Date('2026-01-01T00:00:00Z') })?.from).toBe('the commit that added its file');
    expect(flagStart({ milestone: 'next', addedAt: new Date('2026-01-01T00:00:00Z') })?.from).toBe('the commit that added its file');
    expect(codes({ ...base, type: 'wip', milestone: 'next', addedAt: new Date('2026-01-15T00:00:00Z') })).toEqual(['hygiene/lifespan']);
    expect(codes({ ...base, type: 'wip', milestone: 'next', addedAt: new Date('2026-02-15T00:00:00Z') })).toEqual([]);
    expect(codes({ ...base, type: 'ops', milestone: '13.0' })).toEqual([]);
    expect(codes({ ...base, type: 'ops', intendedToRolloutBy: '2026-05-31' })).toEqual(['hygiene/lifespan']);
  });

  it('an unfinished apply or a rise breaks "off"; a partial state is neither on nor off', () => {
    const env = { dev: false as const };
    expect(codes({ ...base, environments: env, records: { dev: [rec('2026-04-01T00:00:00Z', off)] } })).toEqual(['hygiene/off']);
    expect(codes({ ...base, environments: env, records: { dev: [rec('2026-05-20T00:00:00Z', off), rec('2026-04-01T00:00:00Z', on)] } })).toEqual([]);
    expect(codes({ ...base, environments: env, records: { dev: undefined } })).toEqual([]);
    expect(codes({ ...base, environments: { dev: { percentage_of_actors: 50 } }, records: { dev: [rec('2026-01-01T00:00:00Z', { kind: 'state', state: { percentage_of_actors: 50 }, defaultEnabled: false })] } })).toEqual([]);
    expect(codes({ ...base, environments: { dev: true }, records: { dev: [rec('2026-04-01T00:00:00Z', on, false), rec('2026-03-01T00:00:00Z', off)] } })).toEqual([]);
  });

  it('a ring is fully on only when every instance has been, counted from the last one', () => {
    const targets = [{ env: 'ring1', record: 'ring1/cell-1' }, { env: 'ring1', record: 'ring1/cell-2' }];
    const facts = (cell2: AppliedVersion[] | undefined): FlagFacts => ({
      ...base,
      environments: { ring1: true },
      records: { 'ring1/cell-1': [rec('2026-03-01T00:00:00Z', on)], 'ring1/cell-2': cell2 },
    });
    const ringCodes = (f: FlagFacts) => judgeFlag(f, settings, targets, NOW).map((x) => x.code);
    expect(ringCodes(facts([rec('2026-04-01T00:00:00Z', on)]))).toEqual(['hygiene/fully-on']);
    expect(judgeFlag(facts([rec('2026-04-01T00:00:00Z', on)]), settings, targets, NOW)[0]?.message).toContain('every environment (ring1) since 2026-04-01');
    // cell-2 on for less than 30 days, or never applied: the ring is not fully on for 30 days
    expect(ringCodes(facts([rec('2026-05-20T00:00:00Z', on)]))).toEqual([]);
    expect(ringCodes(facts(undefined))).toEqual([]);
  });
});
