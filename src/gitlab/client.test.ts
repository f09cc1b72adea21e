/**
 * Transport behaviour of the GitLab client against a tiny scripted HTTP server on 127.0.0.1. Every
 * request the script does not expect is recorded and fails the test. Waits use an injected sleep and
 * clock: nothing really waits.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, GitlabError } from '../errors/errors.js';
import { createGitlabClient, type GitlabClientOptions } from './client.js';

type Reply =
  { status?: number; headers?: Record<string, string>; json?: unknown; text?: string } | 'reset' | 'hang';
interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
interface Sim {
  url: string;
  seen: Seen[];
  unexpected: string[];
  server: Server;
}

const TOKEN = 's3cr3t-Token-value-42';
const sims: Sim[] = [];

/** `routes` maps "METHOD /path?query" (or "METHOD /path" to ignore the query) to replies consumed in order. */
async function serve(routes: Record<string, Reply[]>): Promise<Sim> {
  const queues = new Map(Object.entries(routes).map(([k, v]) => [k, [...v]]));
  const sim: Sim = { url: '', seen: [], unexpected: [], server: createServer() };
  sim.server.on('request', (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const url = req.url ?? '';
      sim.seen.push({ method: req.method ?? '', url, headers: req.headers, body });
      const queue = queues.get(`${req.method} ${url}`) ?? queues.get(`${req.method} ${url.split('?')[0]}`);
      const reply = queue?.shift();
      if (reply === undefined) {
        sim.unexpected.push(`${req.method} ${url}`);
        res.writeHead(418).end();
      } else if (reply === 'reset') req.socket.destroy();
      else if (reply === 'hang') return;
      else {
        const headers = {
          ...(reply.json !== undefined ? { 'content-type': 'application/json' } : {}),
          ...reply.headers,
        };
        res
          .writeHead(reply.status ?? 200, headers)
          .end(reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? ''));
      }
    });
  });
  await new Promise<void>((resolve) => sim.server.listen(0, '127.0.0.1', resolve));
  sim.url = `http://127.0.0.1:${(sim.server.address() as AddressInfo).port}`;
  sims.push(sim);
  return sim;
}

afterEach(async () => {
  for (const sim of sims.splice(0)) {
    sim.server.closeAllConnections();
    await new Promise((resolve) => sim.server.close(resolve));
    expect(sim.unexpected, 'unexpected requests').toEqual([]);
  }
});

/** A client with a fake clock: sleeping advances it and records the delay. */
function client(sim: { url: string }, extra: Partial<GitlabClientOptions> = {}) {
  const delays: number[] = [];
  let clock = 1_700_000_000_000;
  const gitlab = createGitlabClient({
    baseUrl: sim.url,
    token: TOKEN,
    tokenEnv: 'FLAGOPS_GITLAB_TOKEN',
    sleep: async (ms) => {
      delays.push(ms);
      clock += ms;
    },
    now: () => clock,
    random: () => 0.5,
    ...extra,
  });
  return { gitlab, delays };
}

const MR = {
  iid: 7,
  project_id: 1,
  title: 'Add flag',
  description: null,
  state: 'merged',
  web_url: 'https://g/x/-/merge_requests/7',
  merge_commit_sha: 'abc1234',
  squash_commit_sha: null,
  merged_at: '2026-01-01T00:00:00Z',
};
const MR_PATH = 'GET /api/v4/projects/group%2Fapp/merge_requests/7';

async function caught(p: Promise<unknown>): Promise<GitlabError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GitlabError);
  return error as GitlabError;
}

