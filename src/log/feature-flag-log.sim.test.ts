/**
 * The feature-flag log through the real client against the GitLab simulator: one closed issue per change with its
 * labels and facts, never a second on a re-run, and an issue by anyone but flagops' user never trusted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGitlabSim, type GitlabSim } from '../../test/gitlab-sim/index.js';
import { createGitlabClient } from '../gitlab/client.js';
import type { GitlabPort } from '../gitlab/port.js';
import { logChanges, logMarker, type LoggedChange } from './feature-flag-log.js';

const TOKEN = 'glpat-sim-flag-log-token-01';
const COMMIT = 'a'.repeat(40);
let sim: GitlabSim;
let port: GitlabPort;

beforeAll(async () => {
  sim = await startGitlabSim();
  sim.addUser({ username: 'flagops', admin: false });
  sim.addUser({ username: 'mallory', admin: false });
  sim.addToken(TOKEN, { user: 'flagops', scopes: ['api'] });
  sim.addProject({ path: 'gl-infra/feature-flag-log' });
  port = createGitlabClient({ baseUrl: sim.url, token: TOKEN, tokenEnv: 'FLAGOPS_GITLAB_TOKEN', retries: 0 });
});
afterAll(async () => {
  await sim?.close();
});

const change: LoggedChange = {
  flag: 'my_flag',
  env: 'production',
  before: false,
  after: true,
  flagType: 'beta',
  group: 'group::compliance',
  mr: { iid: 7, webUrl: 'https://gitlab.example.com/group/flags/-/merge_requests/7', mergedBy: 'alice' },
  warnings: ['production: the production check of gl-infra/production fails: … MR !7 is labelled flagops::ignore-production-check'],
};
const opts = { port: undefined as unknown as GitlabPort, project: 'gl-infra/feature-flag-log', commit: COMMIT, pipelineUrl: 'https://gitlab.example.com/group/flags/-/pipelines/99' };

async function issues(): Promise<{ iid: number; state: string; title: string; description: string; labels: string[]; author: { username: string } }[]> {
  const res = await fetch(`${sim.url}/api/v4/projects/gl-infra%2Ffeature-flag-log/issues?per_page=100`, { headers: { 'PRIVATE-TOKEN': TOKEN } });
  return (await res.json()) as never;
}

describe('feature-flag log (simulator)', () => {
  it('opens one issue per change and closes it at once, naming the change', async () => {
    const r = await logChanges({ ...opts, port, changes: [change] });
    expect(r.findings).toEqual([]);
    const [issue, ...rest] = await issues();
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({
      state: 'closed',
      title: 'Feature flag my_flag in production: off → on',
      labels: ['env::production', 'flag-type::beta', 'group::compliance'],
      author: { username: 'flagops' },
    });
    for (const text of ['!7 https://gitlab.example.com/group/flags/-/merge_requests/7', '@alice', '/pipelines/99', COMMIT, 'flagops::ignore-production-check'])
      expect(issue?.description).toContain(text);
  });

  it('a re-run makes no second issue', async () => {
    const before = (await issues()).length;
    const r = await logChanges({ ...opts, port, changes: [change] });
    expect(r).toEqual({ findings: [], created: [] });
    expect((await issues()).length).toBe(before);
  });

  it('trusts no issue written by another user, whatever marker it copies', async () => {
    const other: LoggedChange = { ...change, after: { percentage_of_actors: 50 }, env: 'staging' };
    sim.addIssue('gl-infra/feature-flag-log', {
      iid: 500,
      title: 'Feature flag my_flag in staging',
      description: logMarker(other, COMMIT),
      labels: ['env::staging'],
      author: 'mallory',
    });
    const r = await logChanges({ ...opts, port, changes: [other] });
    expect(r.created).toHaveLength(1);
    const mine = (await issues()).filter((i) => i.author.username === 'flagops' && i.labels.includes('env::staging'));
    expect(mine.map((i) => i.state)).toEqual(['closed']);
  });

  it('a new state of the same flag is a new entry', async () => {
    const r = await logChanges({ ...opts, port, changes: [{ ...change, before: true, after: false }] });
    expect(r.created).toHaveLength(1);
  });
});
