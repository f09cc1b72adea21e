import { describe, expect, it } from 'vitest';
import { buildFlagHistory, type Observation } from './build-history.js';

let nextId = 1;
function dep(at: string, state: Observation['state'] | boolean | number | undefined, status = 'success', sha = 'a'.repeat(40)): Observation {
  const s: Observation['state'] =
    typeof state === 'object' ? state : { kind: 'state', state: typeof state === 'number' ? { percentage_of_actors: state } : state };
  return { at, converged: status === 'success', record: { source: 'deployment', id: nextId++, sha, status }, state: s };
}

describe('buildFlagHistory', () => {
  it('lists each record that gave the flag another state, oldest first, whatever order the records come in', () => {
    const entries = buildFlagHistory([
      dep('2026-11-04T00:00:00Z', true),
      dep('2026-11-01T00:00:00Z', false),
      dep('2026-11-02T00:00:00Z', 25),
      dep('2026-11-02T12:00:00Z', 25), // another commit applied, the flag unchanged: not news
      dep('2026-11-03T00:00:00Z', 50),
    ]);
    expect(entries.map((e) => [e.appliedAt.slice(0, 13), e.previous, e.state])).toEqual([
      ['2026-11-01T00', undefined, false],
      ['2026-11-02T00', false, { percentage_of_actors: 25 }],
      ['2026-11-03T00', { percentage_of_actors: 25 }, { percentage_of_actors: 50 }],
      ['2026-11-04T00', { percentage_of_actors: 50 }, true],
    ]);
  });

  it('starts from the first record that gives the flag a state (unset before it), and shows a removal as null', () => {
    const entries = buildFlagHistory([dep('2026-11-01T00:00:00Z', undefined), dep('2026-11-02T00:00:00Z', true), dep('2026-11-03T00:00:00Z', undefined)]);
    expect(entries.map((e) => [e.appliedAt.slice(0, 10), e.previous, e.state])).toEqual([
      ['2026-11-02', null, true],
      ['2026-11-03', true, null],
    ]);
  });

  it('an apply that did not finish is listed with its status, and the retry that converged is listed again', () => {
    const entries = buildFlagHistory([
      dep('2026-11-01T00:00:00Z', false),
      dep('2026-11-02T00:00:00Z', 25, 'failed'),
      dep('2026-11-02T01:00:00Z', 25, 'success'),
      dep('2026-11-02T02:00:00Z', 25, 'failed'), // a later failed run of the same state changes nothing
    ]);
    expect(entries.map((e) => [e.record.status, e.previous, e.state])).toEqual([
      ['success', undefined, false],
      ['failed', false, { percentage_of_actors: 25 }],
      ['success', { percentage_of_actors: 25 }, { percentage_of_actors: 25 }],
    ]);
  });

  it('a record of a commit this clone lacks is listed unverified, claims no state, and breaks the comparison', () => {
    const entries = buildFlagHistory([
      dep('2026-11-01T00:00:00Z', 25),
      dep('2026-11-02T00:00:00Z', { kind: 'unverified' }, 'success', 'f'.repeat(40)),
      dep('2026-11-03T00:00:00Z', 25), // same as before the unknown record, but nothing says what happened between
    ]);
    expect(entries).toEqual([
      expect.objectContaining({ verified: true, state: { percentage_of_actors: 25 } }),
      { appliedAt: '2026-11-02T00:00:00Z', verified: false, record: expect.objectContaining({ sha: 'f'.repeat(40) }) },
      expect.objectContaining({ verified: true, state: { percentage_of_actors: 25 } }),
    ]);
    expect(entries[2]).not.toHaveProperty('previous');
  });

  it('states that differ only in order are the same state', () => {
    const a = { actors: { users: ['b', 'a'] } };
    const b = { actors: { users: ['a', 'b'] } };
    expect(buildFlagHistory([dep('2026-11-01T00:00:00Z', { kind: 'state', state: a }), dep('2026-11-02T00:00:00Z', { kind: 'state', state: b })])).toHaveLength(1);
  });
});
