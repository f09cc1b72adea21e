import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  backoffDelay,
  classifyFetchError,
  isRetryable,
  nextDelay,
  parseRetryAfter,
  type Failure,
} from './retry-policy.js';
import { remoteMessageOf } from './http-errors.js';
import { REDACTED, redact } from './redact.js';
import { checkRef, isLoopbackHost, normalizeBaseUrl } from './url-safety.js';

const status = (s: number, retryAfter: string | null = null): Failure => ({
  kind: 'status',
  status: s,
  retryAfter,
  body: null,
});
const fetchFailed = (code: string) =>
  Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('x'), { code }) });

describe('retry policy', () => {
  it('retries 429/503 always, other 5xx only when idempotent, 4xx never', () => {
    for (const s of [429, 503])
      expect([isRetryable(status(s), true), isRetryable(status(s), false)]).toEqual([true, true]);
    for (const s of [500, 502, 504])
      expect([isRetryable(status(s), true), isRetryable(status(s), false)]).toEqual([true, false]);
    for (const s of [400, 401, 403, 404, 409, 422]) expect(isRetryable(status(s), true)).toBe(false);
  });

  it('retries a refused connection even for a POST, a reset or time-out only when idempotent', () => {
    const refused = classifyFetchError(fetchFailed('ECONNREFUSED'));
    const reset = classifyFetchError(fetchFailed('ECONNRESET'));
    const timeout = classifyFetchError(Object.assign(new Error('aborted'), { name: 'TimeoutError' }));
    expect(refused).toMatchObject({ code: 'ECONNREFUSED', sent: 'no' });
    expect(isRetryable(refused, false)).toBe(true);
    expect([isRetryable(reset, false), isRetryable(reset, true)]).toEqual([false, true]);
    expect([isRetryable(timeout, false), isRetryable(timeout, true)]).toEqual([false, true]);
    expect(
      classifyFetchError(new TypeError('Headers.append: "tok" is an invalid header value.')),
    ).toMatchObject({ code: 'EUNKNOWN' });
  });

  it('parses Retry-After seconds and HTTP dates, caps it, and backs off exponentially with bounded jitter', () => {
    expect(parseRetryAfter('12', 0)).toBe(12_000);
    expect(parseRetryAfter(new Date(65_000).toUTCString(), 5_000)).toBe(60_000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(nextDelay(status(429, '3600'), 0, DEFAULT_POLICY, { now: 0, random: () => 0 })).toBe(
      DEFAULT_POLICY.maxRetryAfterMs,
    );
    expect([0, 1, 2].map((i) => backoffDelay(i, DEFAULT_POLICY, () => 0))).toEqual([250, 500, 1000]);
    expect(backoffDelay(3, DEFAULT_POLICY, () => 1)).toBe(4000);
    expect(backoffDelay(30, DEFAULT_POLICY, () => 1)).toBe(DEFAULT_POLICY.maxDelayMs);
  });
});

describe('GitLab error bodies', () => {
  it('409 Resource lock is retried, a taken name is not', () => {
    const lock = { kind: 'status' as const, status: 409, retryAfter: null, body: { message: '409 Conflict: Resource lock' } };
    const taken = { ...lock, body: { message: 'Name has already been taken' } };
    expect(isRetryable(lock, false)).toBe(true);
    expect(isRetryable(taken, true)).toBe(false);
  });

  it('array-valued messages read as sentences, not "0 Name has already been taken"', () => {
    expect(remoteMessageOf({ message: ['Name has already been taken', 'Version is invalid'] }, [])).toBe(
      'Name has already been taken; Version is invalid',
    );
    expect(remoteMessageOf({ message: { name: ['has already been taken'] } }, [])).toBe('name has already been taken');
  });
});

describe('redact and URL safety', () => {
  it('redacts the secret in plain and encoded forms, and anything shaped like a GitLab token', () => {
    const out = redact('a my+secret/tok b my%2Bsecret%2Ftok c glpat-0123456789abcdefghij', [
      'my+secret/tok',
      undefined,
    ]);
    expect(out).toBe(`a ${REDACTED} b ${REDACTED} c ${REDACTED}`);
  });

  it('accepts loopback http only, and paths or ids as project references', () => {
    expect(['127.0.0.1', '127.255.0.9', 'localhost', '[::1]'].every(isLoopbackHost)).toBe(true);
    expect(['128.0.0.1', '127.0.0.256', 'localhost.evil.com', '0.0.0.0'].some(isLoopbackHost)).toBe(false);
    expect(normalizeBaseUrl('https://gitlab.example.com/gitlab/')).toBe('https://gitlab.example.com/gitlab');
    expect(() => normalizeBaseUrl('https://gitlab.example.com/api/v4')).toThrow(/instance root/);
    expect([checkRef('group/sub/app'), checkRef('42'), checkRef(42)]).toEqual(['group/sub/app', 42, 42]);
    for (const bad of ['', 'a//b', '../x', 'a/b.git', 'a b', 0]) expect(() => checkRef(bad)).toThrow();
  });
});
