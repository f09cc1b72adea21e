import { describe, expect, it } from 'vitest';
import type { Deployment, GitlabPort, MergeRequest } from '../gitlab/port.js';
import { createMemo } from './common.js';
import { deployedGate, parseMergeRequestUrl } from './deployed.js';
import { envConfig, flagChange, gateContext, gitlabError, strictPort } from './test-fixtures.js';
import type { GateContext } from './types.js';

const LANDED = '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b';
const DEPLOYED = '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432';

function mr(over: Partial<MergeRequest> = {}): MergeRequest {
  return {
    iid: 5,
    projectId: 42,
    title: 'Add code',
    description: '',
    state: 'merged',
    webUrl: 'https://gitlab.example.com/group/app/-/merge_requests/5',
    mergeCommitSha: LANDED,
    squashCommitSha: null,
    landedSha: LANDED,
    mergedAt: '2026-11-20T00:00:00Z',
    labels: [],
    ...over,
  };
}
const deployment: Deployment = {
  id: 1,
  sha: DEPLOYED,
  ref: 'main',
  status: 'success',
  environment: 'gprd',
  finishedAt: '2026-11-21T10:02:00Z',
  createdAt: '2026-11-21T09:00:00Z',
};
const production = envConfig({ deployment: { environment: 'gprd' } });
const change = flagChange({ introducedByUrl: 'https://gitlab.example.com/group/sub/app/-/merge_requests/5' });
const ctx = (port: GitlabPort, env = production): GateContext => gateContext({ env, port });
/** MR !5 merged, deployed to gprd, its merge commit an ancestor of the deployment. */
const deployedPort = (calls: string[]): GitlabPort =>
  strictPort(
    {
      getMergeRequest: async () => mr(),
      lastSuccessfulDeployment: async () => deployment,
      mergeBase: async () => LANDED,
    },
    calls,
  );

describe('parseMergeRequestUrl', () => {
  const base = 'https://gitlab.example.com';
  it('reads project path and iid', () => {
    expect(
      parseMergeRequestUrl('https://gitlab.example.com/group/sub/project/-/merge_requests/123', base),
    ).toEqual({ project: 'group/sub/project', iid: 123 });
    expect(
      parseMergeRequestUrl('https://gitlab.example.com/g/p/-/merge_requests/7/diffs#note_1', base),
    ).toEqual({ project: 'g/p', iid: 7 });
    expect(parseMergeRequestUrl('https://GitLab.example.com/g/p/merge_requests/8', base)).toEqual({
      project: 'g/p',
      iid: 8,
    });
    expect(
      parseMergeRequestUrl(
        'https://example.com/gitlab/g/p/-/merge_requests/9',
        'https://example.com/gitlab/',
      ),
    ).toEqual({ project: 'g/p', iid: 9 });
  });
  it('refuses other hosts, issues and junk', () => {
    expect(parseMergeRequestUrl('https://gitlab.com/g/p/-/merge_requests/1', base)).toEqual({
      error:
        'https://gitlab.com/g/p/-/merge_requests/1 is not on gitlab.example.com, the GitLab flagops checks deployments on',
    });
    expect(parseMergeRequestUrl('https://gitlab.example.com/g/p/-/issues/1', base)).toMatchObject({
      error: expect.stringMatching(/is an issue/),
    });
    expect(parseMergeRequestUrl('not a url', base)).toMatchObject({
      error: expect.stringMatching(/is not a URL/),
    });
    expect(
      parseMergeRequestUrl('https://example.com/other/g/p/-/merge_requests/9', 'https://example.com/gitlab'),
    ).toHaveProperty('error');
  });
});

