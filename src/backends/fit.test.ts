import { describe, expect, it } from 'vitest';
import { fitFor } from './fit.js';
import { isReservedLicensedFeatureName, licensedFeatureNameCount } from './gitlab-features/licensed-names.js';

const everything = {
  percentage_of_actors: 12.5,
  percentage_of_time: 5,
  actors: {
    users: ['luke'],
    groups: ['rebels'],
    projects: ['rebels/x-wing'],
    namespaces: ['luke'],
    repositories: ['rebels/x-wing.git'],
  },
  feature_groups: ['gitlab_team_members'],
};

describe('fitFor', () => {
  it('file fits everything', () => {
    expect(fitFor('file')(everything, { flag: 'incident_sla' })).toEqual([]);
  });

  it('gitlab-features fits every state (licensed names are licensed-fit.ts\'s matter)', () => {
    expect(fitFor('gitlab-features')(everything, { flag: 'my_flag' })).toEqual([]);
    expect(fitFor('gitlab-features')(true, { flag: 'incident_sla' })).toEqual([]);
    expect(fitFor('gitlab-features')({ actors: { users: ['a,b', '#User:1'] } }, { flag: 'f' })).toHaveLength(
      2,
    );
  });

  it('gitlab-feature-flags names what Unleash strategies cannot say', () => {
    const messages = fitFor('gitlab-feature-flags')(everything, { flag: 'my_flag' });
    expect(messages).toEqual([
      'project feature flags have no groups actors, only user ids',
      'project feature flags have no projects actors, only user ids',
      'project feature flags have no namespaces actors, only user ids',
      'project feature flags have no repositories actors, only user ids',
      'project feature flags have no feature groups',
      'percentage_of_actors 12.5: project feature flags take whole percentages only',
    ]);
    expect(
      fitFor('gitlab-feature-flags')(
        { percentage_of_actors: 25, percentage_of_time: 5, actors: { users: ['luke'] } },
        { flag: 'my_flag' },
      ),
    ).toEqual([]);
    expect(fitFor('gitlab-feature-flags')(true, { flag: '2fa_flag' })).toHaveLength(1);
    expect(
      fitFor('gitlab-feature-flags')({ actors: { users: [' luke'] } }, { flag: 'ok_flag' }),
    ).toHaveLength(1);
  });
});

describe('isReservedLicensedFeatureName', () => {
  it('knows the EE licensed features snapshot', () => {
    expect(isReservedLicensedFeatureName('zentao_issues_integration')).toBe(true);
    expect(isReservedLicensedFeatureName('resource_access_token')).toBe(true);
    expect(isReservedLicensedFeatureName('my_new_flag')).toBe(false);
    // names GitLab added since the 17.x snapshot, and one it dropped that older instances still refuse
    for (const name of ['custom_fields', 'secret_push_protection', 'amazon_q', 'work_item_status', 'service_accounts']) {
      expect(isReservedLicensedFeatureName(name), name).toBe(true);
    }
    expect(licensedFeatureNameCount()).toBe(298);
  });
});
