/**
 * The one place where failures talking to GitLab become `GitlabError`s. Messages name the method,
 * the path (never the query), the variable holding the token and the scope it needs; never the token,
 * request headers or a raw library error (no `cause` is ever attached).
 */
import { GitlabError, type ErrorKind } from '../errors/errors.js';
import { redact } from './redact.js';
import type { Failure } from './retry-policy.js';

/** What the call needs from the token; used to tell the user which scope is missing. */
export type TokenScope = 'read_api' | 'api' | 'admin';

/** A GitlabError from an HTTP answer, keeping GitLab's own message for callers that branch on it. */
export class GitlabResponseError extends GitlabError {
  readonly remoteMessage: string | undefined;
  constructor(
    kind: ErrorKind,
    message: string,
    details: { status: number; method: string; path: string; hint?: string; remoteMessage?: string },
  ) {
    super(kind, message, details);
    this.remoteMessage = details.remoteMessage;
  }
}

export interface ErrorContext {
  method: string;
  /** URL path without query. */
  path: string;
  scope: TokenScope;
  tokenEnv: string;
  tokenSet: boolean;
  /** The GitLab's host (`gitlab.example.com:8443`), so a message says which instance failed. */
  host?: string;
  /** Secrets to redact from anything GitLab sent back. */
  secrets: readonly (string | undefined)[];
}

export interface AttemptStats {
  attempts: number;
  elapsedMs: number;
  /** Why retrying stopped early, e.g. "the retry budget of 120 s is spent". */
  stopReason?: string;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function scopeText(scope: TokenScope): string {
  if (scope === 'admin')
    return "an administrator's token with the api scope (the Features API is admin-only), plus the admin_mode scope when Admin Mode is on";
  if (scope === 'api') return 'the api scope and enough access to the project to write';
  return 'the read_api (or api) scope and at least Reporter access to the project';
}

/** GitLab's error text: `message` (string or field → errors map) or `error`, redacted and bounded. */
export function remoteMessageOf(body: unknown, secrets: readonly (string | undefined)[]): string | undefined {
  let text: string | undefined;
  if (typeof body === 'string')
    text = body.trim() === '' || body.trimStart().startsWith('<') ? undefined : body;
  else if (typeof body === 'object' && body !== null) {
    const { message, error } = body as { message?: unknown; error?: unknown };
    const picked = message ?? error;
    if (typeof picked === 'string') text = picked;
    // ActiveRecord full messages as a list: `{"message": ["Name has already been taken"]}`
    else if (Array.isArray(picked)) text = picked.map(String).join('; ');
    else if (typeof picked === 'object' && picked !== null) {
      text = Object.entries(picked)
        .map(([field, v]) => `${field} ${Array.isArray(v) ? v.map(String).join(', ') : String(v)}`)
        .join('; ');
    }
  }
  if (text === undefined) return undefined;
  const clean = redact(text, secrets).replace(/\s+/g, ' ').trim();
  return clean.length > 500 ? `${clean.slice(0, 497)}...` : clean;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function attemptsText(stats: AttemptStats): string {
  const n = `${stats.attempts} attempt${stats.attempts === 1 ? '' : 's'}`;
  return `after ${n} in ${seconds(stats.elapsedMs)}${stats.stopReason ? ` (${stats.stopReason})` : ''}`;
}

/** Turns the last failure of a call into a GitlabError. */
export function failureToError(failure: Failure, ctx: ErrorContext, stats: AttemptStats): GitlabError {
  const where = `${ctx.method} ${ctx.host ?? ''}${ctx.path}`;
  const clean = (s: string): string => redact(s, ctx.secrets);
  if (failure.kind === 'network') {
    return new GitlabError(
      'remote',
      clean(
        `Could not reach GitLab at ${ctx.host ?? 'its URL'} for ${ctx.method} ${ctx.path}: ${failure.description} (${failure.code}) ${attemptsText(stats)}`,
      ),
      {
        method: ctx.method,
        path: ctx.path,
        hint: 'Check the GitLab URL and the network; flagops commands are safe to re-run.',
      },
    );
  }
  const { status } = failure;
  const remote = remoteMessageOf(failure.body, ctx.secrets);
  const statusText = `${status} ${STATUS_TEXT[status] ?? ''}`.trim();
  const said = remote !== undefined && remote !== '' ? `: ${remote}` : '';
  const details = { status, method: ctx.method, path: ctx.path, remoteMessage: remote };
  const make = (kind: ErrorKind, message: string, hint?: string): GitlabResponseError =>
    new GitlabResponseError(kind, clean(message), {
      ...details,
      hint: hint === undefined ? undefined : clean(hint),
    });

  if (status === 401) {
    const why = ctx.tokenSet
      ? `GitLab refused the token in $${ctx.tokenEnv} (${statusText}) for ${where}: it is invalid, expired or revoked`
      : `GitLab requires a token for ${where} (${statusText}) and $${ctx.tokenEnv} is not set`;
    return make('auth', why, `Set ${ctx.tokenEnv} to a token with ${scopeText(ctx.scope)}.`);
  }
  if (status === 403) {
    return make(
      'auth',
      `GitLab refused ${where} (${statusText}) with the token in $${ctx.tokenEnv}${said}`,
      `The token in ${ctx.tokenEnv} needs ${scopeText(ctx.scope)}.`,
    );
  }
  if (status === 404) {
    return make(
      'not-found',
      `GitLab found nothing at ${where} (${statusText})${said}`,
      `Check the path, and that the token in ${ctx.tokenEnv} can see it.`,
    );
  }
  if (status === 409)
    return make('conflict', `GitLab reported a conflict for ${where} (${statusText})${said}`);
  if (status >= 400 && status < 500 && status !== 429) {
    return make('invalid-request', `GitLab refused ${where} (${statusText})${said}`);
  }
  return make(
    'remote',
    `GitLab failed to answer ${where}: ${statusText}${said} ${attemptsText(stats)}`,
    'GitLab may be down or overloaded; flagops commands are safe to re-run.',
  );
}

/** A 2xx answer whose body is not what the port promises. */
export function malformedResponse(
  method: string,
  path: string,
  what: string,
  secrets: readonly (string | undefined)[],
): GitlabError {
  return new GitlabError(
    'remote',
    redact(`GitLab returned an unexpected response to ${method} ${path}: ${what}`, secrets),
    {
      method,
      path,
      hint: 'Is the URL a GitLab instance (REST API v4)?',
    },
  );
}

/** Input refused before any request (bad flag name, project path, id). */
export function refusedInput(
  method: string,
  path: string,
  what: string,
  secrets: readonly (string | undefined)[],
): GitlabError {
  return new GitlabError('invalid-request', redact(`Refusing to send ${method} ${path}: ${what}`, secrets), {
    method,
    path,
  });
}

/** A listing longer than the page bound. */
export function tooManyPages(method: string, path: string, maxPages: number, perPage: number): GitlabError {
  return new GitlabError(
    'remote',
    `GitLab returned more than ${maxPages} pages of ${perPage} items for ${method} ${path}; flagops reads at most ${maxPages * perPage} items`,
    { method, path },
  );
}