describe('deployed gate', () => {
  it('passes when the merge commit is an ancestor of the last deployment', async () => {
    const calls: string[] = [];
    const port = deployedPort(calls);
    expect(await deployedGate(change, ctx(port))).toEqual([]);
    expect(calls).toEqual([
      'getMergeRequest ["group/sub/app",5]',
      'lastSuccessfulDeployment ["group/sub/app","gprd"]',
      `mergeBase ["group/sub/app",["${LANDED}","${DEPLOYED}"]]`,
    ]);
  });

  it('says when the merge commit is not deployed yet', async () => {
    const port = strictPort({
      getMergeRequest: async () => mr(),
      lastSuccessfulDeployment: async () => deployment,
      mergeBase: async () => 'abc',
    });
    expect(await deployedGate(change, ctx(port))).toEqual([
      {
        code: 'deployed/not-deployed',
        severity: 'error',
        file: 'flags/my_flag.yml',
        line: 4,
        column: 3,
        flag: 'my_flag',
        env: 'production',
        message:
          'production: MR !5 (merge commit 1a2b3c4) is not yet deployed to gprd (last successful deployment 9f8e7d6 at 2026-11-21 10:02 UTC). ' +
          'Wait, or merge now and the scheduled apply enables it once deployed.',
      },
    ]);
  });

  it('uses deployment.project and names a squash commit; an unknown commit there is not deployed', async () => {
    const calls: string[] = [];
    const port = strictPort(
      {
        getMergeRequest: async () => mr({ squashCommitSha: LANDED, mergeCommitSha: null }),
        lastSuccessfulDeployment: async () => deployment,
        mergeBase: async () => {
          throw gitlabError('invalid-request', 'GitLab refused GET …: Could not find ref', 400);
        },
      },
      calls,
    );
    const env = { ...production, deployment: { environment: 'gprd', project: 'ops/deploy' } };
    const f = await deployedGate(change, ctx(port, env));
    expect(f[0]?.message).toMatch(
      /^production: MR group\/sub\/app!5 \(squash commit 1a2b3c4\) is not yet deployed to gprd/,
    );
    expect(calls[1]).toBe('lastSuccessfulDeployment ["ops/deploy","gprd"]');
  });

  it('reports a missing deployment, an unmerged or closed MR, and a missing MR', async () => {
    const noDeploy = strictPort({
      getMergeRequest: async () => mr(),
      lastSuccessfulDeployment: async () => null,
    });
    expect((await deployedGate(change, ctx(noDeploy)))[0]?.message).toBe(
      'production: gprd of group/sub/app has no successful deployment yet, so MR !5 (merge commit 1a2b3c4) is not deployed there.',
    );
    const open = strictPort({ getMergeRequest: async () => mr({ state: 'opened', landedSha: null }) });
    expect((await deployedGate(change, ctx(open)))[0]).toMatchObject({
      code: 'deployed/not-merged',
      message: expect.stringMatching(/is not merged yet/),
    });
    const closed = strictPort({ getMergeRequest: async () => mr({ state: 'closed', landedSha: null }) });
    expect((await deployedGate(change, ctx(closed)))[0]?.hint).toMatch(/did merge the code/);
    const missing = strictPort({
      getMergeRequest: async () => {
        throw gitlabError('not-found', 'GitLab found nothing', 404);
      },
    });
    expect((await deployedGate(change, ctx(missing)))[0]?.code).toBe('deployed/mr-not-found');
  });

  it('asks for introduced_by_url, on the right GitLab', async () => {
    const port = strictPort({});
    const none = await deployedGate({ ...change, introducedByUrl: undefined }, ctx(port));
    expect(none[0]).toMatchObject({
      code: 'deployed/no-introduced-by-url',
      hint: expect.stringMatching(/^Add introduced_by_url: https:\/\/gitlab\.example\.com\//),
    });
    const foreign = await deployedGate(
      { ...change, introducedByUrl: 'https://gitlab.com/g/p/-/merge_requests/1' },
      ctx(port),
    );
    expect(foreign[0]?.code).toBe('deployed/invalid-url');
  });

  it('lets GitLab failures propagate, skips rollbacks and shares lookups through the memo', async () => {
    const failing = strictPort({
      getMergeRequest: async () => {
        throw gitlabError('remote', 'GitLab failed to answer: 503', 503);
      },
    });
    await expect(deployedGate(change, ctx(failing))).rejects.toThrow(/503/);
    expect(await deployedGate({ ...change, kind: 'rollback' }, ctx(strictPort({})))).toEqual([]);
    const calls: string[] = [];
    const port = deployedPort(calls);
    const shared = { ...ctx(port), memo: createMemo() };
    await Promise.all([deployedGate(change, shared), deployedGate({ ...change, flag: 'other' }, shared)]);
    expect(calls).toHaveLength(3);
  });
});
