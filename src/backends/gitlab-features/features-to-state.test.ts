import { describe, expect, it } from 'vitest';
import type { Feature } from '../../gitlab/port.js';
import { featureToLive, featuresMetaOf, flipperIdsOf, parseFlipperId } from './features-to-state.js';

const names = new Map<string, string | null>([
  ['User:12', 'luke'],
  ['Project:278964', 'icbd-trial/integration-trial'],
  ['Group:9970', 'icbd-trial'],
  ['Namespaces::UserNamespace:5', 'luke'],
  ['User:13', null],
]);

function feature(gates: Feature['gates']): Feature {
  return { name: 'my_flag', state: 'conditional', gates };
}

describe('parseFlipperId', () => {
  it('splits class, key, and opt-out', () => {
    expect(parseFlipperId('User:12')).toEqual({ kind: 'users', type: 'User', key: '12', optOut: false });
    expect(parseFlipperId('Namespaces::UserNamespace:5')).toMatchObject({ kind: 'namespaces', key: '5' });
    expect(parseFlipperId('Repository:@hashed/6b/86/6b86b273.git')).toMatchObject({
      kind: 'repositories',
      key: '@hashed/6b/86/6b86b273.git',
    });
    expect(parseFlipperId('Project:7:opt_out')).toMatchObject({ kind: 'projects', key: '7', optOut: true });
    expect(parseFlipperId('FlipperGitlabInstance:gitlab.example.com')).toMatchObject({ kind: undefined });
    expect(parseFlipperId('garbage')).toMatchObject({ kind: undefined, type: '' });
  });
});

describe('featureToLive', () => {
  it('reads on, off and percentages', () => {
    expect(featureToLive(feature([{ key: 'boolean', value: true }]), names)).toEqual({
      state: true,
      meta: { on: true, unmanaged: [] },
    });
    expect(featureToLive(feature([{ key: 'boolean', value: false }]), names).state).toBe(false);
    expect(
      featureToLive(
        feature([
          { key: 'boolean', value: false },
          { key: 'percentage_of_time', value: 100 },
        ]),
        names,
      ).meta.on,
    ).toBe(true);
    const pa = featureToLive(
      feature([
        { key: 'boolean', value: false },
        { key: 'percentage_of_actors', value: '25.5' },
      ]),
      names,
    );
    expect(pa.state).toEqual({ percentage_of_actors: 25.5 });
    // 100% of actors normalises to true, but Flipper does not consider it `on`: the planner still sets true.
    const pa100 = featureToLive(feature([{ key: 'percentage_of_actors', value: 100 }]), names);
    expect(pa100).toEqual({ state: true, meta: { on: false, unmanaged: [] } });
  });

  it('resolves actor ids to names and keeps unresolved ones visible', () => {
    const live = featureToLive(
      feature([
        { key: 'boolean', value: false },
        {
          key: 'actors',
          value: [
            'Project:278964',
            'Group:9970',
            'User:12',
            'Namespaces::UserNamespace:5',
            'User:13',
            'User:14',
          ],
        },
        { key: 'groups', value: ['gitlab_team_members'] },
      ]),
      names,
    );
    expect(live.state).toEqual({
      actors: {
        users: ['#User:13', '#User:14', 'luke'],
        groups: ['icbd-trial'],
        projects: ['icbd-trial/integration-trial'],
        namespaces: ['luke'],
      },
      feature_groups: ['gitlab_team_members'],
    });
    expect(live.meta).toEqual({ on: false, unmanaged: [] });
  });

  it('marks what flagops cannot express as unmanaged', () => {
    const live = featureToLive(
      feature([
        { key: 'boolean', value: true },
        {
          key: 'actors',
          value: [
            'User:12:opt_out',
            'FlipperGitlabInstance:gitlab.example.com',
            'Namespaces::ProjectNamespace:8',
          ],
        },
        { key: 'expression', value: { Equal: [1, 1] } },
        { key: 'percentage_of_time', value: 0 },
      ]),
      names,
    );
    expect(live.state).toBe(true);
    expect(live.meta.unmanaged).toEqual([
      'FlipperGitlabInstance:gitlab.example.com',
      'User:12:opt_out',
      'gate:expression',
    ]);
    const off = featureToLive(
      feature([{ key: 'actors', value: ['User:12:opt_out', 'Namespaces::ProjectNamespace:8'] }]),
      names,
    );
    expect(off.state).toEqual({
      actors: { users: ['#User:12:opt_out'], namespaces: ['#Namespaces::ProjectNamespace:8'] },
    });
  });
});

describe('flipperIdsOf', () => {
  it('lists each resolvable actor id once', () => {
    const features: Feature[] = [
      feature([{ key: 'actors', value: ['User:12', 'Project:1', 'User:12:opt_out'] }]),
      {
        name: 'other',
        state: 'conditional',
        gates: [
          { key: 'actors', value: ['User:12', 'Namespaces::ProjectNamespace:3', 'Repository:g/p.git'] },
        ],
      },
    ];
    expect(flipperIdsOf(features)).toEqual(['Project:1', 'Repository:g/p.git', 'User:12']);
  });
});

describe('featuresMetaOf', () => {
  it('reads meta defensively', () => {
    expect(featuresMetaOf(undefined, true)).toEqual({ on: true, unmanaged: [] });
    expect(featuresMetaOf({ on: false, unmanaged: ['x', 3] }, true)).toEqual({ on: false, unmanaged: ['x'] });
  });
});
