import { describe, expect, it } from 'vitest';
import { stepGate } from './step.js';
import { envConfig, flagChange } from './test-fixtures.js';
import type { FlagChange } from './types.js';

const env = envConfig({ maxStep: 25 });
const change = (over: Partial<FlagChange>): FlagChange =>
  flagChange({ flag: 'f', before: undefined, after: undefined, ...over });

describe('step gate', () => {
  it('passes rises up to max_step, actor-only changes and unset max_step', () => {
    expect(
      stepGate(change({ before: { percentage_of_actors: 25 }, after: { percentage_of_actors: 50 } }), {
        env,
      }),
    ).toEqual([]);
    expect(stepGate(change({ before: false, after: { percentage_of_time: 25 } }), { env })).toEqual([]);
    expect(stepGate(change({ before: false, after: { actors: { users: ['a'] } } }), { env })).toEqual([]);
    expect(stepGate(change({ before: { percentage_of_actors: 80 }, after: true }), { env })).toEqual([]);
    expect(stepGate(change({ before: false, after: true }), { env: { ...env, maxStep: undefined } })).toEqual(
      [],
    );
  });

  it('fails a rise larger than max_step and says what to set now', () => {
    const f = stepGate(
      change({ before: { percentage_of_actors: 25 }, after: { percentage_of_actors: 75 } }),
      { env },
    );
    expect(f).toHaveLength(1);
    expect(f[0]?.code).toBe('step/too-large');
    expect(f[0]?.message).toBe(
      'production: the percentage rises from 25% to 75% (50 points) in one change, more than max_step 25. ' +
        'Set percentage_of_actors: 50 now and raise it further in later changes.',
    );
  });

  it('counts fully on as 100% and reports it once', () => {
    const f = stepGate(change({ before: { percentage_of_actors: 50 }, after: true }), { env });
    expect(f.map((x) => x.message)).toEqual([
      'production: the percentage rises from 50% to fully on (50 points) in one change, more than max_step 25. ' +
        'Set percentage_of_actors: 75 now and raise it further in later changes.',
    ]);
    // absent with default_enabled: true is fully on too
    expect(stepGate(change({ before: false, after: undefined, defaultEnabled: true }), { env })).toHaveLength(
      1,
    );
  });

  it('compares the largest percentages and names the key to set', () => {
    expect(
      stepGate(change({ before: { percentage_of_time: 10 }, after: { percentage_of_actors: 30 } }), { env }),
    ).toEqual([]);
    const f = stepGate(change({ before: { actors: { users: ['a'] } }, after: { percentage_of_time: 30 } }), {
      env,
    });
    expect(f[0]?.message).toMatch(/rises from 0% to 30% \(30 points\).*Set percentage_of_time: 25 now/);
    expect(
      stepGate(change({ before: { percentage_of_actors: 12.5 }, after: { percentage_of_actors: 37.5 } }), {
        env,
      }),
    ).toEqual([]);
  });

  it('never holds a rollback', () => {
    expect(stepGate(change({ kind: 'rollback', before: true, after: false }), { env })).toEqual([]);
  });
});
