import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors/errors.js';
import type { MaybeState } from '../model/state.js';
import { applySet, asState, canonical, parseSetArgs, pickActorArgs, type SetArgs } from './chatops-set.js';

/** `set` applied to a current state, as ChatOps would: the resulting state. */
const set = (current: MaybeState, args: SetArgs): MaybeState => applySet(current, parseSetArgs(args)).state;
const usage = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).message;
  }
  throw new Error('expected a usage error');
};

const COND = { percentage_of_actors: 25, actors: { users: ['luke'] }, feature_groups: ['gitlab_team_members'] };

describe('set NAME true|false', () => {
  it('true is fully on and false is off, whatever was there (GitLab clears every gate)', () => {
    for (const current of [undefined, true, false, COND]) {
      expect(set(current, { value: 'true' })).toBe(true);
      expect(set(current, { value: 'false' })).toBe(false);
    }
    expect(set(undefined, { value: 'TRUE' })).toBe(true);
  });

  it('100 and 0 are on and off, also with --actors or --random (GitLab reads value first)', () => {
    expect(parseSetArgs({ value: '100', actors: true })).toEqual({ kind: 'boolean', value: true });
    expect(parseSetArgs({ value: '100.0' })).toEqual({ kind: 'boolean', value: true });
    expect(parseSetArgs({ value: '0', random: true })).toEqual({ kind: 'boolean', value: false });
    expect(set(COND, { value: '0', actors: true })).toBe(false);
    expect(set(COND, { value: '100' })).toBe(true);
  });
});

describe('set NAME P [--actors|--random]', () => {
  it('--actors sets percentage_of_actors, keeping actors and feature groups', () => {
    expect(set(undefined, { value: '25', actors: true })).toEqual({ percentage_of_actors: 25 });
    expect(set(false, { value: '25', actors: true })).toEqual({ percentage_of_actors: 25 });
    expect(set(COND, { value: '50', actors: true })).toEqual({ ...COND, percentage_of_actors: 50 });
  });

  it('a bare number and --random set percentage_of_time, keeping the other gates', () => {
    expect(set(undefined, { value: '25' })).toEqual({ percentage_of_time: 25 });
    expect(set(undefined, { value: '0.5', random: true })).toEqual({ percentage_of_time: 0.5 });
    expect(set(COND, { value: '10' })).toEqual({ ...COND, percentage_of_time: 10 });
    expect(set({ percentage_of_time: 5 }, { value: '12.34', random: true })).toEqual({ percentage_of_time: 12.34 });
  });

  it('on a fully-on flag, does what the user means (GitLab would refuse) and says so', () => {
    const result = applySet(true, parseSetArgs({ value: '25', actors: true }));
    expect(result.state).toEqual({ percentage_of_actors: 25 });
    expect(result.notes.join()).toMatch(/was fully on: now only 25% of actors/);
    expect(set(true, { value: '5' })).toEqual({ percentage_of_time: 5 });
  });

  it('refuses values that are not true, false or a percentage with at most 2 decimals', () => {
    expect(usage(() => parseSetArgs({ value: 'yes' }))).toMatch(/not true, false or a percentage/);
    expect(usage(() => parseSetArgs({ value: '-5' }))).toMatch(/not true, false or a percentage/);
    expect(usage(() => parseSetArgs({ value: '101' }))).toMatch(/over 100/);
    expect(usage(() => parseSetArgs({ value: '33.333' }))).toMatch(/more than 2 decimals/);
    expect(usage(() => parseSetArgs({ value: '25', actors: true, random: true }))).toMatch(/exclude each other/);
  });
});

