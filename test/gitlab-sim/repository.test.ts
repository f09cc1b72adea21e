import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeBase } from './graph.js';
import type { GitlabSim } from './index.js';
import { call, startSim } from './test-helpers.js';

let sim: GitlabSim;
const P = '/projects/group%2Fapp';

//   a ─ b ─ c ─ m (merge of c and f) ─ g        main
//        \─ e ─ f                               feature
//   x (orphan)
beforeAll(async () => {
  sim = await startSim();
  const commits: [string, string[]][] = [
    ['aaaa0001', []],
    ['bbbb0002', ['aaaa0001']],
    ['cccc0003', ['bbbb0002']],
    ['eeee0005', ['bbbb0002']],
    ['ffff0006', ['eeee0005']],
    ['dddd0004', ['cccc0003', 'ffff0006']],
    ['9999000a', ['dddd0004']],
    ['0bad0bad', []],
  ];
  for (const [sha, parents] of commits) sim.addCommit('group/app', { sha, parents });
  sim.setBranch('group/app', 'main', '9999000a');
  sim.setBranch('group/app', 'feature', 'ffff0006');
  sim.addMergeRequest('group/app', {
    iid: 7,
    state: 'merged',
    commits: ['eeee0005', 'ffff0006'],
    mergeCommitSha: 'dddd0004',
  });
  sim.addMergeRequest('group/app', { iid: 8, state: 'opened', commits: ['1111aaaa'] });
});
afterAll(() => sim.close());

const base = (query: string) => call(sim, `${P}/repository/merge_base?${query}`);

describe('GET /repository/merge_base', () => {
  it('returns the merge base of refs[] (ancestor check: base == first ref)', async () => {
    const deployed = await base('refs[]=dddd0004&refs[]=9999000a');
    expect(deployed.status).toBe(200);
    expect(deployed.body).toMatchObject({ id: 'dddd0004', parent_ids: ['cccc0003', 'ffff0006'] });
    expect((await base('refs[]=ffff0006&refs[]=cccc0003')).body.id).toBe('bbbb0002');
    expect((await base('refs[]=feature&refs[]=main')).body.id).toBe('ffff0006');
    expect((await base('refs[]=eeee&refs[]=main')).body.id).toBe('eeee0005');
  });

  it('plain refs= is one value: 400 "Provide at least 2 refs"', async () => {
    const res = await base('refs=dddd0004&refs=9999000a');
    expect(res).toMatchObject({ status: 400, body: { message: 'Provide at least 2 refs' } });
    expect((await base('refs=dddd0004,9999000a')).body.id).toBe('dddd0004');
    expect((await base('')).body).toEqual({ error: 'refs is missing' });
  });

  it('unknown refs → 400, unrelated histories → 404', async () => {
    expect((await base('refs[]=main&refs[]=missing')).body).toEqual({
      message: 'Could not find ref: missing',
    });
    expect((await base('refs[]=nope&refs[]=missing')).body).toEqual({
      message: 'Could not find refs: nope, missing',
    });
    expect(await base('refs[]=main&refs[]=0bad0bad')).toMatchObject({
      status: 404,
      body: { message: '404 Merge Base Not Found' },
    });
  });

  it('mergeBase picks the best common ancestor', () => {
    const graph = { a: [], b: ['a'], c: ['b'], d: ['b'], e: ['c', 'd'] };
    expect(mergeBase(graph, ['c', 'd'])).toBe('b');
    expect(mergeBase(graph, ['e', 'c'])).toBe('c');
    expect(mergeBase(graph, ['e', 'c', 'd'])).toBe('b');
  });
});

describe('GET /repository/commits/:sha/merge_requests', () => {
  it('finds MRs by their commits and by merge commit', async () => {
    expect(
      (await call(sim, `${P}/repository/commits/ffff0006/merge_requests`)).body.map(
        (m: { iid: number }) => m.iid,
      ),
    ).toEqual([7]);
    expect((await call(sim, `${P}/repository/commits/dddd0004/merge_requests`)).body[0]).toMatchObject({
      iid: 7,
      merge_commit_sha: 'dddd0004',
      state: 'merged',
    });
    expect((await call(sim, `${P}/repository/commits/aaaa0001/merge_requests`)).body).toEqual([]);
    expect((await call(sim, `${P}/repository/commits/abcdef99/merge_requests`)).body).toEqual({
      message: '404 Commit Not Found',
    });
  });
});
