/** Durations and instants as flagops reads and writes them: config (`soak: 1d12h`) and messages. */
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `1d12h` → milliseconds; undefined when not a duration. */
export function parseDuration(text: string): number | undefined {
  if (!/^(\d+[smhdw])+$/.test(text)) return undefined;
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)([smhdw])/g)) total += Number(n) * UNIT_MS[unit!]!;
  return total;
}

export type DurationUnit = 'd' | 'h' | 'm' | 's';

export interface DurationFormat {
  /** Units shown: this many, from the largest non-zero one down (zeros among them left out). Default: all. */
  units?: number;
  /** The smallest unit shown; the rest is rounded down. Default `s`. */
  smallest?: DurationUnit;
  /** Between units. Default none. */
  separator?: string;
}

const FORMAT_UNITS: readonly [DurationUnit, number][] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
];

/**
 * By default the form `parseDuration` reads: 90061000 → `1d1h1m1s`; 0 → `0s`. Negative durations count as 0.
 * `{ units: 2, smallest: 'm', separator: ' ' }` gives the gate messages' `1d 3h`, `45m`, `0m`.
 */
export function formatDuration(ms: number, format: DurationFormat = {}): string {
  const { units = Infinity, smallest = 's', separator = '' } = format;
  let rest = Math.max(0, Math.floor(ms));
  const parts: string[] = [];
  let first: number | undefined;
  for (const [i, [unit, size]] of FORMAT_UNITS.entries()) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) first ??= i;
    if (first !== undefined && i - first >= units) break;
    if (n > 0) parts.push(`${n}${unit}`);
    if (unit === smallest) break;
  }
  return parts.length > 0 ? parts.join(separator) : `0${smallest}`;
}

/** `2026-11-21 07:00 UTC`: minutes, rounded down. */
export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
