/**
 * The simulator's pipelines, branches, commits with actions and merge request creation (what verification uses),
 * against GitLab's rules as the route modules cite them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitlabSim } from './index.js';
import { call, READ_TOKEN, startSim, USER_TOKEN } from './test-helpers.js';

let sim: GitlabSim;
const P = '/projects/group%2Fapp';
const BASE = 'b'.repeat(40);

beforeAll(async () => {
  sim = await startSim();
  sim.addCommit('group/app', { sha: BASE, parents: [], files: { 'flags/a.yml': 'name: a\n' } });
  sim.setBranch('group/app', 'main', BASE);
});
afterAll(async () => {
  expect(sim.unexpected).toEqual([]);
  await sim.close();
});

describe('pipelines', () => {
  it('are created on a ref with variables, refused for a read token or an unknown ref, and take the statuses the test answers', async () => {
    expect((await call(sim, `${P}/pipeline`, { json: { ref: 'main' }, token: READ_TOKEN })).status).toBe(403);
    expect(await call(sim, `${P}/pipeline`, { json: { ref: 'nope' } })).toMatchObject({ status: 400, body: { message: { base: ['Reference not found'] } } });
    expect(await call(sim, `${P}/pipeline`, { json: { ref: 'main', variables: [{ key: 'X' }] } })).toMatchObject({ status: 400, body: { error: 'variables[0][value] is missing' } });
    sim.answerPipelines('group/app', ['running', 'failed']);
    const created = await call(sim, `${P}/pipeline`, { json: { ref: 'main', variables: [{ key: 'FLAGOPS_ENVIRONMENT', value: 'staging' }] }, token: USER_TOKEN });
    expect(created).toMatchObject({ status: 201, body: { status: 'created', ref: 'main', sha: BASE, source: 'api', user: { username: 'luke' } } });
    const id = created.body.id as number;
    expect(created.body.web_url).toBe(`${sim.url}/group/app/-/pipelines/${id}`);
    const reads = [];
    for (let i = 0; i < 3; i++) reads.push((await call(sim, `${P}/pipelines/${id}`)).body.status);
    expect(reads).toEqual(['running', 'failed', 'failed']);
    expect((await call(sim, `${P}/pipelines/${id}/variables`)).body).toEqual([{ key: 'FLAGOPS_ENVIRONMENT', value: 'staging', variable_type: 'env_var' }]);
    expect((await call(sim, `${P}/pipelines/999`)).status).toBe(404);
  });
});

describe('branches and commits', () => {
  it('a commit with actions starts a new branch from start_sha; the files are checked against the start', async () => {
    expect((await call(sim, `${P}/repository/branches/revert-1`)).body).toEqual({ message: '404 Branch Not Found' });
    const commit = (json: Record<string, unknown>) => call(sim, `${P}/repository/commits`, { json: { branch: 'revert-1', commit_message: 'Revert a', ...json } });
    expect((await commit({ actions: [{ action: 'update', file_path: 'flags/a.yml', content: 'x' }] })).body).toEqual({ message: 'You can only create or edit files when you are on a branch' });
    expect((await commit({ start_sha: BASE, start_branch: 'main', actions: [{ action: 'delete', file_path: 'flags/a.yml' }] })).body).toEqual({ error: 'start_branch, start_sha are mutually exclusive' });
    expect((await commit({ start_sha: BASE, actions: [{ action: 'update', file_path: 'flags/b.yml', content: 'x' }] })).body).toEqual({ message: "A file with this name doesn't exist" });
    expect((await commit({ start_sha: BASE, actions: [{ action: 'create', file_path: 'flags/a.yml', content: 'x' }] })).body).toEqual({ message: 'A file with this name already exists' });
    const made = await commit({ start_sha: BASE, actions: [{ action: 'update', file_path: 'flags/a.yml', content: 'name: a\nenvironments: {}\n' }] });
    expect(made).toMatchObject({ status: 201, body: { title: 'Revert a', parent_ids: [BASE] } });
    expect(sim.project('group/app').trees![made.body.id as string]).toEqual({ 'flags/a.yml': 'name: a\nenvironments: {}\n' });
    expect((await call(sim, `${P}/repository/branches/revert-1`)).body.commit.id).toBe(made.body.id);
    expect((await commit({ start_sha: BASE, actions: [{ action: 'delete', file_path: 'flags/a.yml' }] })).body.message).toMatch(/A branch called 'revert-1' already exists/);
  });
});

describe('merge requests', () => {
  it('are opened by the token user from an existing branch, once per source and target, and listed with filters', async () => {
    const open = (json: Record<string, unknown>) => call(sim, `${P}/merge_requests`, { json: { target_branch: 'main', title: 'Revert a', ...json }, token: USER_TOKEN });
    expect(await open({ source_branch: 'nope' })).toMatchObject({ status: 409, body: { message: ['Source branch "nope" does not exist'] } });
    const mr = await open({ source_branch: 'revert-1', description: 'marker', labels: 'flagops::revert' });
    expect(mr).toMatchObject({ status: 201, body: { state: 'opened', source_branch: 'revert-1', author: { username: 'luke' }, labels: ['flagops::revert'] } });
    expect((await open({ source_branch: 'revert-1' })).body).toEqual({ message: [`Another open merge request already exists for this source branch: !${mr.body.iid}`] });
    const luke = sim.state.users.find((u) => u.username === 'luke')!.id;
    expect((await call(sim, `${P}/merge_requests?state=opened&author_id=${luke}&source_branch=revert-1`)).body.map((m: { iid: number }) => m.iid)).toEqual([mr.body.iid]);
    expect((await call(sim, `${P}/merge_requests?state=merged&source_branch=revert-1`)).body).toEqual([]);
    expect((await call(sim, `${P}/merge_requests?author_id=${luke + 100}`)).body).toEqual([]);
  });
});
