import { describe, expect, it } from 'vitest';
import { localeCompare, nameCompare, nameOrder, simpleCompare, SIMPLE_ORDER } from './collate.js';

const english = new Intl.Collator('en');
const sign = (n: number): number => Math.sign(n);

/** Deterministic pseudo-random names over `alphabet` (a linear congruential generator). */
function names(alphabet: string, count: number, seed = 7): string[] {
  let x = seed;
  const next = (): number => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: count }, () => Array.from({ length: 1 + Math.floor(next() * 12) }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''));
}

describe('name order', () => {
  it('lists the simple characters in the order the English collator sorts them', () => {
    expect([...SIMPLE_ORDER].sort(english.compare).join('')).toBe(SIMPLE_ORDER);
  });

  it('orders simple names as the English collator does, pair by pair (prefixes, `_` against `-` `.` `/` and digits)', () => {
    const all = [...names(SIMPLE_ORDER, 3000), ...names('_-./0a', 2000, 11), 'flags/g1/bench_flag_1.yml', 'flags/g10/bench_flag_10.yml', 'flags/g1/bench_flag_1000.yml', 'a', 'a_', 'a-', 'a_b', 'ab', ''];
    for (let i = 1; i < all.length; i++) {
      for (const [a, b] of [[all[i - 1]!, all[i]!], [all[i]!, all[i]!], [all[i]!, all[0]!]] as const) {
        expect([a, b, simpleCompare(a, b)]).toEqual([a, b, sign(english.compare(a, b))]);
      }
    }
  });

  it('leaves every other name to the collator: capitals, other characters, other scripts', () => {
    for (const [a, b] of [['A', 'a'], ['flags/Zed/x.yml', 'flags/a-b/x.yml'], ['é', 'e'], ['a b', 'ab'], ['a~', 'a_'], ['ä', 'z']]) {
      expect(simpleCompare(a!, b!)).toBeUndefined();
      expect(sign(nameCompare('en-US')(a!, b!))).toBe(sign(a!.localeCompare(b!)));
    }
  });

  it('uses the shortcut only for the English locales; another locale is all collator', () => {
    // Danish sorts 'aa' after 'z'; the root order before it: a Danish default locale must not take the shortcut
    expect(nameCompare('en-US')('aa', 'z')).toBe(-1);
    expect(nameCompare('da-DK')).toBe(localeCompare);
    expect(nameCompare('en')).not.toBe(localeCompare);
  });

  it('nameOrder: the collator\'s order of a whole list (stable), or undefined when it is in order already', () => {
    const byCollator = (list: string[]): string[] => [...list].sort((a, b) => english.compare(a, b));
    for (const list of [names(SIMPLE_ORDER, 2000, 3), names('_-./0a', 1500, 5), ['flags/a_b.yml', 'flags/a1.yml', 'flags/a-b.yml', 'flags/A.yml', 'flags/é.yml', 'flags/e.yml']]) {
      for (const locale of ['en-US', 'da-DK']) {
        const order = nameOrder(list, locale);
        const expected = locale === 'en-US' ? byCollator(list) : [...list].sort((a, b) => a.localeCompare(b));
        expect(order ? order.map((i) => list[i]) : list).toEqual(expected);
        expect(nameOrder(expected, locale)).toBeUndefined();
      }
    }
    // equal names keep their places
    expect(nameOrder(['b', 'a', 'b', 'a'], 'en-US')).toEqual([1, 3, 0, 2]);
  });
});
