import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitlabSim } from './index.js';
import { call, startSim } from './test-helpers.js';

let sim: GitlabSim;
const P = '/projects/group%2Fapp';

beforeAll(async () => {
  sim = await startSim({ now: () => new Date('2026-03-01T12:00:00Z') });
  const d = (environment: string, sha: string, status: 'success' | 'failed' | 'running', at: string) =>
    sim.addDeployment('group/app', { environment, sha, status, createdAt: at });
  d('gprd', 'aaa1', 'success', '2026-01-01T10:00:00Z');
  d('gprd', 'bbb2', 'success', '2026-01-03T10:00:00Z');
  d('gprd', 'ccc3', 'failed', '2026-01-04T10:00:00Z');
  d('gstg', 'ddd4', 'success', '2026-01-05T10:00:00Z');
  d('gprd', 'eee5', 'running', '2026-01-06T10:00:00Z');
  sim.addDeployment('group/app', {
    environment: 'gprd',
    sha: 'fff6',
    status: 'success',
    createdAt: '2026-01-02T00:00:00Z',
    finishedAt: '2026-01-02T09:00:00Z',
  });
  sim.addFreezePeriod('group/app', {
    freezeStart: '0 23 * * 5',
    freezeEnd: '0 7 * * 1',
    cronTimezone: 'UTC',
  });
});
afterAll(() => sim.close());

describe('GET /projects/:id/deployments (DeploymentsFinder rules)', () => {
  it('order_by=finished_at without a finished filter → 400', async () => {
    const res = await call(sim, `${P}/deployments?environment=gprd&order_by=finished_at&sort=desc`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      message: '400 Bad request - `finished_at` filter and `finished_at` sorting must be paired',
    });
  });

  it('a finished filter without order_by=finished_at → 400', async () => {
    const res = await call(sim, `${P}/deployments?status=success&finished_after=2020-01-01T00:00:00Z`);
    expect(res.body.message).toBe(
      '400 Bad request - `finished_at` filter and `finished_at` sorting must be paired',
    );
  });

  it('a finished filter needs status=success', async () => {
    const res = await call(sim, `${P}/deployments?order_by=finished_at&finished_after=2020-01-01T00:00:00Z`);
    expect(res.body.message).toBe(
      '400 Bad request - `finished_at` filter must be combined with `success` status filter.',
    );
  });

  it('updated and finished filters together → 400', async () => {
    const res = await call(
      sim,
      `${P}/deployments?status=success&order_by=finished_at&finished_after=2020-01-01T00:00:00Z&updated_after=2020-01-01T00:00:00Z`,
    );
    expect(res.body.message).toBe(
      '400 Bad request - Both `updated_at` filter and `finished_at` filter can not be specified',
    );
  });

  it('the paired query returns the latest successful deployment first', async () => {
    const res = await call(
      sim,
      `${P}/deployments?environment=gprd&status=success&order_by=finished_at&sort=desc&finished_after=2000-01-01T00:00:00Z&per_page=1`,
    );
    expect(res.status).toBe(200);
    expect(res.body.map((d: { sha: string }) => d.sha)).toEqual(['bbb2']);
    expect(res.body[0]).toMatchObject({
      status: 'success',
      ref: 'main',
      environment: { name: 'gprd' },
      deployable: null,
    });
    expect(res.headers.get('x-total')).toBe('3');
  });

  it('default order is id asc; invalid values are Grape errors', async () => {
    const res = await call(sim, `${P}/deployments?environment=gprd`);
    expect(res.body.map((d: { sha: string }) => d.sha)).toEqual(['aaa1', 'bbb2', 'ccc3', 'eee5', 'fff6']);
    expect((await call(sim, `${P}/deployments?status=done`)).body).toEqual({
      error: 'status does not have a valid value',
    });
    expect((await call(sim, `${P}/deployments?order_by=sha`)).body).toEqual({
      error: 'order_by does not have a valid value',
    });
    expect((await call(sim, `${P}/deployments?updated_after=yesterday`)).body).toEqual({
      error: 'updated_after is invalid',
    });
  });
});

