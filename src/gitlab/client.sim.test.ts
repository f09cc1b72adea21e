/**
 * The GitLab client against the GitLab simulator (test/gitlab-sim): every port method once, plus
 * retries on injected faults and the token scopes GitLab checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitlabSim, type GitlabSim } from '../../test/gitlab-sim/index.js';
import { GitlabError } from '../errors/errors.js';
import { createGitlabClient } from './client.js';
import type { GitlabPort } from './port.js';

const ADMIN = 'glpat-sim-admin-000000000000';
const READ = 'glpat-sim-reader-00000000000';
const [C1, C2, C3, X1] = ['a1a1a1a1', 'b2b2b2b2', 'c3c3c3c3', 'd4d4d4d4'];

let sim: GitlabSim;
let gitlab: GitlabPort;
const delays: number[] = [];

function clientFor(token: string): GitlabPort {
  return createGitlabClient({
    baseUrl: sim.url,
    token,
    tokenEnv: 'FLAGOPS_GITLAB_TOKEN',
    sleep: async (ms) => void delays.push(ms),
    random: () => 0,
  });
}

beforeAll(async () => {
  sim = await startGitlabSim({
    seed: {
      users: [{ username: 'root', admin: true }, { username: 'luke' }],
      tokens: [
        { token: ADMIN, user: 'root', scopes: ['api'] },
        { token: READ, user: 'luke', scopes: ['read_api'] },
      ],
      groups: [{ path: 'ops' }],
      projects: [
        {
          path: 'group/app',
          commits: [
            { sha: C1, parents: [] },
            { sha: C2, parents: [C1] },
            { sha: C3, parents: [C2] },
            { sha: X1, parents: [] },
          ],
          branches: { main: C3 },
          mergeRequests: [
            {
              iid: 7,
              title: 'Add the flag',
              state: 'merged',
              mergeCommitSha: C2,
              commits: [C2],
              relatedIssues: [{ project: 'ops/changes', iid: 3 }],
              closesIssues: [{ iid: 1 }],
            },
          ],
          issues: [{ iid: 1, title: 'Rollout my_flag' }],
          deployments: [
            { environment: 'gprd', sha: C1, status: 'success', createdAt: '2026-01-01T00:00:00Z' },
            { environment: 'gprd', sha: C3, status: 'success', createdAt: '2026-01-02T00:00:00Z' },
            { environment: 'gprd', sha: C3, status: 'failed', createdAt: '2026-01-03T00:00:00Z' },
          ],
          freezePeriods: [
            { freezeStart: '0 23 * * 5', freezeEnd: '0 7 * * 1', cronTimezone: 'Europe/Paris' },
          ],
          userLists: [{ name: 'testers', userXids: '1,2' }],
          featureFlags: [{ name: 'old-flag', strategies: [{ name: 'default', scopes: ['production'] }] }],
        },
        { path: 'ops/changes', issues: [{ iid: 3, title: 'CR: my_flag', labels: ['change::approved'] }] },
      ],
      features: { my_flag: { percentageOfActors: 10 } },
    },
  });
  gitlab = clientFor(ADMIN);
});

afterAll(async () => {
  expect(sim.unexpected).toEqual([]);
  await sim.close();
});

describe('GitLab client against the simulator', () => {
  it('reads merge requests, their issues and the MRs of a commit', async () => {
    const mr = await gitlab.getMergeRequest('group/app', 7);
    expect(mr).toMatchObject({
      iid: 7,
      state: 'merged',
      mergeCommitSha: C2,
      landedSha: C2,
      title: 'Add the flag',
    });
    const issues = await gitlab.listMergeRequestIssues('group/app', 7);
    expect(issues.map((i) => `${i.projectPath}#${i.iid}`).sort()).toEqual(['group/app#1', 'ops/changes#3']);
    expect((await gitlab.listCommitMergeRequests('group/app', C2)).map((m) => m.iid)).toEqual([7]);
    const issue = await gitlab.getIssue('ops/changes', 3);
    expect(issue).toMatchObject({
      iid: 3,
      state: 'opened',
      labels: ['change::approved'],
      title: 'CR: my_flag',
    });
  });

  it('creates, lists and edits notes', async () => {
    const target = { kind: 'merge_request', project: 'group/app', iid: 7 } as const;
    const note = await gitlab.createNote(target, '<!-- flagops --> plan');
    expect(note).toMatchObject({ body: '<!-- flagops --> plan', authorUsername: 'root' });
    expect((await gitlab.editNote(target, note.id, '<!-- flagops --> applied')).body).toBe(
      '<!-- flagops --> applied',
    );
    const notes = await gitlab.listNotes(target);
    expect(notes.find((n) => n.id === note.id)?.body).toBe('<!-- flagops --> applied');
    const onIssue = await gitlab.createNote({ kind: 'issue', project: 'ops/changes', iid: 3 }, 'done');
    expect(onIssue.body).toBe('done');
  });

  it('creates, finds, edits and links issues; linking twice is no error (409 = linked already)', async () => {
    const made = await gitlab.createIssue('group/app', { title: 'Cleanup my_flag', description: 'v1', labels: ['a'] });
    const me = await gitlab.currentUser();
    const mine = await gitlab.listAuthoredIssues('group/app', { authorId: me.id, labels: [], search: 'my_flag' });
    expect(mine.map((i) => i.iid)).toEqual([made.iid]);
    const edited = await gitlab.updateIssue('group/app', made.iid, { description: 'v2', addLabels: ['b'] });
    expect(edited).toMatchObject({ description: 'v2', labels: ['a', 'b'], state: 'opened' });
    await gitlab.linkIssue('group/app', made.iid, { project: 'ops/changes', iid: 3 });
    await gitlab.linkIssue('group/app', made.iid, { project: 'ops/changes', iid: 3 });
    expect((await gitlab.listIssueLinks('group/app', made.iid)).map((i) => `${i.projectPath}#${i.iid}`)).toEqual(['ops/changes#3']);
    expect((await gitlab.listIssueLinks('ops/changes', 3)).map((i) => i.iid)).toEqual([made.iid]);
    await expect(gitlab.linkIssue('group/app', made.iid, { project: 'ops/changes', iid: 99 })).rejects.toMatchObject({ kind: 'not-found' });
    expect((await gitlab.closeIssue('group/app', made.iid)).state).toBe('closed');
  });

  it('finds the last successful deployment, records one, and computes merge bases', async () => {
    const last = await gitlab.lastSuccessfulDeployment('group/app', 'gprd');
    expect(last).toMatchObject({ sha: C3, status: 'success', environment: 'gprd' });
    expect(await gitlab.lastSuccessfulDeployment('group/app', 'nowhere')).toBeNull();
    const created = await gitlab.createDeployment('group/app', {
      environment: 'flags-production',
      sha: C3,
      ref: 'main',
      status: 'success',
    });
    expect(created).toMatchObject({ sha: C3, ref: 'main', environment: 'flags-production' });
    expect((await gitlab.lastSuccessfulDeployment('group/app', 'flags-production'))?.id).toBe(created.id);
    expect(await gitlab.mergeBase('group/app', [C2, C3])).toBe(C2);
    expect(await gitlab.mergeBase('group/app', [C3, X1])).toBeNull();
    expect((await gitlab.listFreezePeriods('group/app'))[0]).toMatchObject({
      freezeStart: '0 23 * * 5',
      cronTimezone: 'Europe/Paris',
    });
  });

  it('of successful deployments finished at the same instant, the last one is the newest (GitLab orders such ties in no promised way)', async () => {
    const at = '2026-02-02T02:02:02.000Z';
    for (const sha of [C1, C2, C3]) sim.addDeployment('group/app', { environment: 'tied', sha, status: 'success', createdAt: at });
    const ids = sim.project('group/app').deployments.slice(-3).map((d) => d.id);
    sim.addDeployment('group/app', { environment: 'tied', sha: X1, status: 'success', createdAt: '2026-02-01T00:00:00.000Z' });
    expect(await gitlab.lastSuccessfulDeployment('group/app', 'tied')).toMatchObject({ id: ids[2], sha: C3 });
  });

  it('looks up users, projects, groups and namespaces, with null for unknown ones', async () => {
    const luke = await gitlab.getUserByUsername('luke');
    expect(luke?.username).toBe('luke');
    expect(await gitlab.getUserById(luke?.id ?? 0)).toEqual(luke);
    expect(await gitlab.getUserByUsername('nobody')).toBeNull();
    expect((await gitlab.getProject('group/app'))?.pathWithNamespace).toBe('group/app');
    expect(await gitlab.getProject('group/missing')).toBeNull();
    expect((await gitlab.getGroup('ops'))?.fullPath).toBe('ops');
    expect(await gitlab.getNamespace('luke')).toMatchObject({ fullPath: 'luke', kind: 'user' });
    expect(await gitlab.getNamespace('ops')).toMatchObject({ fullPath: 'ops', kind: 'group' });
  });

  it('sets, lists and deletes instance features', async () => {
    expect((await gitlab.listFeatures()).map((f) => f.name)).toContain('my_flag');
    const on = await gitlab.setFeature('new_flag', { value: 25, key: 'percentage_of_actors' });
    expect(on.state).toBe('conditional');
    await gitlab.setFeature('new_flag', { value: true, user: 'luke' });
    await gitlab.deleteFeature('new_flag');
    expect((await gitlab.listFeatures()).map((f) => f.name)).not.toContain('new_flag');
  });

  it('manages project feature flags with camelCase strategy parameters, and user lists', async () => {
    const lists = await gitlab.listUserLists('group/app');
    expect(lists.map((l) => l.name)).toEqual(['testers']);
    const list = await gitlab.createUserList('group/app', { name: 'beta', userXids: '5' });
    expect((await gitlab.updateUserList('group/app', list.iid, { userXids: '5,6' })).userXids).toBe('5,6');
    const flag = await gitlab.createFeatureFlag('group/app', {
      name: 'new-flag',
      description: null,
      active: true,
      strategies: [
        {
          name: 'gradualRolloutUserId',
          parameters: { groupId: 'default', percentage: '25' },
          scopes: [{ environment_scope: 'production' }],
        },
      ],
    });
    const [strategy] = flag.strategies;
    expect(strategy?.parameters).toEqual({ groupId: 'default', percentage: '25' });
    const updated = await gitlab.updateFeatureFlag('group/app', 'new-flag', {
      strategies: [
        { ...strategy!, _destroy: true },
        { name: 'userWithId', parameters: { userIds: '1,2' }, scopes: [{ environment_scope: 'production' }] },
      ],
    });
    expect(updated.strategies.map((s) => [s.name, s.parameters])).toEqual([
      ['userWithId', { userIds: '1,2' }],
    ]);
    expect((await gitlab.listFeatureFlags('group/app')).map((f) => f.name).sort()).toEqual([
      'new-flag',
      'old-flag',
    ]);
    await gitlab.deleteFeatureFlag('group/app', 'new-flag');
    expect((await gitlab.listFeatureFlags('group/app')).map((f) => f.name)).toEqual(['old-flag']);
  });

  it('retries injected faults, honouring Retry-After, and counts every request sent', async () => {
    const fresh = clientFor(ADMIN);
    sim.faults.add({
      method: 'GET',
      path: '/projects/group%2Fapp/merge_requests/7',
      kind: 'status',
      status: 503,
      times: 1,
    });
    sim.faults.add({
      method: 'GET',
      path: '/projects/group%2Fapp/merge_requests/7',
      kind: 'status',
      status: 429,
      retryAfter: 2,
      times: 1,
    });
    sim.faults.add({
      method: 'GET',
      path: '/projects/group%2Fapp/merge_requests/7',
      kind: 'reset',
      times: 1,
    });
    delays.length = 0;
    expect((await fresh.getMergeRequest('group/app', 7)).iid).toBe(7);
    expect(delays[1]).toBe(2000);
    expect(delays).toHaveLength(3);
    expect(fresh.requestCount()).toBe(4);
  });

  it('retries 409 Resource lock (a stale row, nothing saved), not other conflicts', async () => {
    const fresh = clientFor(ADMIN);
    sim.faults.add({ method: 'POST', path: '/features/lock_flag', kind: 'status', status: 409, times: 2 });
    delays.length = 0;
    expect((await fresh.setFeature('lock_flag', { value: true })).name).toBe('lock_flag');
    expect(delays).toHaveLength(2);
    expect(fresh.requestCount()).toBe(3);
  });

  it('turns refusals by scope into auth errors naming the variable and scope', async () => {
    const reader = clientFor(READ);
    const error = await reader.setFeature('my_flag', { value: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitlabError);
    expect(error).toMatchObject({ kind: 'auth', status: 403 });
    expect((error as GitlabError).message).toContain('$FLAGOPS_GITLAB_TOKEN');
    expect((error as GitlabError).message).not.toContain(READ);
    const bad = await clientFor('glpat-wrong-0000000000000')
      .getProject('group/app')
      .catch((e: unknown) => e);
    expect(bad).toMatchObject({ kind: 'auth', status: 401 });
  });
});
