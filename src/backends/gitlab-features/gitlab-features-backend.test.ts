import { describe, expect, it } from 'vitest';
import { GitlabError, LicensedNameError } from '../../errors/errors.js';
import type { GitlabPort, SetFeatureParams } from '../../gitlab/port.js';
import { createGitlabFeaturesBackend } from './gitlab-features-backend.js';

/** Only what execute() touches; everything else is covered against the simulator (*.sim.test.ts). */
function portRefusing(message: string, sent: [string, SetFeatureParams][]): GitlabPort {
  const port: Partial<GitlabPort> = {
    setFeature: async (name, params) => {
      sent.push([name, params]);
      throw new GitlabError('invalid-request', message, {
        status: 400,
        method: 'POST',
        path: `/api/v4/features/${name}`,
      });
    },
  };
  return port as GitlabPort;
}

describe('gitlab-features execute', () => {
  it('turns GitLab refusing a licensed feature name into a typed error', async () => {
    const sent: [string, SetFeatureParams][] = [];
    const b = createGitlabFeaturesBackend({
      port: portRefusing(
        "400 Bad request - The 'incident_sla' is a licensed feature name, and thus it cannot be used as a feature flag name.",
        sent,
      ),
      env: 'production',
    });
    const [op] = b.plan('incident_sla', undefined, true);
    const error = await b.execute(op!).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LicensedNameError);
    expect((error as LicensedNameError).flag).toBe('incident_sla');
    expect(sent).toEqual([['incident_sla', { value: true }]]);
  });

  it('sends force for the listed flags only, and passes other errors through', async () => {
    const sent: [string, SetFeatureParams][] = [];
    const b = createGitlabFeaturesBackend({
      port: portRefusing('luke is not found!', sent),
      env: 'production',
      force: ['my_flag'],
    });
    const [op] = b.plan('my_flag', undefined, { actors: { users: ['luke'] } });
    const error = await b.execute(op!).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitlabError);
    expect(error).not.toBeInstanceOf(LicensedNameError);
    const [other] = b.plan('other_flag', undefined, true);
    expect(other!.payload).toEqual({ value: true });
    await b.execute(other!).catch(() => undefined);
    // a saved plan cannot add force: the config decides
    await b.execute({ ...other!, payload: { value: true, force: true } }).catch(() => undefined);
    expect(sent).toEqual([
      ['my_flag', { value: true, user: 'luke', force: true }],
      ['other_flag', { value: true }],
      ['other_flag', { value: true }],
    ]);
  });

  it('refuses a payload without a value', async () => {
    const b = createGitlabFeaturesBackend({ port: portRefusing('x', []), env: 'production' });
    await expect(
      b.execute({ flag: 'f', action: 'set', describe: 'x', payload: { user: 'luke' } }),
    ).rejects.toThrow(/has no value/);
  });
});
