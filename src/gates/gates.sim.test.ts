/**
 * The GitLab gates through the real client (src/gitlab/client.ts) against the GitLab simulator
 * (test/gitlab-sim): a real HTTP server on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitlabSim, type GitlabSim } from '../../test/gitlab-sim/index.js';
import { createGitlabClient } from '../gitlab/client.js';
import type { GitlabPort } from '../gitlab/port.js';
import { runGates } from './run-gates.js';
import { envConfig, flagChange, gateContext } from './test-fixtures.js';
import type { FlagChange, GateContext } from './types.js';

const TOKEN = 'glpat-sim-gates-token-0001';
const sha = (c: string): string => c.repeat(40);
// group/app: a ← b (MR !5 merge commit) ← c (deployed to gprd) ← d (MR !6 merge commit, not deployed)
const [A, B, C, D, SQUASH] = [sha('a'), sha('b'), sha('c'), sha('d'), sha('e')];
const [FLAG_COMMIT, OTHER_COMMIT] = [sha('f'), sha('1')];

let sim: GitlabSim;
let port: GitlabPort;

beforeAll(async () => {
  sim = await startGitlabSim();
  sim.addUser({ username: 'flagops', admin: false });
  sim.addToken(TOKEN, { user: 'flagops', scopes: ['read_api'] });
  sim.addProject({ path: 'group/app' });
  sim.addCommit('group/app', { sha: A, parents: [] });
  sim.addCommit('group/app', { sha: B, parents: [A] });
  sim.addCommit('group/app', { sha: C, parents: [B] });
  sim.addCommit('group/app', { sha: D, parents: [C] });
  sim.addCommit('group/app', { sha: SQUASH, parents: [C] });
  sim.addMergeRequest('group/app', {
    iid: 5,
    state: 'merged',
    mergeCommitSha: B,
    mergedAt: '2026-11-19T10:00:00Z',
  });
  sim.addMergeRequest('group/app', {
    iid: 6,
    state: 'merged',
    mergeCommitSha: D,
    mergedAt: '2026-11-21T09:00:00Z',
  });
  sim.addMergeRequest('group/app', { iid: 7, state: 'opened' });
  sim.addMergeRequest('group/app', {
    iid: 9,
    state: 'merged',
    squashCommitSha: SQUASH,
    mergeCommitSha: null,
    squash: true,
  });
  sim.addDeployment('group/app', {
    environment: 'gprd',
    sha: C,
    status: 'success',
    createdAt: '2026-11-21T10:02:00Z',
  });
  sim.addDeployment('group/app', {
    environment: 'gprd',
    sha: D,
    status: 'failed',
    createdAt: '2026-11-21T11:00:00Z',
  });
  sim.addFreezePeriod('group/app', {
    freezeStart: '0 23 * * 5',
    freezeEnd: '0 7 * * 1',
    cronTimezone: 'Europe/Berlin',
  });

  sim.addProject({ path: 'ops/changes' });
  sim.addIssue('ops/changes', {
    iid: 12,
    title: 'Roll out my_flag to production',
    state: 'opened',
    labels: ['change::approved'],
  });
  sim.addIssue('ops/changes', {
    iid: 13,
    title: 'Roll out my_flag',
    state: 'closed',
    labels: ['change::approved'],
  });

  sim.addProject({ path: 'group/flags' });
  sim.addCommit('group/flags', { sha: FLAG_COMMIT, parents: [] });
  sim.addMergeRequest('group/flags', {
    iid: 20,
    state: 'opened',
    description: 'Change issue: ops/changes#12',
  });
  sim.addMergeRequest('group/flags', { iid: 21, state: 'opened', description: 'nothing linked' });
  sim.addMergeRequest('group/flags', {
    iid: 22,
    state: 'opened',
    relatedIssues: [{ project: 'ops/changes', iid: 13 }],
  });
  sim.addCommit('group/flags', { sha: OTHER_COMMIT, parents: [FLAG_COMMIT] });
  sim.addMergeRequest('group/flags', {
    iid: 23,
    state: 'merged',
    mergeCommitSha: FLAG_COMMIT,
    description: `See ${'ops/changes'}#12`,
  });
  port = createGitlabClient({ baseUrl: sim.url, token: TOKEN, tokenEnv: 'FLAGOPS_GITLAB_TOKEN', retries: 0 });
});

afterAll(async () => {
  await sim?.close();
});

const production = envConfig({
  deployment: { environment: 'gprd' },
  changeManagement: { project: 'ops/changes', required: 'rollout', labels: ['change::approved'] },
  freeze: { project: 'group/app' },
});
const change = (over: Partial<FlagChange> = {}): FlagChange =>
  flagChange({
    after: { percentage_of_actors: 25 },
    desiredByEnv: { staging: true },
    introducedByUrl: `${sim.url}/group/app/-/merge_requests/5`,
    ...over,
  });
const monday = new Date('2026-11-23T12:00:00Z');
const ctx = (over: Partial<GateContext> = {}): GateContext =>
  gateContext({ now: monday, env: production, port, mr: { project: 'group/flags', iid: 20 }, ...over });
const codes = async (changes: FlagChange[], c: GateContext): Promise<string[]> =>
  (await runGates({ changes, ctx: c })).findings.map((f) => `${f.flag}:${f.code}`);

describe('GitLab gates through the client and the simulator', () => {
  it('passes a deployed, approved rollout outside freezes', async () => {
    const { findings, summaries } = await runGates({ changes: [change()], ctx: ctx() });
    expect(findings).toEqual([]);
    expect(summaries[0]?.gates.map((g) => `${g.gate}:${g.status}`)).toEqual([
      'promotion:pass',
      'deployed:pass',
      'change-request:pass',
      'freeze:pass',
    ]);
  });

  it('deployed: not yet deployed, not merged, squash commits, missing deployments', async () => {
    const changes = [
      change({ flag: 'later', introducedByUrl: `${sim.url}/group/app/-/merge_requests/6` }),
      change({ flag: 'open', introducedByUrl: `${sim.url}/group/app/-/merge_requests/7` }),
      change({ flag: 'squashed', introducedByUrl: `${sim.url}/group/app/-/merge_requests/9` }),
      change({ flag: 'missing', introducedByUrl: `${sim.url}/group/app/-/merge_requests/404` }),
    ];
    const { findings } = await runGates({ changes, ctx: ctx() });
    const deployed = findings.filter((f) => f.code.startsWith('deployed'));
    expect(deployed.map((f) => `${f.flag}:${f.code}`)).toEqual([
      'later:deployed/not-deployed',
      'open:deployed/not-merged',
      'squashed:deployed/not-deployed',
      'missing:deployed/mr-not-found',
    ]);
    expect(deployed[0]?.message).toBe(
      'production: MR !6 (merge commit ddddddd) is not yet deployed to gprd (last successful deployment ccccccc at 2026-11-21 10:02 UTC). ' +
        'Wait, or merge now and the scheduled apply enables it once deployed.',
    );
    expect(deployed[2]?.message).toMatch(/MR !9 \(squash commit eeeeeee\)/);
    const noEnv = { ...production, deployment: { environment: 'gstg' } };
    expect(await codes([change()], ctx({ env: noEnv }))).toEqual(['my_flag:deployed/no-deployment']);
  });

  it('change-request: missing, closed, and found from a merged commit', async () => {
    expect(await codes([change()], ctx({ mr: { project: 'group/flags', iid: 21 } }))).toEqual([
      'my_flag:change-request/missing',
    ]);
    const closed = (
      await runGates({ changes: [change()], ctx: ctx({ mr: { project: 'group/flags', iid: 22 } }) })
    ).findings;
    expect(closed.map((f) => f.message)).toEqual([
      'production: the change issue of MR !22 cannot approve this change: ops/changes#13 is closed.',
    ]);
    const apply = ctx({ mr: undefined, flagProject: 'group/flags' });
    expect(await codes([change({ commitSha: FLAG_COMMIT })], apply)).toEqual([]);
    expect(await codes([change({ commitSha: OTHER_COMMIT })], apply)).toEqual([
      'my_flag:change-request/no-merge-request',
    ]);
  });

  it('freeze: holds rollouts during the Berlin weekend freeze, never rollbacks', async () => {
    const saturday = ctx({ now: new Date('2026-11-21T12:00:00Z') });
    const { findings } = await runGates({
      changes: [change(), change({ flag: 'back', kind: 'rollback', before: true, after: false })],
      ctx: saturday,
    });
    expect(findings.map((f) => `${f.flag}:${f.code}`)).toEqual(['my_flag:freeze/active']);
    expect(findings[0]?.message).toMatch(/since 2026-11-20 22:00 UTC\), until 2026-11-23 06:00 UTC/);
  });

  it('shares GitLab lookups across flags', async () => {
    const before = port.requestCount();
    await runGates({ changes: [change(), change({ flag: 'b' }), change({ flag: 'c' })], ctx: ctx() });
    // MR !5, deployment, merge base, flag MR, its issues, issue #12, freeze periods: once each
    expect(port.requestCount() - before).toBeLessThanOrEqual(8);
    expect(sim.unexpected).toEqual([]);
  });
});
