import { describe, expect, it } from 'vitest';
import type { Operation } from '../types.js';
import { alignActors, formatPercentage, planFeatures } from './plan-features.js';

const brief = (ops: Operation[]) => ops.map((o) => [o.describe, o.payload]);

describe('planFeatures', () => {
  it('sets a percentage of actors in one call, and changes it in one call', () => {
    expect(brief(planFeatures('my_flag', false, { percentage_of_actors: 25 }))).toEqual([
      ['feature set my_flag 25 --actors', { value: '25', key: 'percentage_of_actors' }],
    ]);
    expect(planFeatures('my_flag', { percentage_of_actors: 25 }, { percentage_of_actors: 50 })).toHaveLength(
      1,
    );
    expect(brief(planFeatures('my_flag', undefined, { percentage_of_time: 12.5 }))).toEqual([
      ['feature set my_flag 12.5 --random', { value: '12.5', key: 'percentage_of_time' }],
    ]);
  });

  it('disables a fully-on flag before a percentage', () => {
    expect(brief(planFeatures('my_flag', true, { percentage_of_actors: 25 }))).toEqual([
      ['feature set my_flag false', { value: false }],
      ['feature set my_flag 25 --actors', { value: '25', key: 'percentage_of_actors' }],
    ]);
  });

  it('tells persisted false from nothing persisted', () => {
    expect(brief(planFeatures('my_flag', undefined, false))).toEqual([
      ['feature set my_flag false', { value: false }],
    ]);
    expect(brief(planFeatures('my_flag', false, undefined))).toEqual([
      ['feature delete my_flag', { delete: true }],
    ]);
    expect(planFeatures('my_flag', false, false)).toEqual([]);
    expect(planFeatures('my_flag', undefined, undefined)).toEqual([]);
    expect(planFeatures('my_flag', true, true)).toEqual([]);
    expect(planFeatures('my_flag', { percentage_of_actors: 100 }, true)).toEqual([]);
  });

  it('groups actors into one call, several kinds at once', () => {
    const ops = planFeatures(
      'my_flag',
      { actors: { users: ['luke'] } },
      { actors: { users: ['luke', 'leia', 'han'], projects: ['group/app'] } },
    );
    expect(brief(ops)).toEqual([
      [
        'feature set --user=han,leia --project=group/app my_flag true',
        { value: true, user: 'han,leia', project: 'group/app' },
      ],
    ]);
    expect(ops[0]).toMatchObject({ flag: 'my_flag', action: 'set' });
  });

  it('removes actors and feature groups individually, one feature group per call', () => {
    const ops = planFeatures(
      'my_flag',
      {
        actors: { users: ['luke', 'leia'], groups: ['rebels'] },
        feature_groups: ['a', 'b'],
        percentage_of_actors: 10,
      },
      { actors: { users: ['luke'] }, feature_groups: ['c', 'd'], percentage_of_actors: 10 },
    );
    expect(brief(ops)).toEqual([
      [
        'feature set --user=leia --group=rebels --feature-group=a my_flag false',
        { value: false, user: 'leia', group: 'rebels', feature_group: 'a' },
      ],
      ['feature set --feature-group=b my_flag false', { value: false, feature_group: 'b' }],
      ['feature set --feature-group=c my_flag true', { value: true, feature_group: 'c' }],
      ['feature set --feature-group=d my_flag true', { value: true, feature_group: 'd' }],
    ]);
  });

  it('removes a percentage by disabling and re-adding the rest', () => {
    const ops = planFeatures(
      'my_flag',
      { percentage_of_time: 30, actors: { users: ['luke'] } },
      { actors: { users: ['luke'] } },
    );
    expect(brief(ops)).toEqual([
      ['feature set my_flag false', { value: false }],
      ['feature set --user=luke my_flag true', { value: true, user: 'luke' }],
    ]);
  });

  it('resets to drop an actor it cannot name, or a gate it cannot express', () => {
    const withMarker = planFeatures(
      'my_flag',
      { actors: { users: ['#User:13', 'luke'] } },
      { actors: { users: ['luke'] } },
    );
    expect(withMarker.map((o) => o.describe)).toEqual([
      'feature set my_flag false',
      'feature set --user=luke my_flag true',
    ]);
    const optOut = planFeatures('my_flag', true, true, {
      meta: { on: true, unmanaged: ['User:12:opt_out'] },
    });
    expect(optOut.map((o) => o.describe)).toEqual(['feature set my_flag true']);
    const notFullyOn = planFeatures('my_flag', true, true, { meta: { on: false, unmanaged: [] } });
    expect(notFullyOn.map((o) => o.describe)).toEqual(['feature set my_flag true']);
  });

  it('takes a live group for a desired namespace of the same path', () => {
    expect(
      planFeatures(
        'my_flag',
        { actors: { groups: ['gitlab-org'] } },
        { actors: { namespaces: ['gitlab-org'] } },
      ),
    ).toEqual([]);
    expect(
      planFeatures(
        'my_flag',
        { actors: { groups: ['gitlab-org'] } },
        { actors: { namespaces: ['gitlab-org'], groups: ['gitlab-org'] } },
      ),
    ).toEqual([]);
  });

  it('adds force and the ChatOps environment switch when asked', () => {
    const ops = planFeatures('my_flag', undefined, true, { force: true, env: 'staging' });
    expect(brief(ops)).toEqual([['feature set my_flag true --staging', { value: true, force: true }]]);
    expect(planFeatures('my_flag', true, undefined, { env: 'production' })[0]?.describe).toBe(
      'feature delete my_flag',
    );
  });
});

describe('formatPercentage', () => {
  it('never uses exponent notation', () => {
    expect(formatPercentage(25)).toBe('25');
    expect(formatPercentage(33.33)).toBe('33.33');
    expect(formatPercentage(1e-7)).toBe('0.0000001');
  });
});

describe('alignActors', () => {
  it('a live group stands for a desired namespace; other letter cases take the file\'s spelling', () => {
    expect(
      alignActors(
        { percentage_of_actors: 5, actors: { users: ['alice'], groups: ['empire', 'rebels'], projects: ['empire/tie'] } },
        { percentage_of_actors: 5, actors: { users: ['Alice'], namespaces: ['EMPIRE'], groups: ['rebels'], projects: ['Empire/TIE'] } },
      ),
    ).toEqual({ percentage_of_actors: 5, actors: { users: ['Alice'], groups: ['rebels'], namespaces: ['EMPIRE'], projects: ['Empire/TIE'] } });
  });

  it('leaves entries the file does not name, and unresolved markers, as they are', () => {
    const live = { actors: { users: ['bob', '#User:9'], groups: ['g'] } };
    expect(alignActors(live, { actors: { users: ['alice'], namespaces: ['h'] } })).toBe(live);
  });

  it('one group named both as a group and as a namespace is one live gate', () => {
    expect(alignActors({ actors: { groups: ['g'] } }, { actors: { groups: ['g'], namespaces: ['G'] } })).toEqual({
      actors: { groups: ['g'], namespaces: ['G'] },
    });
  });
});
