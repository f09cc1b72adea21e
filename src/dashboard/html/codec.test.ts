import { describe, expect, it } from 'vitest';
import { ALPHABET, DECODER_JS, intWriter } from './codec.js';

interface Reader {
  more(): boolean;
  int(): number;
  sha(): string;
  set(n: number): boolean[];
}
const reader = new Function(`${DECODER_JS}\nreturn reader;`)() as (s: string) => Reader;

describe('packed integers', () => {
  it('reads back what was written, at every length boundary', () => {
    const ints = [0, 1, 31, 32, 33, 1023, 1024, 32_767, 32_768, 129_600, 2 ** 40 + 5, Number.MAX_SAFE_INTEGER];
    const w = intWriter();
    ints.forEach((n) => w.int(n));
    w.sha('00000000').sha('ffffffff').sha('0a1b2c3d').set([true, false, false, true, true, false, true]).int(7);
    const text = w.text();
    const r = reader(text);
    expect(ints.map(() => r.int())).toEqual(ints);
    expect([r.sha(), r.sha(), r.sha()]).toEqual(['00000000', 'ffffffff', '0a1b2c3d']);
    expect(r.set(7)).toEqual([true, false, false, true, true, false, true]);
    expect(r.int()).toBe(7);
    expect(r.more()).toBe(false);
    expect(() => r.int()).toThrow(/ends early/);
  });

  it('costs one character below 32, three below 32,768, six per sha, one per five environments', () => {
    expect(intWriter().int(31).text()).toHaveLength(1);
    expect(intWriter().int(32).text()).toHaveLength(2);
    expect(intWriter().int(32_767).text()).toHaveLength(3);
    expect(intWriter().sha('deadbeef').text()).toHaveLength(6);
    expect(intWriter().set([true, true, true, true, true]).text()).toHaveLength(1);
    expect(intWriter().set([true, true, true, true, true, true]).text()).toHaveLength(2);
  });

  it('writes only characters that need no escaping in JSON or HTML', () => {
    expect(ALPHABET).toMatch(/^[0-9A-Za-z_-]{64}$/);
    expect(new Set(ALPHABET).size).toBe(64);
    const text = intWriter().int(123_456_789).sha('89abcdef').text();
    expect(JSON.stringify(text)).toBe(`"${text}"`);
    expect(text).not.toMatch(/[<>&"'\\]/);
  });

  it('refuses what it cannot write', () => {
    expect(() => intWriter().int(-1)).toThrow(/non-negative/);
    expect(() => intWriter().int(1.5)).toThrow(/non-negative/);
    expect(() => intWriter().sha('abc')).toThrow(/8-digit sha/);
    expect(() => intWriter().sha('ABCDEF12')).toThrow(/8-digit sha/);
  });
});
