/**
 * The production-check gate through the real client against the GitLab simulator: blocked by an open severity 1
 * incident and a C2 change in progress (each linked), closed and unlabelled issues ignored, the override label in
 * check (the MR under check) and in apply (the merged MR of the commit), rollbacks never asked about.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitlabSim, type GitlabSim } from '../../test/gitlab-sim/index.js';
import { createGitlabClient } from '../gitlab/client.js';
import type { GitlabPort } from '../gitlab/port.js';
import { runGates } from './run-gates.js';
import { envConfig, flagChange, gateContext } from './test-fixtures.js';

const TOKEN = 'glpat-sim-production-check-01';
const COMMIT = 'c'.repeat(40);
let sim: GitlabSim;
let port: GitlabPort;

beforeAll(async () => {
  sim = await startGitlabSim();
  sim.addUser({ username: 'flagops', admin: false });
  sim.addToken(TOKEN, { user: 'flagops', scopes: ['read_api'] });
  sim.addProject({ path: 'gl-infra/production' });
  sim.addIssue('gl-infra/production', { iid: 1, title: 'Outage', labels: ['incident', 'severity::1'] });
  sim.addIssue('gl-infra/production', { iid: 2, state: 'closed', labels: ['incident', 'severity::2'] });
  sim.addIssue('gl-infra/production', { iid: 3, labels: ['incident', 'severity::3'] });
  sim.addIssue('gl-infra/production', { iid: 4, labels: ['change::in-progress', 'C2'] });
  sim.addIssue('gl-infra/production', { iid: 5, labels: ['change::in-progress', 'C3'] });
  sim.addIssue('gl-infra/production', { iid: 6, labels: ['severity::1'] });
  sim.addProject({ path: 'gl-infra/calm' });
  sim.addIssue('gl-infra/calm', { iid: 1, state: 'closed', labels: ['incident', 'severity::1'] });
  sim.addIssue('gl-infra/calm', { iid: 2, state: 'closed', labels: ['blocks feature-flags'] });
  sim.addIssue('gl-infra/calm', { iid: 3, labels: ['change::complete', 'C1'] });
  sim.addProject({ path: 'group/flags' });
  sim.addCommit('group/flags', { sha: COMMIT, parents: [] });
  sim.addMergeRequest('group/flags', { iid: 1, state: 'opened' });
  sim.addMergeRequest('group/flags', { iid: 2, state: 'opened', labels: ['flagops::ignore-production-check'] });
  sim.addMergeRequest('group/flags', {
    iid: 3,
    state: 'merged',
    mergeCommitSha: COMMIT,
    labels: ['flagops::ignore-production-check'],
  });
  port = createGitlabClient({ baseUrl: sim.url, token: TOKEN, tokenEnv: 'FLAGOPS_GITLAB_TOKEN', retries: 0 });
});
afterAll(async () => {
  await sim?.close();
});

const production = envConfig({ after: null, productionCheck: { project: 'gl-infra/production' } });

describe('production-check gate (simulator)', () => {
  it('holds a rollout during an open severity 1 incident and a C2 change, linking each', async () => {
    const { findings, summaries } = await runGates({
      changes: [flagChange()],
      ctx: gateContext({ env: production, port, flagProject: 'group/flags', mr: { project: 'group/flags', iid: 1 } }),
    });
    expect(findings.map((f) => [f.code, f.severity])).toEqual([['production-check/blocked', 'error']]);
    const message = findings[0]?.message ?? '';
    expect(message).toContain(`gl-infra/production#1 (severity 1 incident) ${sim.url}/gl-infra/production/-/issues/1`);
    expect(message).toContain(`gl-infra/production#4 (C2 change in progress) ${sim.url}/gl-infra/production/-/issues/4`);
    for (const ignored of ['#2', '#3', '#5', '#6']) expect(message).not.toContain(`gl-infra/production${ignored} `);
    expect(findings[0]?.hint).toContain('flagops::ignore-production-check');
    expect(summaries[0]?.gates).toEqual([expect.objectContaining({ gate: 'production-check', status: 'fail' })]);
  });

  it('passes when the blocking issues are closed or not labelled as blocking', async () => {
    const env = envConfig({ after: null, productionCheck: { project: 'gl-infra/calm' } });
    const { findings, summaries } = await runGates({ changes: [flagChange()], ctx: gateContext({ env, port }) });
    expect(findings).toEqual([]);
    expect(summaries[0]?.gates).toEqual([{ gate: 'production-check', status: 'pass' }]);
  });

  it('the override label on the MR under check turns the hold into a warning', async () => {
    const env = envConfig({ after: null, productionCheck: { project: 'gl-infra/production' } });
    const { findings, summaries } = await runGates({
      changes: [flagChange()],
      ctx: gateContext({ env, port, mr: { project: 'group/flags', iid: 2 } }),
    });
    expect(findings.map((f) => [f.code, f.severity])).toEqual([['production-check/overridden', 'warning']]);
    expect(findings[0]?.message).toContain('MR !2 is labelled flagops::ignore-production-check');
    expect(summaries[0]?.gates[0]).toMatchObject({ gate: 'production-check', status: 'pass' });
  });

  it('in apply, the override label of the merged MR that brought the commit counts', async () => {
    const env = envConfig({ after: null, productionCheck: { project: 'gl-infra/production' } });
    const { findings } = await runGates({
      changes: [flagChange({ commitSha: COMMIT })],
      ctx: gateContext({ env, port, flagProject: 'group/flags' }),
    });
    expect(findings.map((f) => [f.code, f.severity])).toEqual([['production-check/overridden', 'warning']]);
    expect(findings[0]?.message).toContain('MR !3');
  });

  it('a rollback always passes, without asking GitLab', async () => {
    const env = envConfig({ after: null, productionCheck: { project: 'gl-infra/production' } });
    const before = port.requestCount();
    const { findings, summaries } = await runGates({
      changes: [flagChange({ before: true, after: false, kind: 'rollback' })],
      ctx: gateContext({ env, port }),
    });
    expect(findings).toEqual([]);
    expect(summaries[0]?.gates).toEqual([{ gate: 'production-check', status: 'skip', message: 'rollback' }]);
    expect(port.requestCount()).toBe(before);
  });

  it('reads every page of open issues, filtered by the labels on the server', async () => {
    sim.addProject({ path: 'gl-infra/busy' });
    for (let iid = 1; iid <= 250; iid += 1)
      sim.addIssue('gl-infra/busy', { iid, labels: iid % 2 === 0 ? ['blocks feature-flags'] : ['other'] });
    sim.addIssue('gl-infra/busy', { iid: 251, state: 'closed', labels: ['blocks feature-flags'] });
    const before = port.requestCount();
    const issues = await port.listOpenIssues('gl-infra/busy', ['blocks feature-flags']);
    expect(issues.map((i) => i.iid).sort((a, b) => a - b)).toEqual(Array.from({ length: 125 }, (_, i) => 2 * (i + 1)));
    expect(port.requestCount() - before).toBe(2); // 100 a page
  });
});
