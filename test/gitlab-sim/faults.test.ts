import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FaultRegistry } from './faults.js';
import type { GitlabSim } from './index.js';
import { call, startSim } from './test-helpers.js';

let sim: GitlabSim;
beforeAll(async () => {
  sim = await startSim();
});
afterEach(() => sim.faults.clear());
afterAll(() => sim.close());

describe('faults', () => {
  it('a faulted POST changes nothing; the retry succeeds', async () => {
    const handle = sim.faults.add({
      method: 'POST',
      path: /^\/api\/v4\/features\//,
      kind: 'status',
      status: 502,
      times: 1,
    });
    const failed = await call(sim, '/features/fault_flag', { form: { value: 'true' } });
    expect(failed.status).toBe(502);
    expect(sim.features).toEqual([]);
    expect(sim.requests[sim.requests.length - 1]).toMatchObject({ status: 502, fault: 'status' });
    const retried = await call(sim, '/features/fault_flag', { form: { value: 'true' } });
    expect(retried.status).toBe(201);
    expect(handle.hits).toBe(1);
  });

  it('429 sends Retry-After', async () => {
    sim.faults.add({ path: '/features', kind: 'status', status: 429, retryAfter: 7, times: 1 });
    const res = await call(sim, '/features');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
  });

  it('reset destroys the socket', async () => {
    sim.faults.add({ path: '/user', kind: 'reset', times: 1 });
    await expect(fetch(`${sim.url}/api/v4/user`)).rejects.toThrow();
    expect((await call(sim, '/user')).status).toBe(200);
  });

  it('latency delays but serves', async () => {
    sim.faults.add({ path: '/user', kind: 'latency', ms: 60, times: 1 });
    const start = Date.now();
    expect((await call(sim, '/user')).status).toBe(200);
    expect(Date.now() - start).toBeGreaterThanOrEqual(55);
  });

  it('random faults are deterministic for a seed and never change state', async () => {
    const pattern = (seed: number) => {
      const registry = new FaultRegistry();
      registry.random({ rate: 0.3, kinds: [500, 503, 'reset'], seed });
      return Array.from({ length: 40 }, () => registry.pick('POST', '/api/v4/x')?.status ?? 0).join(',');
    };
    expect(pattern(42)).toBe(pattern(42));
    expect(pattern(42)).not.toBe(pattern(43));

    sim.faults.random({ rate: 0.5, kinds: [500, 503], seed: 7 });
    let succeeded = 0;
    for (let i = 0; i < 20; i += 1) {
      const res = await call(sim, `/features/random_${i}`, { form: { value: 'true' } });
      if (res.status === 201) succeeded += 1;
      else expect([500, 503]).toContain(res.status);
    }
    expect(succeeded).toBeGreaterThan(0);
    expect(succeeded).toBeLessThan(20);
    expect(sim.features.filter((f) => f.name.startsWith('random_'))).toHaveLength(succeeded);
  });
});
