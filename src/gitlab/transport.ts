/**
 * The single HTTP transport of src/gitlab: every request (gitbeaker's and our own) goes through
 * `request`, which adds the token, applies the per-attempt time-out, retries by the policy of
 * retry-policy.ts within a bounded count and total time, and turns failures into GitlabErrors
 * (http-errors.ts).
 */
import { failureToError, malformedResponse, type TokenScope } from './http-errors.js';
import { ResponseTooLargeError } from './node-fetch.js';
import { classifyFetchError, isRetryable, nextDelay, type Failure, type RetryPolicy } from './retry-policy.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | undefined | null | readonly (string | number)[];

export interface RetryInfo {
  method: string;
  /** URL path without query. */
  path: string;
  /** The attempt that just failed (1 = the first). */
  attempt: number;
  delayMs: number;
  /** e.g. "503", "429", "ECONNRESET". */
  reason: string;
}

export interface TransportOptions {
  /** Normalised base URL (url-safety.ts). */
  baseUrl: string;
  token: string | undefined;
  tokenEnv: string;
  policy: RetryPolicy;
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  now: () => number;
  onRetry?: (info: RetryInfo) => void;
}

export interface TransportRequest {
  method: HttpMethod;
  /** Relative to `/api/v4/`, every data segment already validated and encoded. */
  path: string;
  /** Already snake_case; arrays are sent as `key[]=v`. */
  query?: Record<string, QueryValue>;
  /** JSON body, sent as is (no key conversion). */
  json?: unknown;
  /** Form body (`application/x-www-form-urlencoded`). */
  form?: Record<string, string>;
  scope: TokenScope;
  /** Defaults to true for GET, PUT and DELETE. Non-idempotent requests are retried only when they surely did not reach GitLab or on 429/503. */
  idempotent?: boolean;
}

export interface TransportResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or null for an empty body (204). */
  body: unknown;
}

export interface Transport {
  readonly apiRoot: string;
  readonly secrets: readonly (string | undefined)[];
  request(req: TransportRequest): Promise<TransportResponse>;
  /** HTTP requests actually sent, retries included. */
  count(): number;
}

export function formatQuery(query: Record<string, QueryValue> | undefined): string {
  if (query === undefined) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    const k = encodeURIComponent(key);
    if (Array.isArray(value)) for (const v of value) parts.push(`${k}[]=${encodeURIComponent(String(v))}`);
    else parts.push(`${k}=${encodeURIComponent(String(value))}`);
  }
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

type Attempt = { ok: true; response: TransportResponse } | { ok: false; failure: Failure };

export function createTransport(options: TransportOptions): Transport {
  const apiRoot = `${options.baseUrl}/api/v4`;
  const secrets = [options.token];
  const { policy } = options;
  let sent = 0;

  async function attempt(url: string, init: RequestInit, timeoutMs: number, display: { method: string; path: string }): Promise<Attempt> {
    sent += 1;
    let res: Response;
    let text: string;
    // a plain controller and timer: AbortSignal.timeout costs noticeably more per request
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException('the request timed out', 'TimeoutError')), Math.max(1, timeoutMs));
    try {
      res = await options.fetch(url, { ...init, signal: controller.signal });
      text = await res.text();
    } catch (error) {
      // a body too big to hold is not a network failure: another try would get the same body
      if (error instanceof ResponseTooLargeError || (error as { code?: unknown })?.code === 'ERR_STRING_TOO_LONG' || error instanceof RangeError) {
        throw malformedResponse(display.method, display.path, `${error instanceof ResponseTooLargeError ? error.message : 'the response body is too large to read'}; not retried`, secrets);
      }
      return { ok: false, failure: classifyFetchError(error) };
    } finally {
      clearTimeout(timer);
    }
    const contentType = res.headers.get('content-type') ?? '';
    let body: unknown = null;
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        if (res.ok) {
          const type = contentType.split(';')[0]?.trim() || 'none';
          throw malformedResponse(display.method, display.path, `the body is not JSON (content-type ${type})`, secrets);
        }
        body = text;
      }
    }
    if (res.ok) return { ok: true, response: { status: res.status, headers: res.headers, body } };
    return { ok: false, failure: { kind: 'status', status: res.status, retryAfter: res.headers.get('retry-after'), body } };
  }

  async function request(req: TransportRequest): Promise<TransportResponse> {
    const url = `${apiRoot}/${req.path}${formatQuery(req.query)}`;
    const path = new URL(url).pathname;
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'flagops' };
    if (options.token !== undefined) headers['private-token'] = options.token;
    let body: string | undefined;
    if (req.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req.json);
    } else if (req.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(req.form).toString();
    }
    const init: RequestInit = { method: req.method, headers, body };
    const idempotent = req.idempotent ?? (req.method === 'GET' || req.method === 'PUT' || req.method === 'DELETE');
    const ctx = { method: req.method, path, scope: req.scope, tokenEnv: options.tokenEnv, tokenSet: options.token !== undefined, host: new URL(options.baseUrl).host, secrets };
    const start = options.now();
    const minAttemptMs = Math.min(policy.timeoutMs, 1000);

    for (let n = 1; ; n += 1) {
      const elapsedBefore = options.now() - start;
      const result = await attempt(url, init, Math.min(policy.timeoutMs, policy.maxTotalMs - elapsedBefore), ctx);
      if (result.ok) return result.response;
      const { failure } = result;
      const elapsed = options.now() - start;
      const stats = { attempts: n, elapsedMs: elapsed };
      if (!isRetryable(failure, idempotent)) {
        const stopReason =
          failure.kind === 'network' || failure.status >= 500
            ? `not retried: ${req.method} is not idempotent and the request may have reached GitLab`
            : undefined;
        throw failureToError(failure, ctx, { ...stats, stopReason });
      }
      if (n > policy.retries) throw failureToError(failure, ctx, stats);
      const delayMs = nextDelay(failure, n - 1, policy, { now: options.now(), random: options.random });
      if (elapsed + delayMs + minAttemptMs > policy.maxTotalMs) {
        throw failureToError(failure, ctx, { ...stats, stopReason: `the next try, in ${(delayMs / 1000).toFixed(1)} s, would go past the retry budget of ${(policy.maxTotalMs / 1000).toFixed(0)} s` });
      }
      options.onRetry?.({
        method: req.method,
        path,
        attempt: n,
        delayMs,
        reason: failure.kind === 'status' ? String(failure.status) : failure.code,
      });
      await options.sleep(delayMs);
    }
  }

  return { apiRoot, secrets, request, count: () => sent };
}
