/**
 * The order of file names and codes in reports is `localeCompare`'s: ICU's collator for the default locale. Starting
 * that collator costs about as much as parsing a thousand flag files, and a run compares thousands of names that
 * are plain lowercase paths. For the English locales, whose collation is CLDR's root collation, two names made
 * only of lowercase ASCII letters, digits and `_ - . /` are ordered character by character by the root order of
 * those characters (each has a primary weight of its own, none is ignorable, none starts a contraction). Any other
 * name, or any other default locale, is compared by `localeCompare` itself.
 */

/** The characters of the simple names, in root-collation order (the test checks it against the collator). */
export const SIMPLE_ORDER = '_-./0123456789abcdefghijklmnopqrstuvwxyz';
/** Default locales whose collation is the root collation. */
const ROOT_COLLATION_LOCALES: ReadonlySet<string> = new Set(['en', 'en-US']);

/** A simple name; its characters are in code-unit order once `_` is moved below `-` (to U+0001). */
const SIMPLE = /^[a-z0-9_./-]*$/;

export type Compare = (a: string, b: string) => number;

/** `localeCompare` itself. */
export const localeCompare: Compare = (a, b) => a.localeCompare(b);

/**
 * A comparison with the sign of `a.localeCompare(b)`. `locale`: the default locale (by default the runtime's, read
 * from `Intl.PluralRules`, which does not start the collator).
 */
export function nameCompare(locale = new Intl.PluralRules().resolvedOptions().locale): Compare {
  if (!ROOT_COLLATION_LOCALES.has(locale)) return localeCompare;
  return (a, b) => simpleCompare(a, b) ?? a.localeCompare(b);
}

/**
 * The indices of `names` in the order of `localeCompare` (stable), or undefined when they are in that order
 * already. Simple names under the root collation are compared as keys made once per name (`_` moved below `-`),
 * by code unit: a run over thousands of file names makes no comparison that starts the collator.
 */
export function nameOrder(names: readonly string[], locale = new Intl.PluralRules().resolvedOptions().locale): number[] | undefined {
  const simple = ROOT_COLLATION_LOCALES.has(locale) && names.every((n) => SIMPLE.test(n));
  const keys = simple ? names.map((n) => (n.includes('_') ? n.replaceAll('_', '\u0001') : n)) : names;
  const compare: Compare = simple ? (a, b) => (a < b ? -1 : a > b ? 1 : 0) : nameCompare(locale);
  let sorted = true;
  for (let i = 1; i < keys.length && sorted; i++) sorted = compare(keys[i - 1]!, keys[i]!) <= 0;
  if (sorted) return undefined;
  return keys.map((_, i) => i).sort((a, b) => compare(keys[a]!, keys[b]!) || a - b);
}

/** The root-collation order of two simple names (-1, 0, 1); undefined when either is not simple. */
export function simpleCompare(a: string, b: string): number | undefined {
  if (!SIMPLE.test(a) || !SIMPLE.test(b)) return undefined;
  // native comparisons of the strings (or of their copies with `_` moved), no loop over characters here
  const x = a.includes('_') ? a.replaceAll('_', '\u0001') : a;
  const y = b.includes('_') ? b.replaceAll('_', '\u0001') : b;
  return x < y ? -1 : x > y ? 1 : 0;
}
