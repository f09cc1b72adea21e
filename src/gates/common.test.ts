import { describe, expect, it } from 'vitest';
import { createMemo, formatDuration, formatUtc, shortSha } from './common.js';

describe('gate helpers', () => {
  it('formats durations with the two largest units', () => {
    expect(formatDuration(3 * 3_600_000)).toBe('3h');
    expect(formatDuration(86_400_000 + 3 * 3_600_000 + 5 * 60_000)).toBe('1d 3h');
    expect(formatDuration(86_400_000 + 5 * 60_000)).toBe('1d');
    expect(formatDuration(45 * 60_000 + 59_000)).toBe('45m');
    expect(formatDuration(20_000)).toBe('0m');
    expect(formatDuration(-5)).toBe('0m');
  });

  it('formats times in UTC and shortens shas', () => {
    expect(formatUtc(new Date('2026-11-21T07:00:59.999+02:00'))).toBe('2026-11-21 05:00 UTC');
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