describe('POST /projects/:id/deployments', () => {
  it('requires every parameter', async () => {
    const res = await call(sim, `${P}/deployments`, { json: { environment: 'dev' } });
    expect(res.body).toEqual({ error: 'sha is missing, ref is missing, tag is missing, status is missing' });
  });

  it('creates a deployment and its environment; the environment shows last_deployment', async () => {
    const res = await call(sim, `${P}/deployments`, {
      json: { environment: 'flags/dev', sha: '1234abcd', ref: 'main', tag: false, status: 'success' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ sha: '1234abcd', status: 'success', user: { username: 'root' } });
    const envs = await call(sim, `${P}/environments?name=flags%2Fdev`);
    expect(envs.body).toHaveLength(1);
    expect(envs.body[0].last_deployment).toBeUndefined();
    const env = await call(sim, `${P}/environments/${envs.body[0].id}`);
    expect(env.body.last_deployment).toMatchObject({ sha: '1234abcd', status: 'success' });
    expect(env.body.last_deployment.environment).toBeUndefined();
  });

  it('stamps created_at and updated_at from the simulator clock; the API entity has no finished_at', async () => {
    // lib/api/entities/deployment.rb exposes created_at and updated_at only; app/models/deployment.rb sets
    // finished_at when the status becomes a finished one, which the finished_* filters use
    let clock = new Date('2026-05-01T08:00:00Z');
    const own = await startSim({ now: () => clock });
    try {
      const created = await call(own, '/projects/group%2Fapp/deployments', {
        json: { environment: 'flags-staging', sha: 'a1b2c3d4', ref: 'main', tag: false, status: 'running' },
      });
      expect(created.body).toMatchObject({ created_at: '2026-05-01T08:00:00.000Z', updated_at: '2026-05-01T08:00:00.000Z', status: 'running' });
      expect(created.body.finished_at).toBeUndefined();
      clock = new Date('2026-05-01T08:03:00Z');
      const done = await call(own, `/projects/group%2Fapp/deployments/${created.body.id}`, { method: 'PUT', json: { status: 'success' } });
      expect(done.body).toMatchObject({ created_at: '2026-05-01T08:00:00.000Z', updated_at: '2026-05-01T08:03:00.000Z', status: 'success' });
      const finished = await call(
        own,
        '/projects/group%2Fapp/deployments?status=success&order_by=finished_at&sort=desc&finished_before=2026-05-01T08%3A02%3A00Z',
      );
      expect(finished.body).toEqual([]);
    } finally {
      await own.close();
    }
  });

  it('checks refs and shas when the project has a repository', async () => {
    sim.addProject({ path: 'group/repo' });
    sim.addCommit('group/repo', { sha: 'c0ffee01', parents: [] });
    sim.setBranch('group/repo', 'main', 'c0ffee01');
    const base = { environment: 'prod', tag: false, status: 'success' };
    const badRef = await call(sim, '/projects/group%2Frepo/deployments', {
      json: { ...base, sha: 'c0ffee01', ref: 'nope' },
    });
    expect(badRef).toMatchObject({
      status: 400,
      body: { message: { ref: ['The branch or tag does not exist'] } },
    });
    const badSha = await call(sim, '/projects/group%2Frepo/deployments', {
      json: { ...base, sha: 'deadbeef', ref: 'main' },
    });
    expect(badSha.body).toEqual({ message: { sha: ['The commit does not exist'] } });
    expect(sim.project('group/repo').deployments).toHaveLength(0);
  });
});

describe('environments and freeze periods', () => {
  it('last_deployment of an environment is its latest successful one by finish time', async () => {
    const gprd = sim.project('group/app').environments.find((e) => e.name === 'gprd')!;
    const env = await call(sim, `${P}/environments/${gprd.id}`);
    expect(env.body).toMatchObject({ name: 'gprd', tier: 'production', last_deployment: { sha: 'bbb2' } });
    expect((await call(sim, `${P}/environments?name=gprd&search=gpr`)).body).toEqual({
      error: 'name, search cannot be used together',
    });
    expect((await call(sim, `${P}/environments?search=gs`)).status).toBe(400);
    expect(
      (await call(sim, `${P}/environments?search=gst`)).body.map((e: { name: string }) => e.name),
    ).toEqual(['gstg']);
  });

  it('lists freeze periods', async () => {
    const res = await call(sim, `${P}/freeze_periods`);
    expect(res.body).toEqual([
      expect.objectContaining({ freeze_start: '0 23 * * 5', freeze_end: '0 7 * * 1', cron_timezone: 'UTC' }),
    ]);
  });
});

describe('ties (app/finders/deployments_finder.rb optimize_sort_params!)', () => {
  let own: GitlabSim;
  const at = '2026-04-01T10:00:00.000Z';
  beforeAll(async () => {
    own = await startSim({ now: () => new Date('2026-04-02T00:00:00Z') });
    for (const sha of ['a0a0', 'b1b1', 'c2c2']) own.addDeployment('group/app', { environment: 'gprd', sha, status: 'success', createdAt: at });
  });
  afterAll(() => own.close());
  const shas = async (query: string) =>
    ((await call(own, `${P}/deployments?environment=gprd&${query}`)).body as { sha: string }[]).map((d) => d.sha);

  it('updated_at ties break by id in the sort direction, asc and desc', async () => {
    const filter = 'updated_after=2026-01-01T00%3A00%3A00Z&order_by=updated_at';
    expect(await shas(`${filter}&sort=asc`)).toEqual(['a0a0', 'b1b1', 'c2c2']);
    expect(await shas(`${filter}&sort=desc`)).toEqual(['c2c2', 'b1b1', 'a0a0']);
    expect(await shas('order_by=updated_at&sort=asc')).toEqual(['a0a0', 'b1b1', 'c2c2']);
  });

  it('finished_at has no tie-breaker in GitLab: ties come back against the sort direction', async () => {
    const filter = 'status=success&order_by=finished_at&finished_after=2026-01-01T00%3A00%3A00Z';
    expect(await shas(`${filter}&sort=desc`)).toEqual(['a0a0', 'b1b1', 'c2c2']);
    expect(await shas(`${filter}&sort=asc`)).toEqual(['c2c2', 'b1b1', 'a0a0']);
  });

  it('created_at and iid sort as id, which has no ties', async () => {
    expect(await shas('order_by=created_at&sort=desc')).toEqual(['c2c2', 'b1b1', 'a0a0']);
    expect(await shas('order_by=iid&sort=asc')).toEqual(['a0a0', 'b1b1', 'c2c2']);
  });
});