describe('set NAME true|false --user/--project/--group/--namespace/--repository/--feature-group', () => {
  it('true adds actors (comma-separated or repeated), keeping percentages and order', () => {
    expect(set(undefined, { value: 'true', project: 'icbd-trial/integration-trial,luke/public-tests', group: ['icbd-trial'] })).toEqual({
      actors: { groups: ['icbd-trial'], projects: ['icbd-trial/integration-trial', 'luke/public-tests'] },
    });
    expect(set(COND, { value: 'true', user: ['zoe', 'amy,luke'], featureGroup: 'beta_testers' })).toEqual({
      percentage_of_actors: 25,
      actors: { users: ['luke', 'zoe', 'amy'] },
      feature_groups: ['gitlab_team_members', 'beta_testers'],
    });
    expect(set(false, { value: 'true', namespace: 'gitlab-org', repository: '@hashed/ab/cd.git' })).toEqual({
      actors: { namespaces: ['gitlab-org'], repositories: ['@hashed/ab/cd.git'] },
    });
    expect(set(undefined, { value: 'true', user: 'a,,b,' })).toEqual({ actors: { users: ['a', 'b'] } });
  });

  it('false removes them; no gate left is off, as GitLab reports it', () => {
    expect(set(COND, { value: 'false', user: 'luke' })).toEqual({ percentage_of_actors: 25, feature_groups: ['gitlab_team_members'] });
    const last = applySet({ actors: { users: ['luke'] } }, parseSetArgs({ value: 'false', user: 'luke' }));
    expect(last.state).toBe(false);
    expect(last.notes.join()).toMatch(/no gate left/);
    const missing = applySet(COND, parseSetArgs({ value: 'false', user: 'nobody', featureGroup: 'gitlab_team_members' }));
    expect(missing.state).toEqual({ percentage_of_actors: 25, actors: { users: ['luke'] } });
    expect(missing.notes.join()).toMatch(/nothing to remove: nobody/);
  });

  it('adding to a fully-on flag changes nothing; removing from it is refused (no opt-outs)', () => {
    const add = applySet(true, parseSetArgs({ value: 'true', user: 'luke' }));
    expect(add).toEqual({ state: true, notes: ['already fully on: enabling users luke changes nothing'] });
    expect(usage(() => applySet(true, parseSetArgs({ value: 'false', user: 'luke' })))).toMatch(/fully on: removing users luke would need an opt-out/);
  });

  it('removing from an unset or off state keeps it as it is', () => {
    expect(set(undefined, { value: 'false', user: 'luke' })).toBeUndefined();
    expect(set(false, { value: 'false', group: 'g' })).toBe(false);
  });

  it('refuses actors with a percentage, --actors or --random, and empty or spaced names', () => {
    expect(usage(() => parseSetArgs({ value: '25', user: 'luke' }))).toMatch(/must be true \(add\) or false \(remove\)/);
    expect(usage(() => parseSetArgs({ value: 'true', user: 'luke', actors: true }))).toMatch(/--actors cannot be combined with --user/);
    expect(usage(() => parseSetArgs({ value: 'true', group: 'g', random: true }))).toMatch(/--random cannot be combined with --group/);
    expect(usage(() => parseSetArgs({ value: 'true', user: ',' }))).toMatch(/--user needs at least one name/);
    expect(usage(() => parseSetArgs({ value: 'true', project: 'a b' }))).toMatch(/no spaces/);
  });

  it('takes the actor options out of a command\'s options', () => {
    const options = { env: 'staging', dryRun: true, user: ['a', 'b,c'], featureGroup: 'beta', group: undefined };
    expect(pickActorArgs(options)).toEqual({ user: ['a', 'b,c'], featureGroup: 'beta' });
    expect(parseSetArgs({ value: 'true', ...pickActorArgs(options) })).toEqual({
      kind: 'actors',
      enable: true,
      actors: { users: ['a', 'b', 'c'] },
      featureGroups: ['beta'],
    });
  });
});

describe('canonical and asState', () => {
  it('orders keys, drops empty parts, keeps list order', () => {
    expect(canonical({ feature_groups: [], actors: { users: ['b', 'a', 'b'] }, percentage_of_time: 0 })).toEqual({ actors: { users: ['b', 'a'] } });
    expect(Object.keys(canonical({ feature_groups: ['x'], percentage_of_actors: 5 }) as object)).toEqual(['percentage_of_actors', 'feature_groups']);
    expect(canonical({ percentage_of_actors: 100 })).toBe(true);
    expect(canonical({})).toBe(false);
  });

  it('reads only well-formed states', () => {
    expect(asState(undefined)).toBeUndefined();
    expect(asState({ percentage_of_actors: 5, actors: { users: ['a'] } })).toEqual({ percentage_of_actors: 5, actors: { users: ['a'] } });
    expect(asState({ percentage_of_actor: 5 })).toBeNull();
    expect(asState({ actors: { people: ['a'] } })).toBeNull();
    expect(asState('on')).toBeNull();
  });
});
