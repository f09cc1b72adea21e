/** Small helpers shared by the gates: findings at the change's position, duration and sha formatting, memo. */
import type { Finding, Severity } from '../model/finding.js';
import { formatDuration } from '../util/duration.js';
import { ConfigError } from '../errors/errors.js';
import type { GitlabPort } from '../gitlab/port.js';
import type { FlagChange, GateContext, Memo } from './types.js';

/** The GitLab the gitlab-backed gates ask; configuring such a gate without a `gitlab` section is a config error. */
export function requirePort(ctx: GateContext, what: string): GitlabPort {
  if (!ctx.port) throw new ConfigError(`${what} of ${ctx.env.name} needs the gitlab section of flagops.yml`);
  return ctx.port;
}

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

/** Durations in gate messages: the two largest units, rounded down to minutes (`1d 3h`, `1d`, `45m`, `0m`). */
export function formatGateDuration(ms: number): string {
  return formatDuration(ms, { units: 2, smallest: 'm', separator: ' ' });
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
