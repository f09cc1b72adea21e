import { describe, expect, it } from 'vitest';
import { instanceTargets } from '../config/instances.js';
import { envConfig } from '../gates/test-fixtures.js';
import { eachBounded, ringStatus, serially, tagInstance } from './ring-status.js';
import type { EnvResult } from './apply-types.js';

const tick = () => new Promise((r) => setTimeout(r, 1));
const ring = envConfig({
  name: 'ring1',
  ring: true,
  instances: ['cell-1', 'cell-2', 'cell-3'].map((name) => ({ name, backend: { type: 'file' as const, path: `/${name}.json` } })),
});

describe('instances at once', () => {
  it('eachBounded runs at most `limit` at once, keeps order, and runs every item before throwing the first error', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    const work = async (n: number) => {
      running++;
      most = Math.max(most, running);
      await tick();
      running--;
      done.push(n);
      if (n === 2) throw new Error('two');
      return n * 10;
    };
    expect(await eachBounded([1, 3, 4], 2, work)).toEqual([10, 30, 40]);
    expect(most).toBe(2);
    await expect(eachBounded([1, 2, 3, 4, 5], 2, work)).rejects.toThrow('two');
    expect(done.slice(3).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('serially runs one work after the other, also after a failure', async () => {
    const order: string[] = [];
    const one = serially();
    const slow = one(async () => {
      await tick();
      order.push('a');
      throw new Error('a');
    });
    const fast = one(async () => void order.push('b'));
    await expect(slow).rejects.toThrow('a');
    await fast;
    expect(order).toEqual(['a', 'b']);
  });
});

describe('a ring in a run', () => {
  const result = (instance: string, outcomes: EnvResult['results'][number]['outcome'][], failed?: string): EnvResult => ({
    label: `ring1/${instance}`,
    plan: { env: 'ring1', instance, backend: 'file', flags: outcomes.map((_, i) => ({ flag: `f${i}`, live: undefined, desired: true, status: 'change', reasons: [], operations: [] })), findings: [] },
    results: outcomes.map((outcome, i) => ({ flag: `f${i}`, outcome, done: [] })),
    ...(failed ? { failed } : {}),
  });

  it('is converged only when every instance is; the others are named with why', () => {
    const status = ringStatus({ env: ring, mode: 'apply', results: [result('cell-1', ['applied', 'in-sync']), result('cell-2', ['pending', 'failed', 'pending']), result('cell-3', [], 'GitLab answered 503')] });
    expect(status).toEqual({
      env: 'ring1',
      size: 3,
      converged: false,
      instances: [
        { instance: 'cell-1', converged: true },
        { instance: 'cell-2', converged: false, reason: '2 pending, 1 failed' },
        { instance: 'cell-3', converged: false, reason: 'failed: GitLab answered 503' },
      ],
    });
    // plan and status judge the plan: a change still to make is "out of sync"
    expect(ringStatus({ env: ring, mode: 'status', results: [result('cell-2', ['dry-run'])] }).instances).toEqual([{ instance: 'cell-2', converged: false, reason: '1 out of sync' }]);
    // --instance: the instances run are converged, the ring is not known to be
    const some = ringStatus({ env: ring, mode: 'apply', results: [result('cell-1', ['applied'])] });
    expect([some.converged, some.instances.length, some.size]).toEqual([false, 1, 3]);
  });

  it("an instance's findings name it", () => {
    const [target] = instanceTargets(ring, new Set(['cell-2']));
    expect(
      tagInstance(
        [
          { code: 'drift', severity: 'error', message: 'ring1: f was changed outside flagops' },
          { code: 'apply/failed', severity: 'error', message: 'ring1/cell-2: f was not applied' },
          { code: 'gitlab/absent', severity: 'info', message: 'no gitlab section' },
        ],
        target!,
      ).map((f) => [f.instance, f.message]),
    ).toEqual([
      ['cell-2', 'ring1/cell-2: f was changed outside flagops'],
      ['cell-2', 'ring1/cell-2: f was not applied'],
      ['cell-2', 'ring1/cell-2: no gitlab section'],
    ]);
  });
});
