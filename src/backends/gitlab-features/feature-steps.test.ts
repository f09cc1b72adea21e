import { describe, expect, it } from 'vitest';
import { featureSteps } from './feature-steps.js';

describe('featureSteps: the states between two states while the operations run', () => {
  it.each([
    ['fully on → 75 %: off, then 75 %', true, { percentage_of_actors: 75 }, [false]],
    ['actors swapped: the removed one goes first, then the new one is added', { actors: { users: ['a', 'b'] } }, { actors: { users: ['a', 'c'] } }, [{ actors: { users: ['a'] } }]],
    ['one request: no step in between', false, true, []],
    ['a percentage dropped: reset, then the actors re-added', { percentage_of_actors: 50, actors: { users: ['a'] } }, { actors: { users: ['a'] } }, [false]],
  ] as const)('%s', (_name, from, to, steps) => {
    expect(featureSteps('f', from as never, to as never)).toEqual(steps);
  });
});
