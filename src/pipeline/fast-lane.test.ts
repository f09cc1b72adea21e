import { describe, expect, it } from 'vitest';
import { pooled } from './fast-lane.js';

describe('pooled', () => {
  it('runs at most `limit` at once and keeps the input order in its results', async () => {
    let running = 0;
    let peak = 0;
    const out = await pooled([5, 1, 4, 2, 3, 0], 2, async (ms) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, ms * 3));
      running--;
      return ms * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30, 0]);
    expect(peak).toBe(2);
    expect(await pooled([], 4, async () => 1)).toEqual([]);
  });
});
