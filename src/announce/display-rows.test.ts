/** A ring's instances fold into one row per flag and ring; a plain environment keeps its own row. */
import { describe, expect, it } from 'vitest';
import { displayRows, type Row } from './announce.js';

const ring = ['cell-1', 'cell-2', 'cell-3'];
const row = (over: Partial<Row>): Row => ({ flag: 'f', env: 'ring1', state: 'on', at: '2026-11-21T12:00:00.000Z', ...over });

describe('displayRows', () => {
  it('counts the instances holding the state the latest instance applied and names the pending ones', () => {
    const rows = [
      row({ env: 'canary', state: 'on', at: '2026-11-21T10:00:00.000Z' }),
      row({ instance: 'cell-1', instances: ring, state: 'on', at: '2026-11-21T11:00:00.000Z' }),
      row({ instance: 'cell-3', instances: ring, state: 'on', at: '2026-11-21T12:00:00.000Z', pipeline: 'https://ci/p/2' }),
    ];
    expect(displayRows(rows).map((r) => [r.env, r.state, r.at, r.pipeline])).toEqual([
      ['canary', 'on', '2026-11-21T10:00:00.000Z', undefined],
      ['ring1: 2 of 3 instances applied; cell-2 pending', 'on', '2026-11-21T12:00:00.000Z', 'https://ci/p/2'],
    ]);
  });

  it('an instance still holding an older state is pending for the newer one; an instance no longer in the ring is not counted', () => {
    const rows = [
      row({ instance: 'cell-1', instances: ring, state: 'on', at: '2026-11-21T11:00:00.000Z' }),
      row({ instance: 'cell-9', instances: ['cell-9'], state: 'off', at: '2026-11-21T11:30:00.000Z' }),
      row({ instance: 'cell-2', instances: ring, state: 'off', at: '2026-11-21T12:00:00.000Z' }),
    ];
    expect(displayRows(rows).map((r) => [r.env, r.state])).toEqual([['ring1: 1 of 3 instances applied; cell-1, cell-3 pending', 'off']]);
  });
});
