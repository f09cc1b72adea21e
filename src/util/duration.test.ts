import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, formatUtc, parseDuration } from './duration.js';

describe('durations', () => {
  it('parses config durations', () => {
    expect(parseDuration('1d12h')).toBe(129_600_000);
    expect(parseDuration('2w')).toBe(1_209_600_000);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('1 d')).toBeUndefined();
    expect(parseDuration('')).toBeUndefined();
  });

  it('formats every unit down to seconds by default, in the form parseDuration reads', () => {
    expect(formatDuration(90_061_000)).toBe('1d1h1m1s');
    expect(formatDuration(86_400_000 + 5 * 60_000)).toBe('1d5m');
    expect(formatDuration(999)).toBe('0s');
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(-5_000)).toBe('0s');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        (s) => parseDuration(formatDuration(s * 1000)) === s * 1000,
      ),
      { numRuns: 200 },
    );
  });

  it('keeps the largest units, rounded down, with a separator', () => {
    const short = { units: 2, smallest: 'm', separator: ' ' } as const;
    expect(formatDuration(86_400_000 + 3 * 3_600_000 + 5 * 60_000, short)).toBe('1d 3h');
    expect(formatDuration(86_400_000 + 5 * 60_000, short)).toBe('1d'); // the second unit is 0h: not shown
    expect(formatDuration(45 * 60_000 + 59_000, short)).toBe('45m');
    expect(formatDuration(20_000, short)).toBe('0m');
    expect(formatDuration(3_723_000, { units: 1 })).toBe('1h');
  });

  it('formats instants in UTC to the minute', () => {
    expect(formatUtc(new Date('2026-11-21T07:00:59.999+02:00'))).toBe('2026-11-21 05:00 UTC');
  });
});
