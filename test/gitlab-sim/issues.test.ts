/** Issues written through the API: create, edit (labels replaced, added, removed), list with filters, links. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitlabSim } from './index.js';
import { call, startSim, USER_TOKEN } from './test-helpers.js';

let sim: GitlabSim;
let clock = new Date('2026-03-01T10:00:00Z');
const P = '/projects/group%2Fapp';

beforeAll(async () => {
  sim = await startSim({ now: () => clock });
  sim.addProject({ path: 'ops/tracker' });
  sim.addIssue('group/app', { iid: 1, title: 'Rollout my_flag', labels: ['feature flag', 'group::x'], author: 'luke' });
});
afterAll(() => {
  expect(sim.unexpected).toEqual([]);
  return sim.close();
});

describe('issues', () => {
  it('PUT edits title, description and labels; nothing changed keeps updated_at; no parameter is a 400', async () => {
    const made = await call(sim, `${P}/issues`, { json: { title: 'Cleanup my_flag', description: 'v1', labels: 'a,b' } });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ iid: 2, labels: ['a', 'b'], author: { username: 'root' } });
    clock = new Date('2026-03-01T11:00:00Z');
    const edited = await call(sim, `${P}/issues/2`, { method: 'PUT', json: { description: 'v2', add_labels: 'c,a', remove_labels: 'b' } });
    expect(edited.body).toMatchObject({ description: 'v2', labels: ['a', 'c'], state: 'opened', updated_at: '2026-03-01T11:00:00.000Z' });
    clock = new Date('2026-03-01T12:00:00Z');
    const same = await call(sim, `${P}/issues/2`, { method: 'PUT', json: { description: 'v2', add_labels: 'a' } });
    expect(same.body.updated_at).toBe('2026-03-01T11:00:00.000Z');
    const replaced = await call(sim, `${P}/issues/2`, { method: 'PUT', json: { labels: 'z', title: 'Cleanup my_flag!' } });
    expect(replaced.body).toMatchObject({ labels: ['z'], title: 'Cleanup my_flag!' });
    const none = await call(sim, `${P}/issues/2`, { method: 'PUT', json: {} });
    expect(none.status).toBe(400);
    expect(none.body.error).toContain('at least one parameter must be provided');
    expect((await call(sim, `${P}/issues/2`, { method: 'PUT', json: { title: ' ' } })).status).toBe(400);
    const closed = await call(sim, `${P}/issues/2`, { method: 'PUT', json: { state_event: 'close' } });
    expect(closed.body).toMatchObject({ state: 'closed', closed_at: '2026-03-01T12:00:00.000Z' });
  });

  it('lists by author, title search and labels (ANDed), state all by default', async () => {
    await call(sim, `${P}/issues`, { token: USER_TOKEN, json: { title: 'Cleanup my_flag', labels: 'a' } });
    const root = sim.state.users.find((u) => u.username === 'root')!.id;
    const mine = await call(sim, `${P}/issues?author_id=${root}&search=my_flag&in=title`);
    expect(mine.body.map((i: { iid: number }) => i.iid)).toEqual([2]);
    const all = await call(sim, `${P}/issues?search=cleanup%20my_flag&in=title`);
    expect(all.body.map((i: { iid: number }) => i.iid)).toEqual([3, 2]);
    expect((await call(sim, `${P}/issues?labels=feature%20flag,group::x`)).body.map((i: { iid: number }) => i.iid)).toEqual([1]);
    expect((await call(sim, `${P}/issues?labels=feature%20flag,a`)).body).toEqual([]);
    expect((await call(sim, `${P}/issues?state=opened&search=cleanup&in=title`)).body.map((i: { iid: number }) => i.iid)).toEqual([3]);
  });

  it('links two issues both ways, once; an unknown target is a 404', async () => {
    const other = await call(sim, '/projects/ops%2Ftracker/issues', { json: { title: 'Elsewhere' } });
    const link = await call(sim, `${P}/issues/2/links`, { json: { target_project_id: 'group/app', target_issue_iid: 1 } });
    expect(link.status).toBe(201);
    expect(link.body).toMatchObject({ link_type: 'relates_to', source_issue: { iid: 2 }, target_issue: { iid: 1 } });
    const again = await call(sim, `${P}/issues/1/links`, { json: { target_project_id: sim.project('group/app').id, target_issue_iid: 2 } });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ message: 'Issue(s) already assigned' });
    await call(sim, `${P}/issues/1/links`, { json: { target_project_id: 'ops/tracker', target_issue_iid: other.body.iid, link_type: 'blocks' } });
    const fromRollout = await call(sim, `${P}/issues/1/links`);
    expect(fromRollout.body.map((i: { references: { full: string }; link_type: string }) => `${i.references.full} ${i.link_type}`)).toEqual([
      'group/app#2 relates_to',
      'ops/tracker#1 blocks',
    ]);
    expect(fromRollout.body[0]).toHaveProperty('issue_link_id');
    expect((await call(sim, `${P}/issues/2/links`)).body.map((i: { iid: number }) => i.iid)).toEqual([1]);
    expect((await call(sim, `${P}/issues/2/links`, { json: { target_project_id: 'group/app', target_issue_iid: 99 } })).status).toBe(404);
    expect((await call(sim, `${P}/issues/2/links`, { json: { target_project_id: 'no/such', target_issue_iid: 1 } })).body).toEqual({ message: '404 Project Not Found' });
    expect((await call(sim, `${P}/issues/2/links`, { json: { target_issue_iid: 1 } })).status).toBe(400);
  });
});
