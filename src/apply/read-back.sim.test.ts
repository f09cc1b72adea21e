/**
 * Read-after-write against GitLab's per-process flag cache (DESIGN §5): the simulator answers `GET /features` from
 * before the write for a while after it; apply verifies from the write's own response and reads again with backoff
 * within the cache minute. The clock is injected: nothing waits for real.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createGitlabFeaturesBackend } from '../backends/gitlab-features/gitlab-features-backend.js';
import type { Backend } from '../backends/types.js';
import { createGitlabClient } from '../gitlab/client.js';
import type { FlagState } from '../model/state.js';
import type { EnvPlan } from '../plan/build-plan.js';
import { startGitlabSim, type GitlabSim } from '../../test/gitlab-sim/index.js';
import { executePlan } from './execute.js';
import { nextDelay } from './read-back.js';

const TOKEN = 'glpat-admin-read-back-0001';
let sim: GitlabSim;
let t = Date.parse('2026-06-01T10:00:00Z');
const clock = { now: () => t, sleep: (ms: number) => Promise.resolve(void (t += ms)) };

beforeEach(async () => {
  sim = await startGitlabSim({
    now: () => new Date(t),
    seed: { users: [{ username: 'root', admin: true }], tokens: [{ token: TOKEN, user: 'root', scopes: ['api'] }] },
  });
});
afterEach(async () => {
  expect(sim.unexpected).toEqual([]);
  await sim.close();
});

function backend(): Backend {
  const port = createGitlabClient({ baseUrl: sim.url, token: TOKEN, tokenEnv: 'FLAGOPS_TEST_TOKEN', retries: 0 });
  return createGitlabFeaturesBackend({ port, env: 'staging' });
}

async function apply(flag: string, desired: FlagState) {
  const b = backend();
  const live = await b.read();
  const operations = b.plan(flag, live.get(flag), desired);
  const plan: EnvPlan = {
    env: 'staging',
    backend: 'gitlab-features',
    findings: [],
    flags: [{ flag, live: live.get(flag)?.state, desired, status: 'change', reasons: [], operations }],
  };
  const from = sim.requests.length;
  const [result] = await executePlan({ backend: b, plan, concurrency: 1, dryRun: false, clock });
  const reads = sim.requests.slice(from).filter((r) => r.method === 'GET' && r.path === '/api/v4/features').length;
  return { result: result!, reads };
}

it('a read-back answered from a stale cache is read again until it agrees: applied, not apply/verify', async () => {
  sim.staleFeatureReads(20_000);
  const start = t;
  const { result, reads } = await apply('checkout', { percentage_of_actors: 25 });
  expect(result.outcome).toBe('applied');
  expect(reads).toBeGreaterThan(1);
  expect(t - start).toBeGreaterThanOrEqual(20_000);
  expect(t - start).toBeLessThan(60_000);
});

it('a read-back that still disagrees once the cache minute is over is a verify failure', async () => {
  sim.staleFeatureReads(120_000);
  const start = t;
  const { result, reads } = await apply('checkout', true);
  expect(result.outcome).toBe('failed');
  expect(result.error).toEqual({ kind: 'verify', message: 'read back null, expected true' });
  expect(t - start).toBeGreaterThanOrEqual(60_000);
  expect(t - start).toBeLessThan(61_000);
  expect(reads).toBeLessThanOrEqual(10);
});

it('without a stale cache one read-back is enough', async () => {
  const { result, reads } = await apply('checkout', true);
  expect(result.outcome).toBe('applied');
  expect(reads).toBe(1);
});

it('backs off 1, 2, 4, 8 s … capped at 15 s and at the end of the window', () => {
  expect([0, 1, 2, 3, 4, 5].map((a) => nextDelay(a, 60_000))).toEqual([1000, 2000, 4000, 8000, 15_000, 15_000]);
  expect(nextDelay(3, 500)).toBe(500);
});
