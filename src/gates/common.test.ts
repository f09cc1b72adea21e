import { describe, expect, it } from 'vitest';
import { createMemo, formatGateDuration, shortSha } from './common.js';

describe('gate helpers', () => {
  it('formats durations with the two largest units, rounded down to minutes', () => {
    expect(formatGateDuration(3 * 3_600_000)).toBe('3h');
    expect(formatGateDuration(86_400_000 + 3 * 3_600_000 + 5 * 60_000)).toBe('1d 3h');
    expect(formatGateDuration(86_400_000 + 5 * 60_000)).toBe('1d');
    expect(formatGateDuration(45 * 60_000 + 59_000)).toBe('45m');
    expect(formatGateDuration(20_000)).toBe('0m');
    expect(formatGateDuration(-5)).toBe('0m');
  });

  it('shortens shas', () => {
    expect(shortSha('1a2b3c4d5e6f')).toBe('1a2b3c4');
  });

  it('memo shares one promise per key and forgets failures', async () => {
    const memo = createMemo();
    let n = 0;
    const compute = async (): Promise<number> => ++n;
    expect(await Promise.all([memo('k', compute), memo('k', compute)])).toEqual([1, 1]);
    await expect(memo('bad', () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(await memo('bad', compute)).toBe(2);
  });
});
