import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitlabSim } from './index.js';
import { closingReferences, issueReferences } from './references.js';
import { call, startSim, USER_TOKEN } from './test-helpers.js';

let sim: GitlabSim;
let clock = new Date('2026-02-01T10:00:00Z');
const P = '/projects/group%2Fapp';

beforeAll(async () => {
  sim = await startSim({ now: () => clock });
  sim.addProject({ path: 'ops/changes' });
  sim.addIssue('ops/changes', { iid: 5, title: 'Change: enable my_flag', labels: ['change::approved'] });
  sim.addIssue('ops/changes', { iid: 6, state: 'closed' });
  sim.addIssue('group/app', { iid: 12, title: 'Rollout my_flag' });
  sim.addIssue('group/app', { iid: 13 });
  sim.addMergeRequest('group/app', {
    iid: 75,
    state: 'merged',
    title: 'Add my_flag',
    description: `Closes #12. See ${'http://gitlab.example.com'}/ops/changes/-/issues/6 too.`,
    mergeCommitSha: 'abc123',
    squashCommitSha: 'def456',
    squash: true,
  });
  sim.linkIssueToMr('group/app', 75, { project: 'ops/changes', iid: 5 });
});
afterAll(() => sim.close());

describe('merge requests and issues', () => {
  it('GET merge request has GitLab fields', async () => {
    const res = await call(sim, `${P}/merge_requests/75`);
    expect(res.body).toMatchObject({
      iid: 75,
      state: 'merged',
      merge_commit_sha: 'abc123',
      squash_commit_sha: 'def456',
      squash: true,
      web_url: `${sim.url}/group/app/-/merge_requests/75`,
      references: { full: 'group/app!75' },
    });
    expect(typeof res.body.merged_at).toBe('string');
    expect((await call(sim, `${P}/merge_requests/999`)).body).toEqual({ message: '404 Not found' });
    expect((await call(sim, '/projects/nope%2Fnope/merge_requests/1')).body).toEqual({
      message: '404 Project Not Found',
    });
  });

  it('an opened MR has no merge commit', async () => {
    sim.addMergeRequest('group/app', { iid: 76, state: 'opened', mergeCommitSha: 'zzz' });
    expect((await call(sim, `${P}/merge_requests/76`)).body).toMatchObject({
      merge_commit_sha: null,
      merged_at: null,
    });
  });

  it('related_issues and closes_issues', async () => {
    const related = await call(sim, `${P}/merge_requests/75/related_issues`);
    expect(related.body.map((i: { references: { full: string } }) => i.references.full)).toEqual([
      'ops/changes#5',
      'group/app#12',
      'ops/changes#6',
    ]);
    const closes = await call(sim, `${P}/merge_requests/75/closes_issues`);
    expect(closes.body.map((i: { iid: number }) => i.iid)).toEqual([12]);
  });

  it('GET issue has labels, state, web_url and references.full', async () => {
    const res = await call(sim, '/projects/ops%2Fchanges/issues/5');
    expect(res.body).toMatchObject({
      iid: 5,
      state: 'opened',
      labels: ['change::approved'],
      web_url: `${sim.url}/ops/changes/-/issues/5`,
      references: { full: 'ops/changes#5', short: '#5' },
    });
  });

  it('reference extraction', () => {
    expect(issueReferences('see #1, a/b#2 and https://h.example/x/y/z/-/issues/3 but not &4 or a#b')).toEqual(
      [
        { project: undefined, iid: 1 },
        { project: 'a/b', iid: 2 },
        { project: 'x/y/z', iid: 3 },
      ],
    );
    expect(closingReferences('Fixes #1 and a/b#2, resolves #3. Mentions #4')).toEqual([
      { project: undefined, iid: 1 },
      { project: 'a/b', iid: 2 },
      { project: undefined, iid: 3 },
    ]);
  });
});

describe('notes', () => {
  it('one note, edited in place', async () => {
    const created = await call(sim, `${P}/merge_requests/75/notes`, { json: { body: 'plan v1' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      body: 'plan v1',
      noteable_type: 'MergeRequest',
      noteable_iid: 75,
      system: false,
    });
    clock = new Date('2026-02-01T11:00:00Z');
    const edited = await call(sim, `${P}/merge_requests/75/notes/${created.body.id}`, {
      method: 'PUT',
      json: { body: 'plan v2' },
    });
    expect(edited.body).toMatchObject({
      id: created.body.id,
      body: 'plan v2',
      created_at: '2026-02-01T10:00:00.000Z',
      updated_at: '2026-02-01T11:00:00.000Z',
    });
    const list = await call(sim, `${P}/merge_requests/75/notes`);
    expect(list.body).toHaveLength(1);
    expect(list.body[0].body).toBe('plan v2');
  });

  it('lists newest first and paginates; others cannot edit your note', async () => {
    for (const body of ['one', 'two', 'three']) {
      clock = new Date(clock.getTime() + 1000);
      await call(sim, '/projects/ops%2Fchanges/issues/5/notes', { json: { body } });
    }
    const page = await call(sim, '/projects/ops%2Fchanges/issues/5/notes?per_page=2');
    expect(page.body.map((n: { body: string }) => n.body)).toEqual(['three', 'two']);
    expect(page.headers.get('x-next-page')).toBe('2');
    const asc = await call(sim, '/projects/ops%2Fchanges/issues/5/notes?sort=asc');
    expect(asc.body.map((n: { body: string }) => n.body)).toEqual(['one', 'two', 'three']);
    const id = asc.body[0].id;
    const other = await call(sim, `/projects/ops%2Fchanges/issues/5/notes/${id}`, {
      method: 'PUT',
      token: USER_TOKEN,
      json: { body: 'x' },
    });
    expect(other.status).toBe(403);
    expect((await call(sim, '/projects/ops%2Fchanges/issues/5/notes', { json: { body: '  ' } })).status).toBe(
      400,
    );
    expect((await call(sim, '/projects/ops%2Fchanges/issues/5/notes', { json: {} })).body).toEqual({
      error: 'body is missing',
    });
  });

  it('notes mentioning an issue make it related', async () => {
    await call(sim, `${P}/merge_requests/76/notes`, { json: { body: 'change request: ops/changes#5' } });
    const related = await call(sim, `${P}/merge_requests/76/related_issues`);
    expect(related.body.map((i: { iid: number }) => i.iid)).toEqual([5]);
  });
});
