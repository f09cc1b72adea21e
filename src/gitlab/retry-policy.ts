/**
 * The retry policy, as pure functions: which failures are retried, how long to wait, and how a
 * failed fetch is classified. The loop itself lives in transport.ts.
 */

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  /** Budget for one call, attempts and waits included. */
  maxTotalMs: number;
  /** Per-attempt time-out. */
  timeoutMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest `Retry-After` honoured as is; longer ones are shortened to this. */
  maxRetryAfterMs: number;
}

export const DEFAULT_POLICY: RetryPolicy = {
  retries: 5,
  maxTotalMs: 120_000,
  timeoutMs: 15_000,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
};

/** What went wrong in one attempt. `sent: 'no'` means the request surely did not reach the server. */
export type Failure =
  | { kind: 'status'; status: number; retryAfter: string | null; body: unknown }
  | { kind: 'network'; code: string; description: string; sent: 'no' | 'maybe' };

const ALWAYS_RETRIED_STATUSES = new Set([429, 503]);
const IDEMPOTENT_RETRIED_STATUSES = new Set([500, 502, 504]);

/**
 * GitLab answers `409 Conflict: Resource lock` when a row changed under it (ActiveRecord::StaleObjectError) or a lease
 * could not be had (lib/api/api.rb rescues both): nothing was saved, so the request is retried like a 503.
 * Other 409s (a name already taken) are answers.
 */
export function isResourceLock(body: unknown): boolean {
  const message = typeof body === 'object' && body !== null ? (body as { message?: unknown }).message : body;
  return typeof message === 'string' && /resource lock/i.test(message);
}

/**
 * 429 and 503 are retried for every request (GitLab did not process it); other 5xx, resets and
 * time-outs only for idempotent ones; a connection that was never made is always retried, and so is a 409
 * Resource lock. Other 4xx answers (400/401/403/404/409/422) never are.
 */
export function isRetryable(failure: Failure, idempotent: boolean): boolean {
  if (failure.kind === 'network') return failure.sent === 'no' || idempotent;
  if (ALWAYS_RETRIED_STATUSES.has(failure.status)) return true;
  if (failure.status === 409 && isResourceLock(failure.body)) return true;
  return idempotent && IDEMPOTENT_RETRIED_STATUSES.has(failure.status);
}

/** Exponential backoff with equal jitter: half fixed, half random. `retryIndex` starts at 0. */
export function backoffDelay(retryIndex: number, policy: RetryPolicy, random: () => number): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(exp / 2 + (exp / 2) * r);
}

/** `Retry-After` as milliseconds from now: delta-seconds or an HTTP date; undefined when absent or unparsable. */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** The delay before the next attempt: the server's `Retry-After` (capped) when it sent one, else backoff. */
export function nextDelay(
  failure: Failure,
  retryIndex: number,
  policy: RetryPolicy,
  ctx: { now: number; random: () => number },
): number {
  if (failure.kind === 'status') {
    const asked = parseRetryAfter(failure.retryAfter, ctx.now);
    if (asked !== undefined) return Math.min(asked, policy.maxRetryAfterMs);
  }
  return backoffDelay(retryIndex, policy, ctx.random);
}

/** Connection errors raised before any byte was sent. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const DESCRIPTIONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connection time-out',
  ECONNRESET: 'connection reset',
  UND_ERR_SOCKET: 'connection closed by the server',
  EPIPE: 'connection closed by the server',
  ETIMEDOUT: 'time-out',
  UND_ERR_HEADERS_TIMEOUT: 'time-out waiting for headers',
  UND_ERR_BODY_TIMEOUT: 'time-out reading the body',
};

/**
 * Classifies what `fetch` threw. Only the error code is kept: the raw error (which may quote request
 * headers) is dropped here.
 */
export function classifyFetchError(error: unknown): Failure & { kind: 'network' } {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return { kind: 'network', code: 'ETIMEDOUT', description: 'time-out', sent: 'maybe' };
  }
  const code = errorCode(error instanceof Error ? error.cause : undefined) ?? errorCode(error);
  if (code === undefined) {
    return {
      kind: 'network',
      code: 'EUNKNOWN',
      description: 'the request failed before an answer came',
      sent: 'maybe',
    };
  }
  return {
    kind: 'network',
    code,
    description: DESCRIPTIONS[code] ?? 'network error',
    sent: NOT_SENT_CODES.has(code) ? 'no' : 'maybe',
  };
}

function errorCode(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const code = (value as { code?: unknown }).code;
  if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return code;
  const errors = (value as { errors?: unknown }).errors;
  return Array.isArray(errors) ? errorCode(errors[0]) : undefined;
}
