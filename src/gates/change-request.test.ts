import { describe, expect, it } from 'vitest';
import type { ChangeManagementConfig } from '../config/types.js';
import type { GitlabPort, Issue, MergeRequest } from '../gitlab/port.js';
import { changeRequestGate, findIssueRefs, issueProblems } from './change-request.js';
import { envConfig, flagChange, gateContext, gitlabError, strictPort } from './test-fixtures.js';
import type { GateContext } from './types.js';

const cm: ChangeManagementConfig = {
  project: 'ops/changes',
  required: 'rollout',
  labels: ['change::approved'],
};
const production = envConfig({ changeManagement: cm });
const change = flagChange();
function mr(description: string, over: Partial<MergeRequest> = {}): MergeRequest {
  return {
    iid: 12,
    projectId: 7,
    title: 'Enable my_flag',
    description,
    state: 'opened',
    webUrl: '',
    mergeCommitSha: null,
    squashCommitSha: null,
    landedSha: null,
    mergedAt: null,
    labels: [],
    ...over,
  };
}
function issue(over: Partial<Issue> = {}): Issue {
  return {
    iid: 12,
    projectId: 99,
    projectPath: 'ops/changes',
    title: 'Enable my_flag in production',
    description: '',
    state: 'opened',
    labels: ['change::approved'],
    webUrl: '',
    ...over,
  };
}
const ctx = (port: GitlabPort, over: Partial<GateContext> = {}): GateContext =>
  gateContext({ env: production, port, mr: { project: 'group/flags', iid: 12 }, ...over });

describe('findIssueRefs', () => {
  const opts = { baseUrl: 'https://gitlab.example.com', project: 'ops/changes' };
  it('finds full URLs (with and without -) and short references of that project only', () => {
    const text = [
      'Change: https://gitlab.example.com/ops/changes/-/issues/12.',
      'Also https://gitlab.example.com/Ops/Changes/issues/13#note_1 and ops/changes#14, (ops/changes#15)',
      'Not: https://gitlab.example.com/ops/changes-old/-/issues/1, group/ops/changes#2, https://other.example.com/ops/changes/-/issues/3',
      'Not: https://gitlab.example.com/ops/changes/-/merge_requests/4, ops/changes!5, #6',
    ].join('\n');
    expect(findIssueRefs(text, opts)).toEqual([12, 13, 14, 15]);
  });
  it('honours a GitLab under a path prefix', () => {
    expect(
      findIssueRefs('https://example.com/gitlab/ops/changes/-/issues/3', {
        baseUrl: 'https://example.com/gitlab/',
        project: 'ops/changes',
      }),
    ).toEqual([3]);
  });
});

describe('issueProblems', () => {
  it('lists what keeps an issue from approving the change', () => {
    expect(issueProblems(issue(), { flag: 'my_flag', labels: ['change::approved'] })).toEqual([]);
    expect(
      issueProblems(
        issue({ state: 'closed', labels: [], title: 'my_flag_v2', description: 'about `my_flag2`' }),
        { flag: 'my_flag', labels: ['change::approved', 'c::b'] },
      ),
    ).toEqual(['is closed', 'lacks the labels change::approved, c::b', 'does not mention my_flag']);
    expect(
      issueProblems(issue({ title: 'x', description: 'Flags: `My_Flag`.' }), { flag: 'my_flag', labels: [] }),
    ).toEqual([]);
  });
});

