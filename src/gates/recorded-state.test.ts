import { describe, expect, it } from 'vitest';
import { readRevision, recordedState } from './recorded-state.js';

describe('recorded state of a flag file at an applied commit', () => {
  it('reads a revision defensively', () => {
    expect(readRevision({ default_enabled: true, environments: { a: { percentage_of_actors: '5', actors: { users: ['x', 3] } }, b: null } })).toEqual({
      defaultEnabled: true,
      environments: { a: { actors: { users: ['x'] } }, b: false },
    });
    expect(readRevision('text')).toEqual({ environments: undefined, defaultEnabled: false });
  });

  it('gives the state of one environment; a file without environments (or none at all) is unmanaged', () => {
    expect(recordedState('name: f\nenvironments:\n  staging:\n    percentage_of_actors: 50\n', 'staging')).toEqual({
      kind: 'state',
      state: { percentage_of_actors: 50 },
      defaultEnabled: false,
    });
    expect(recordedState('name: f\nenvironments: {}\n', 'staging')).toEqual({ kind: 'state', state: undefined, defaultEnabled: false });
    expect(recordedState('name: f\n', 'staging')).toEqual({ kind: 'unmanaged' });
    expect(recordedState(undefined, 'staging')).toEqual({ kind: 'unmanaged' });
    expect(recordedState('environments: [unclosed', 'staging')).toEqual({ kind: 'unmanaged' });
  });
});