describe('retries', () => {
  it('retries a 500 and then succeeds, with backoff between attempts', async () => {
    const sim = await serve({ [MR_PATH]: [{ status: 500 }, { status: 502 }, { json: MR }] });
    const retries: string[] = [];
    const { gitlab, delays } = client(sim, { onRetry: (i) => retries.push(`${i.attempt}:${i.reason}`) });
    const mr = await gitlab.getMergeRequest('group/app', 7);
    expect(mr).toMatchObject({
      iid: 7,
      projectId: 1,
      description: '',
      landedSha: 'abc1234',
      state: 'merged',
    });
    expect(retries).toEqual(['1:500', '2:502']);
    expect(delays).toEqual([375, 750]); // 500·2^n, equal jitter at random()=0.5
    expect(gitlab.requestCount()).toBe(3);
    expect(sim.seen[0]?.headers['private-token']).toBe(TOKEN);
  });

  it('honours Retry-After in seconds and as an HTTP date on 429', async () => {
    const sim = await serve({
      [MR_PATH]: [
        { status: 429, headers: { 'retry-after': '7' } },
        { status: 429, headers: { 'retry-after': new Date(1_700_000_007_000 + 3000).toUTCString() } },
        { json: MR },
      ],
    });
    const { gitlab, delays } = client(sim);
    await gitlab.getMergeRequest('group/app', 7);
    expect(delays).toEqual([7000, 3000]);
  });

  it('gives up within the total time budget with a remote error naming method, path, status and attempts', async () => {
    const sim = await serve({ [MR_PATH]: Array.from({ length: 30 }, () => ({ status: 503 })) });
    const { gitlab, delays } = client(sim, { retries: 100, maxTotalMs: 10_000 });
    const error = await caught(gitlab.getMergeRequest('group/app', 7));
    expect(error.kind).toBe('remote');
    expect(error.exitCode).toBe(3);
    expect(error.status).toBe(503);
    expect(error.path).toBe('/api/v4/projects/group%2Fapp/merge_requests/7');
    expect(error.message).toMatch(
      /GET 127\.0\.0\.1:\d+\/api\/v4\/projects\/group%2Fapp\/merge_requests\/7: 503 Service Unavailable after \d+ attempts in [\d.]+ s \(the next try, in [\d.]+ s, would go past the retry budget of 10 s\)/,
    );
    expect(delays.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(10_000);
    expect(gitlab.requestCount()).toBe(sim.seen.length);
  });

  it('retries a connection reset and a time-out on a GET', async () => {
    const sim = await serve({ [MR_PATH]: ['reset', 'hang', { json: MR }] });
    const retries: string[] = [];
    const { gitlab } = client(sim, { timeoutMs: 100, onRetry: (i) => retries.push(i.reason) });
    expect((await gitlab.getMergeRequest('group/app', 7)).iid).toBe(7);
    expect(retries).toEqual(['ECONNRESET', 'ETIMEDOUT']);
  });

  it('reports an unreachable GitLab as remote after retrying a refused connection', async () => {
    const sim = await serve({});
    const url = sim.url;
    await new Promise((resolve) => sim.server.close(resolve));
    const { gitlab } = client({ url }, { retries: 2 });
    const error = await caught(gitlab.getMergeRequest('group/app', 7));
    expect(error.kind).toBe('remote');
    expect(error.message).toContain('connection refused (ECONNREFUSED) after 3 attempts');
    expect(gitlab.requestCount()).toBe(3);
  });

  it('never retries 400/401/403/404/409/422', async () => {
    const replies = [400, 401, 403, 404, 409, 422].map((status) => ({
      status,
      json: { message: `${status} nope` },
    }));
    const sim = await serve({ [MR_PATH]: replies });
    const { gitlab } = client(sim);
    const kinds: string[] = [];
    for (let i = 0; i < replies.length; i += 1)
      kinds.push((await caught(gitlab.getMergeRequest('group/app', 7))).kind);
    expect(kinds).toEqual(['invalid-request', 'auth', 'auth', 'not-found', 'conflict', 'invalid-request']);
    expect(gitlab.requestCount()).toBe(6);
  });

  it('does not retry a POST after a 500, but does after a 503', async () => {
    const notes = 'POST /api/v4/projects/1/merge_requests/7/notes';
    const sim = await serve({
      [notes]: [
        { status: 500 },
        { status: 503 },
        { status: 201, json: { id: 5, body: 'hi', system: false, author: { username: 'bot' } } },
      ],
    });
    const { gitlab } = client(sim);
    const target = { kind: 'merge_request', project: 1, iid: 7 } as const;
    const error = await caught(gitlab.createNote(target, 'hi'));
    expect(error.message).toContain('not retried: POST is not idempotent');
    expect(await gitlab.createNote(target, 'hi')).toEqual({
      id: 5,
      body: 'hi',
      system: false,
      authorUsername: 'bot',
    });
    expect(gitlab.requestCount()).toBe(3);
    expect(JSON.parse(sim.seen[2]?.body ?? '')).toEqual({ body: 'hi' });
  });
});

describe('errors', () => {
  it('401/403 name the variable and the scope, and the token never leaks', async () => {
    const echo = { message: `401 Unauthorized: bad token ${TOKEN} glpat-abcdefghijklmnopqrstu` };
    const sim = await serve({
      [MR_PATH]: [{ status: 401, json: echo }],
      'POST /api/v4/features/my_flag': [{ status: 403, json: { message: `403 Forbidden for ${TOKEN}` } }],
    });
    const { gitlab } = client(sim);
    const e401 = await caught(gitlab.getMergeRequest('group/app', 7));
    expect(e401.kind).toBe('auth');
    expect(e401.exitCode).toBe(2);
    expect(e401.message).toContain('$FLAGOPS_GITLAB_TOKEN');
    expect(e401.hint).toContain('read_api');
    const e403 = await caught(gitlab.setFeature('my_flag', { value: true }));
    expect(e403.kind).toBe('auth');
    expect(e403.hint).toMatch(/administrator.*api scope/);
    // with Admin Mode on, admin endpoints also need the admin_mode scope
    expect(e403.hint).toContain('admin_mode scope');
    for (const e of [e401, e403]) {
      expect(e.cause).toBeUndefined();
      for (const text of [
        e.message,
        String(e),
        inspect(e, { depth: 10 }),
        JSON.stringify(e),
        e.stack ?? '',
        e.hint ?? '',
      ]) {
        expect(text).not.toContain(TOKEN);
        expect(text).not.toContain('glpat-abcdef');
      }
    }
  });

  it('says which variable is unset when there is no token', async () => {
    const sim = await serve({ [MR_PATH]: [{ status: 401, json: { message: '401 Unauthorized' } }] });
    const { gitlab } = client(sim, { token: undefined });
    expect((await caught(gitlab.getMergeRequest('group/app', 7))).message).toContain(
      '$FLAGOPS_GITLAB_TOKEN is not set',
    );
    expect(sim.seen[0]?.headers['private-token']).toBeUndefined();
  });

  it("passes on GitLab's message for 400/422 (message or error field)", async () => {
    const sim = await serve({
      'POST /api/v4/features/f': [{ status: 400, json: { error: 'key, user are mutually exclusive' } }],
      'POST /api/v4/projects/1/feature_flags': [
        { status: 422, json: { message: { name: ['has already been taken'] } } },
      ],
    });
    const { gitlab } = client(sim);
    expect(
      (await caught(gitlab.setFeature('f', { value: 50, key: 'percentage_of_actors', user: 'a' }))).message,
    ).toContain('key, user are mutually exclusive');
    const e = await caught(
      gitlab.createFeatureFlag(1, { name: 'f', description: null, active: true, strategies: [] }),
    );
    expect(e.kind).toBe('invalid-request');
    expect(e.message).toContain('name has already been taken');
  });

  it('reports a malformed answer as remote, saying what was wrong', async () => {
    const sim = await serve({
      [MR_PATH]: [{ json: { ...MR, iid: 'seven' } }],
      'GET /api/v4/features': [{ text: '<html>login</html>', headers: { 'content-type': 'text/html' } }],
    });
    const { gitlab } = client(sim);
    const e = await caught(gitlab.getMergeRequest('group/app', 7));
    expect(e.kind).toBe('remote');
    expect(e.message).toContain('iid: expected an integer, got a string');
    expect((await caught(gitlab.listFeatures())).message).toContain('not JSON (content-type text/html)');
  });
});

describe('URL safety', () => {
  const noFetch = (() => {
    throw new Error('no request expected');
  }) as unknown as typeof fetch;

  it('refuses http:// to a non-loopback host, credentials in the URL, and a bad token before any request', () => {
    const make =
      (baseUrl: string, token = TOKEN) =>
      () =>
        createGitlabClient({ baseUrl, token, tokenEnv: 'T', fetch: noFetch });
    expect(make('http://gitlab.example.com')).toThrow(ConfigError);
    expect(make('http://10.0.0.1:8080')).toThrow(/must use https/);
    expect(make('ftp://127.0.0.1')).toThrow(ConfigError);
    expect(make('https://u:p@gitlab.example.com')).toThrow(/credentials/);
    expect(make('https://gitlab.example.com', 'tok\nen')).toThrow(ConfigError);
    for (const ok of [
      'https://gitlab.example.com/',
      'http://127.1.2.3:80',
      'http://localhost:3000/',
      'http://[::1]:8080',
    ]) {
      expect(
        createGitlabClient({ baseUrl: ok, token: TOKEN, tokenEnv: 'T', fetch: noFetch }).baseUrl,
      ).not.toMatch(/\/$/);
    }
  });

  it('strips a trailing slash (no //api/v4)', async () => {
    const sim = await serve({ 'GET /api/v4/features': [{ json: [] }] });
    const { gitlab } = client({ url: `${sim.url}/` });
    expect(await gitlab.listFeatures()).toEqual([]);
  });

  it('refuses bad flag names, project paths and ids without sending anything', async () => {
    const { gitlab } = client({ url: 'http://127.0.0.1:9' }, { fetch: noFetch });
    const attempts = [
      gitlab.setFeature('Bad-Name', { value: true }),
      gitlab.deleteFeature('../admin'),
      gitlab.setFeature('a__b', { value: true }),
      gitlab.deleteFeatureFlag(1, 'x/../y'),
      gitlab.getMergeRequest('group/../../admin', 1),
      gitlab.getMergeRequest('group/app', -1),
      gitlab.editNote({ kind: 'issue', project: 1, iid: 2 }, 1.5, 'x'),
      gitlab.listCommitMergeRequests(1, 'main;drop'),
    ];
    for (const p of attempts) expect((await caught(p)).kind).toBe('invalid-request');
    expect(gitlab.requestCount()).toBe(0);
  });
});

describe('requests', () => {
  it('caches objects: concurrent getMergeRequest calls send one request', async () => {
    const sim = await serve({ [MR_PATH]: [{ json: MR }] });
    const { gitlab } = client(sim);
    const [a, b] = await Promise.all([
      gitlab.getMergeRequest('group/app', 7),
      gitlab.getMergeRequest('group/app', 7),
    ]);
    expect(a).toEqual(b);
    await gitlab.getMergeRequest('group/app', 7);
    expect(gitlab.requestCount()).toBe(1);
  });

  it('asks for the last successful deployment the way GitLab accepts, and refreshes it after createDeployment', async () => {
    const dep = {
      id: 3,
      iid: 3,
      sha: 'def5678',
      ref: 'main',
      status: 'success',
      created_at: '2026-01-01T00:00:00Z',
      environment: { name: 'gprd' },
      deployable: { finished_at: '2026-01-01T00:05:00Z' },
    };
    const list =
      'GET /api/v4/projects/1/deployments?environment=gprd&status=success&order_by=finished_at&sort=desc&finished_after=2000-01-01T00%3A00%3A00Z&page=1&per_page=20';
    const sim = await serve({
      [list]: [{ json: [dep] }, { json: [] }],
      'POST /api/v4/projects/1/deployments': [{ status: 201, json: dep }],
    });
    const { gitlab } = client(sim);
    expect(await gitlab.lastSuccessfulDeployment(1, 'gprd')).toEqual({
      id: 3,
      sha: 'def5678',
      ref: 'main',
      status: 'success',
      environment: 'gprd',
      finishedAt: '2026-01-01T00:05:00Z',
      createdAt: '2026-01-01T00:00:00Z',
    });
    await gitlab.lastSuccessfulDeployment(1, 'gprd');
    await gitlab.createDeployment(1, { environment: 'gprd', sha: 'def5678', ref: 'main', status: 'success' });
    expect(JSON.parse(sim.seen[1]?.body ?? '')).toEqual({
      environment: 'gprd',
      sha: 'def5678',
      ref: 'main',
      tag: false,
      status: 'success',
    });
    expect(await gitlab.lastSuccessfulDeployment(1, 'gprd')).toBeNull();
  });

  it('lists an environment\'s deployments newest first, one page per call, with updated_at', async () => {
    const dep = { id: 9, sha: 'abc1234', ref: 'main', status: 'failed', created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:02:00Z', environment: { name: 'staging' }, deployable: null };
    const sim = await serve({ 'GET /api/v4/projects/1/deployments?environment=staging&order_by=id&sort=desc&page=2&per_page=100': [{ json: [dep] }] });
    const { gitlab } = client(sim);
    expect(await gitlab.listDeployments(1, 'staging', { page: 2, perPage: 100 })).toEqual([
      { id: 9, sha: 'abc1234', ref: 'main', status: 'failed', environment: 'staging', finishedAt: null, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:02:00Z' },
    ]);
    await expect(gitlab.listDeployments(1, 'staging', { page: 0, perPage: 100 })).rejects.toThrow(/page/);
    expect(gitlab.requestCount()).toBe(1);
  });

  it('sends refs[] for merge_base and maps "no common history" to null', async () => {
    const sim = await serve({
      'GET /api/v4/projects/1/repository/merge_base?refs[]=aaa1111&refs[]=bbb2222': [
        { json: { id: 'aaa1111' } },
      ],
      'GET /api/v4/projects/1/repository/merge_base?refs[]=aaa1111&refs[]=ccc3333': [
        { status: 404, json: { message: '404 Merge Base Not Found' } },
      ],
    });
    const { gitlab } = client(sim);
    expect(await gitlab.mergeBase(1, ['aaa1111', 'bbb2222'])).toBe('aaa1111');
    expect(await gitlab.mergeBase(1, ['aaa1111', 'ccc3333'])).toBeNull();
  });

  it('follows X-Next-Page with per_page=100 and stops with an error past 50 pages', async () => {
    const note = (id: number) => ({ id, body: `n${id}` });
    const many = Array.from({ length: 50 }, (_, i) => ({
      json: [note(i)],
      headers: { 'x-next-page': String(i + 2) },
    }));
    const sim = await serve({
      'GET /api/v4/projects/1/issues/2/notes?per_page=100&page=1': [
        { json: [note(1)], headers: { 'x-next-page': '2' } },
      ],
      'GET /api/v4/projects/1/issues/2/notes?per_page=100&page=2': [
        { json: [note(2)], headers: { 'x-next-page': '' } },
      ],
      'GET /api/v4/projects/1/feature_flags': many,
    });
    const { gitlab } = client(sim);
    expect((await gitlab.listNotes({ kind: 'issue', project: 1, iid: 2 })).map((n) => n.id)).toEqual([1, 2]);
    expect((await caught(gitlab.listFeatureFlags(1))).message).toContain('more than 50 pages of 100 items');
  });

  it('sends features as a form and project flag strategies with their camelCase parameters intact', async () => {
    const feature = {
      name: 'my_flag',
      state: 'conditional',
      gates: [{ key: 'percentage_of_actors', value: 25 }],
      definition: null,
    };
    const flag = {
      name: 'my-flag',
      description: null,
      active: true,
      version: 'new_version_flag',
      strategies: [
        {
          id: 9,
          name: 'gradualRolloutUserId',
          parameters: { groupId: 'default', percentage: '25' },
          scopes: [{ id: 4, environment_scope: 'production' }],
          user_list: null,
        },
      ],
    };
    const sim = await serve({
      'POST /api/v4/features/my_flag': [{ status: 201, json: feature }],
      'PUT /api/v4/projects/group%2Fapp/feature_flags/my-flag': [{ json: flag }],
    });
    const { gitlab } = client(sim);
    expect(await gitlab.setFeature('my_flag', { value: 25, key: 'percentage_of_actors' })).toEqual({
      name: 'my_flag',
      state: 'conditional',
      gates: feature.gates,
    });
    expect(sim.seen[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(sim.seen[0]?.body).toBe('value=25&key=percentage_of_actors');
    const strategies = [
      {
        name: 'gradualRolloutUserId' as const,
        parameters: { groupId: 'default', percentage: '25' },
        scopes: [{ environment_scope: 'production' }],
      },
    ];
    const updated = await gitlab.updateFeatureFlag('group/app', 'my-flag', { strategies });
    expect(updated.strategies[0]?.parameters).toEqual({ groupId: 'default', percentage: '25' });
    expect(JSON.parse(sim.seen[1]?.body ?? '')).toEqual({ strategies });
  });
});
