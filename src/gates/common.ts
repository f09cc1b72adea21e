/** Small helpers shared by the gates: findings at the change's position, time and sha formatting, memo. */
import type { Finding, Severity } from '../model/finding.js';
import type { FlagChange, Memo } from './types.js';

export function gateFinding(
  change: FlagChange,
  f: { code: string; message: string; hint?: string; severity?: Severity },
): Finding {
  const out: Finding = {
    code: f.code,
    severity: f.severity ?? 'error',
    file: change.file,
    flag: change.flag,
    env: change.env,
    message: f.message,
  };
  if (change.line !== undefined) out.line = change.line;
  if (change.column !== undefined) out.column = change.column;
  if (f.hint !== undefined) out.hint = f.hint;
  return out;
}

/** `2026-11-21 07:00 UTC` */
export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const UNITS: [string, number][] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
];

/** `1d 3h`, `3h`, `45m`, `0m`: the two largest units, rounded down. */
export function formatDuration(ms: number): string {
  let rest = Math.max(0, Math.floor(ms));
  const parts: string[] = [];
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 && parts.length < 2) parts.push(`${n}${unit}`);
    else if (parts.length > 0) break;
  }
  return parts.length > 0 ? parts.join(' ') : '0m';
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

/** A memo for one run: concurrent callers of the same key share one promise; failures are not kept. */
export function createMemo(): Memo {
  const cache = new Map<string, Promise<unknown>>();
  return <T>(key: string, compute: () => Promise<T>): Promise<T> => {
    const hit = cache.get(key);
    if (hit) return hit as Promise<T>;
    const p = compute();
    cache.set(key, p);
    p.catch(() => cache.delete(key));
    return p;
  };
}

/** Without a memo in the context, compute every time. */
export const noMemo: Memo = (_key, compute) => compute();
