import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitlabSim } from './index.js';
import { ADMIN_TOKEN, call, READ_TOKEN, startSim } from './test-helpers.js';

let sim: GitlabSim;
const P = '/projects/group%2Fapp';

beforeAll(async () => {
  sim = await startSim();
  sim.addToken('glpat-revoked-000000', { user: 'luke', scopes: ['api'], revoked: true });
  for (let i = 1; i <= 45; i += 1)
    sim.addDeployment('group/app', { environment: 'dev', sha: `sha${i}`, status: 'success' });
});
afterAll(() => sim.close());

describe('authentication', () => {
  it('missing or unknown token → 401', async () => {
    expect(await call(sim, '/user', { token: null })).toMatchObject({
      status: 401,
      body: { message: '401 Unauthorized' },
    });
    expect(await call(sim, '/user', { token: 'glpat-unknown' })).toMatchObject({
      status: 401,
      body: { message: '401 Unauthorized' },
    });
    expect((await call(sim, '/user', { token: 'glpat-revoked-000000' })).body).toEqual({
      error: 'invalid_token',
      error_description: 'Token was revoked. You have to re-authorize from the user.',
    });
  });

  it('accepts PRIVATE-TOKEN, Bearer and private_token', async () => {
    const bearer = await fetch(`${sim.url}/api/v4/user`, {
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(((await bearer.json()) as { username: string }).username).toBe('root');
    const query = await fetch(`${sim.url}/api/v4/user?private_token=${ADMIN_TOKEN}`);
    expect(query.status).toBe(200);
    const logged = sim.requests[sim.requests.length - 1]!;
    expect(logged).toMatchObject({
      path: '/api/v4/user',
      status: 200,
      token: 'redacted',
      query: { private_token: 'redacted' },
    });
    expect(JSON.stringify(sim.requests)).not.toContain(ADMIN_TOKEN);
  });

  it('read_api token on a write → 403 insufficient_scope; reads are fine', async () => {
    expect((await call(sim, `${P}/deployments`, { token: READ_TOKEN })).status).toBe(200);
    const res = await call(sim, `${P}/merge_requests/1/notes`, { token: READ_TOKEN, json: { body: 'x' } });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      error: 'insufficient_scope',
      error_description: 'The request requires higher privileges than provided by the access token.',
      scope: 'api',
    });
    expect(res.headers.get('www-authenticate')).toContain('insufficient_scope');
  });

  it('lookups: user, users?username, project by path, group, namespace, version', async () => {
    expect((await call(sim, '/user')).body).toMatchObject({ username: 'root', is_admin: true });
    expect((await call(sim, '/users?username=luke')).body).toEqual([
      expect.objectContaining({ username: 'luke' }),
    ]);
    expect((await call(sim, '/users/999')).body).toEqual({ message: '404 User Not Found' });
    const project = sim.project('group/app');
    expect((await call(sim, `/projects/${project.id}`)).body).toMatchObject({
      path_with_namespace: 'group/app',
    });
    expect((await call(sim, '/groups/group')).body).toMatchObject({ full_path: 'group' });
    expect((await call(sim, '/namespaces/luke')).body).toMatchObject({ kind: 'user', full_path: 'luke' });
    expect((await call(sim, '/namespaces/nobody')).body).toEqual({ message: '404 Namespace Not Found' });
    expect((await call(sim, '/version')).body.version).toMatch(/^\d+\.\d+/);
  });
});

describe('pagination', () => {
  it('sends X-* and Link headers', async () => {
    const res = await call(sim, `${P}/deployments?environment=dev&per_page=20&page=2`);
    expect(res.body).toHaveLength(20);
    expect(res.body[0].sha).toBe('sha21');
    const h = (name: string) => res.headers.get(name);
    expect([
      h('x-page'),
      h('x-per-page'),
      h('x-total'),
      h('x-total-pages'),
      h('x-next-page'),
      h('x-prev-page'),
    ]).toEqual(['2', '20', '45', '3', '3', '1']);
    const link = h('link') ?? '';
    expect(link).toContain(
      `<${sim.url}/api/v4${P}/deployments?environment=dev&per_page=20&page=3>; rel="next"`,
    );
    expect(link).toContain('page=1>; rel="prev"');
    expect(link).toContain('page=3>; rel="last"');
  });

  it('defaults to 20, caps per_page at 100, last page has no next', async () => {
    expect((await call(sim, `${P}/deployments`)).headers.get('x-per-page')).toBe('20');
    const big = await call(sim, `${P}/deployments?per_page=500`);
    expect(big.body).toHaveLength(45);
    expect(big.headers.get('x-per-page')).toBe('100');
    expect(big.headers.get('x-next-page')).toBe('');
    expect((await call(sim, `${P}/deployments?page=abc`)).body).toEqual({ error: 'page is invalid' });
  });
});

describe('strict mode', () => {
  it('records unrouted requests and answers 404', async () => {
    const before = sim.unexpected.length;
    expect((await call(sim, '/projects/1/pipelines')).status).toBe(404);
    expect((await call(sim, '/features', { method: 'PUT', json: {} })).status).toBe(405);
    expect(sim.unexpected.slice(before).map((e) => e.path)).toEqual([
      '/api/v4/projects/1/pipelines',
      '/api/v4/features',
    ]);
    sim.unexpected.splice(before);
  });
});
