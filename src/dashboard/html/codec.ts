/**
 * The dashboard's packed integers: a list of non-negative integers written as one string of 64 JSON- and HTML-safe
 * characters (digits, letters, `-`, `_`: nothing to escape, no quote, no `<`), so that a flag's cells and timeline
 * cost a few characters each instead of a JSON array of decimal numbers with commas.
 *
 * - an integer is little-endian groups of 5 bits: the first 32 characters of ALPHABET end a number, the last 32
 *   carry 5 bits and say more follow (0–31: 1 character, up to 1,023: 2, up to 32,767: 3, up to 1,048,575: 4);
 * - a sha (8 hex digits, 32 bits) is 6 characters of 6 bits each, most significant first;
 * - a set of n booleans (which environments) is ⌈n/5⌉ characters of 5 bits each, the first environment lowest.
 *
 * DECODER_JS is the same in the page's script (plain ES2020); codec.test.ts runs it against the writer.
 */
export const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';

export interface IntWriter {
  int(n: number): IntWriter;
  sha(hex8: string): IntWriter;
  set(flags: readonly boolean[]): IntWriter;
  text(): string;
}

export const isSha8 = (s: string): boolean => /^[0-9a-f]{8}$/.test(s);

export function intWriter(): IntWriter {
  const out: string[] = [];
  const w: IntWriter = {
    int(n) {
      if (!Number.isSafeInteger(n) || n < 0) throw new Error(`packed integers are non-negative, not ${n}`);
      let v = n;
      while (v >= 32) {
        out.push(ALPHABET[32 + (v % 32)]!);
        v = Math.floor(v / 32);
      }
      out.push(ALPHABET[v]!);
      return w;
    },
    sha(hex8) {
      if (!isSha8(hex8)) throw new Error(`not an 8-digit sha: ${hex8}`);
      const v = parseInt(hex8, 16);
      for (let k = 5; k >= 0; k--) out.push(ALPHABET[Math.floor(v / 64 ** k) % 64]!);
      return w;
    },
    set(flags) {
      for (let k = 0; k < flags.length; k += 5) {
        let c = 0;
        for (let b = 0; b < 5 && k + b < flags.length; b++) if (flags[k + b]) c |= 1 << b;
        out.push(ALPHABET[c]!);
      }
      return w;
    },
    text: () => out.join(''),
  };
  return w;
}

/** `reader(text)` → { int(), sha(), set(n), more() }: the page script's half of this file. */
export const DECODER_JS = String.raw`var A64 = '${ALPHABET}', AI = {};
for (var ai = 0; ai < 64; ai++) AI[A64[ai]] = ai;
function reader(s) {
  var p = 0;
  return {
    more: function () { return p < s.length; },
    int: function () { var v = 0, m = 1, d; for (;;) { d = AI[s[p++]]; if (d === undefined) throw new Error('packed data ends early'); if (d < 32) return v + d * m; v += (d - 32) * m; m *= 32; } },
    sha: function () { var v = 0; for (var k = 0; k < 6; k++) v = v * 64 + AI[s[p++]]; return ('0000000' + v.toString(16)).slice(-8); },
    set: function (n) { var out = []; for (var k = 0; k < n; k += 5) { var c = AI[s[p++]]; for (var b = 0; b < 5 && k + b < n; b++) out.push(!!(c & (1 << b))); } return out; }
  };
}`;