describe('change-request gate', () => {
  it('passes with a ready issue linked in the MR description', async () => {
    const calls: string[] = [];
    const port = strictPort(
      {
        getMergeRequest: async () => mr('See ops/changes#12'),
        listMergeRequestIssues: async () => [],
        getIssue: async () => issue(),
      },
      calls,
    );
    expect(await changeRequestGate(change, ctx(port))).toEqual([]);
    expect(calls).toEqual([
      'getMergeRequest ["group/flags",12]',
      'listMergeRequestIssues [7,12]',
      'getIssue ["ops/changes",12]',
    ]);
  });

  it('passes with a related issue, recognising its project by id when the path is unknown', async () => {
    const port = strictPort({
      getMergeRequest: async () => mr(''),
      listMergeRequestIssues: async () => [
        issue({ projectPath: undefined }),
        issue({ iid: 3, projectId: 5, projectPath: 'else/where' }),
      ],
      getProject: async () => ({ id: 99, pathWithNamespace: 'ops/changes' }),
    });
    expect(await changeRequestGate(change, ctx(port))).toEqual([]);
  });

  it('fails without a linked issue, saying how to link one', async () => {
    const port = strictPort({
      getMergeRequest: async () => mr('no links'),
      listMergeRequestIssues: async () => [],
    });
    expect(await changeRequestGate(change, ctx(port))).toEqual([
      {
        code: 'change-request/missing',
        severity: 'error',
        file: 'flags/my_flag.yml',
        line: 4,
        column: 3,
        flag: 'my_flag',
        env: 'production',
        message:
          'production: MR !12 links no issue of ops/changes, which production requires as a change request.',
        hint: 'Open an issue in ops/changes that names my_flag, has change::approved, and link it in the MR description (ops/changes#<iid> or its URL).',
      },
    ]);
  });

  it('fails when no linked issue is ready, listing each one', async () => {
    const port = strictPort({
      getMergeRequest: async () =>
        mr('https://gitlab.example.com/ops/changes/-/issues/12 and ops/changes#13'),
      listMergeRequestIssues: async () => [issue({ state: 'closed' })],
      getIssue: async () => {
        throw gitlabError('not-found', 'GitLab found nothing', 404);
      },
    });
    const f = await changeRequestGate(change, ctx(port));
    expect(f[0]?.code).toBe('change-request/not-ready');
    expect(f[0]?.message).toBe(
      'production: the change issues of MR !12 cannot approve this change: ops/changes#12 is closed; ' +
        'ops/changes#13 does not exist or cannot be read with the gitlab token.',
    );
  });

  it('finds the merged MR of a commit outside an MR pipeline', async () => {
    const sha = 'c0ffee0000000000000000000000000000000000';
    const calls: string[] = [];
    const port = strictPort(
      {
        listCommitMergeRequests: async () => [
          mr('', { iid: 3, state: 'closed' }),
          mr('ops/changes#12', { iid: 4, state: 'merged', mergeCommitSha: sha, landedSha: sha }),
        ],
        listMergeRequestIssues: async () => [],
        getIssue: async () => issue(),
      },
      calls,
    );
    expect(
      await changeRequestGate(
        { ...change, commitSha: sha },
        ctx(port, { mr: undefined, flagProject: 'group/flags' }),
      ),
    ).toEqual([]);
    expect(calls[0]).toBe(`listCommitMergeRequests ["group/flags","${sha}"]`);
    const none = strictPort({ listCommitMergeRequests: async () => [] });
    const f = await changeRequestGate(
      { ...change, commitSha: sha },
      ctx(none, { mr: undefined, flagProject: 'group/flags' }),
    );
    expect(f[0]).toMatchObject({
      code: 'change-request/no-merge-request',
      message: expect.stringMatching(/commit c0ffee0, which last changed this flag/),
    });
    const nothing = await changeRequestGate(change, ctx(strictPort({}), { mr: undefined }));
    expect(nothing[0]?.code).toBe('change-request/no-merge-request');
  });

  it('follows required: never / rollout / always', async () => {
    const port = strictPort({ getMergeRequest: async () => mr(''), listMergeRequestIssues: async () => [] });
    const rollback = { ...change, kind: 'rollback' as const, before: true, after: false };
    expect(await changeRequestGate(rollback, ctx(port))).toEqual([]);
    const always = { ...production, changeManagement: { ...cm, required: 'always' as const } };
    const warned = await changeRequestGate(rollback, ctx(port, { env: always }));
    expect(warned.map((x) => [x.code, x.severity])).toEqual([['change-request/missing', 'warning']]);
    const never = { ...production, changeManagement: { ...cm, required: 'never' as const } };
    expect(await changeRequestGate(change, ctx(strictPort({}), { env: never }))).toEqual([]);
  });
});
