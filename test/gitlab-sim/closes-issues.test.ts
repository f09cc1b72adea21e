/**
 * `GET /projects/:id/merge_requests/:iid/closes_issues` as GitLab computes it (app/models/merge_request.rb
 * `closes_issues` / `cache_merge_request_closes_issues!`, lib/gitlab/closing_issue_extractor.rb): closing
 * references in the title, description and commit messages, only for an MR into the default branch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitlabSim } from './index.js';
import { call, startSim } from './test-helpers.js';

let sim: GitlabSim;
const P = '/projects/group%2Fapp';
const iids = async (path: string) => ((await call(sim, path)).body as { iid: number }[]).map((i) => i.iid);

beforeAll(async () => {
  sim = await startSim();
  for (const iid of [1, 2, 3, 4, 5, 6]) sim.addIssue('group/app', { iid });
  sim.addCommit('group/app', { sha: 'c0c0c0c0', parents: [] });
  sim.addCommit('group/app', { sha: 'c1c1c1c1', parents: ['c0c0c0c0'], message: 'Add the flag\n\nFixes #2, mentions #3\n' });
  sim.addCommit('group/app', { sha: 'c2c2c2c2', parents: ['c1c1c1c1'], message: 'Tidy up\n\nResolves #4' });
  sim.setBranch('group/app', 'main', 'c0c0c0c0');
  const mr = { state: 'opened' as const, description: 'Closes #1', commits: ['c1c1c1c1', 'c2c2c2c2'] };
  sim.addMergeRequest('group/app', { iid: 10, ...mr });
  sim.addMergeRequest('group/app', { iid: 11, ...mr, targetBranch: 'release-1' });
  sim.addMergeRequest('group/app', { iid: 12, ...mr, targetBranch: 'release-1', closesIssues: [{ iid: 6 }] });
  sim.addMergeRequest('group/app', { iid: 13, state: 'merged', title: 'Implements #5', commits: ['c0c0c0c0'], mergeCommitSha: 'c0c0c0c0' });
});
afterAll(() => sim.close());

describe('closes_issues', () => {
  it('into the default branch: closing references of the description and of every commit message', async () => {
    expect(await iids(`${P}/merge_requests/10/closes_issues`)).toEqual([1, 2, 4]);
  });

  it('and of the title', async () => {
    expect(await iids(`${P}/merge_requests/13/closes_issues`)).toEqual([5]);
  });

  it('into another branch: none extracted, whatever the description and commits say', async () => {
    expect(await iids(`${P}/merge_requests/11/closes_issues`)).toEqual([]);
  });

  it('a closing link made by hand is listed whatever the branch', async () => {
    expect(await iids(`${P}/merge_requests/12/closes_issues`)).toEqual([6]);
  });

  it('related_issues reads the commit messages too, and ignores the branch', async () => {
    expect(await iids(`${P}/merge_requests/11/related_issues`)).toEqual([1, 2, 3, 4]);
  });

  it('the commit API shows the stored message', async () => {
    const res = await call(sim, `${P}/repository/merge_base?refs[]=c2c2c2c2&refs[]=c1c1c1c1`);
    expect(res.body).toMatchObject({ id: 'c1c1c1c1', title: 'Add the flag', message: 'Add the flag\n\nFixes #2, mentions #3\n' });
  });
});

describe('closes_issues when the default branch is not main', () => {
  it('an MR into main of a project whose default branch is trunk closes nothing', async () => {
    sim.addProject({ path: 'group/trunky', defaultBranch: 'trunk' });
    sim.addIssue('group/trunky', { iid: 1 });
    sim.addMergeRequest('group/trunky', { iid: 1, state: 'opened', description: 'Closes #1', targetBranch: 'main' });
    sim.addMergeRequest('group/trunky', { iid: 2, state: 'opened', description: 'Closes #1' });
    expect(await iids('/projects/group%2Ftrunky/merge_requests/1/closes_issues')).toEqual([]);
    expect(await iids('/projects/group%2Ftrunky/merge_requests/2/closes_issues')).toEqual([1]);
  });
});
