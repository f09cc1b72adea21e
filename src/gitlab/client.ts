/**
 * `createGitlabClient`: the real GitlabPort. Merge requests, issues, notes, deployments, merge_base,
 * freeze periods and lookups go through @gitbeaker/rest (gitbeaker-adapter.ts); instance features and
 * project feature flags through our own requests (features-api.ts). Both share ONE transport
 * (transport.ts): token, time-outs, retries, error translation, request count.
 */
import { ConfigError } from '../errors/errors.js';
import { createOp } from './api-context.js';
import { createPromiseCache } from './cache.js';
import { createArtifactsApi } from './artifacts-api.js';
import { createFeaturesApi } from './features-api.js';
import { loadGitbeaker, type GitbeakerApi } from './gitbeaker-adapter.js';
import { createLookupsApi } from './lookups-api.js';
import type { GitlabPort } from './port.js';
import { createIssuesApi } from './issues-api.js';
import { createProjectApi } from './project-api.js';
import { createVerifyApi } from './verify-api.js';
import { DEFAULT_POLICY } from './retry-policy.js';
import { createTransport, type RetryInfo } from './transport.js';
import { normalizeBaseUrl } from './url-safety.js';

export type { RetryInfo } from './transport.js';
import { createNodeFetch } from './node-fetch.js';

export interface GitlabClientOptions {
  baseUrl: string;
  token: string | undefined;
  /** The NAME of the variable holding the token, for messages. */
  tokenEnv: string;
  /** Per-request time-out (default 15 s). */
  timeoutMs?: number;
  /** Budget of one call, retries included (default 120 s). */
  maxTotalMs?: number;
  /** Retries after the first attempt (default 5). */
  retries?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Clock for the retry budget (default Date.now). */
  now?: () => number;
  onRetry?: (info: RetryInfo) => void;
}

function checkOptions(options: GitlabClientOptions): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(options.tokenEnv)) {
    throw new ConfigError(
      `token_env ${JSON.stringify(options.tokenEnv.slice(0, 80))} is not a variable name`,
    );
  }
  const { token } = options;
  // A token with spaces or control characters would make fetch quote it in a header error.
  if (token !== undefined && (token === '' || !/^[\x21-\x7e]+$/.test(token))) {
    throw new ConfigError(
      `The token in $${options.tokenEnv} is empty or holds spaces or control characters`,
      {
        hint: `Set ${options.tokenEnv} to the token alone, without quotes or a newline.`,
      },
    );
  }
}

function positive(value: number | undefined, fallback: number, name: string, min = 1): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < min)
    throw new ConfigError(`GitLab client option ${name} must be a number ≥ ${min}`);
  return value;
}

export function createGitlabClient(options: GitlabClientOptions): GitlabPort {
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  checkOptions(options);
  const transport = createTransport({
    baseUrl,
    token: options.token,
    tokenEnv: options.tokenEnv,
    policy: {
      ...DEFAULT_POLICY,
      timeoutMs: positive(options.timeoutMs, DEFAULT_POLICY.timeoutMs, 'timeoutMs'),
      maxTotalMs: positive(options.maxTotalMs, DEFAULT_POLICY.maxTotalMs, 'maxTotalMs'),
      retries: Math.floor(positive(options.retries, DEFAULT_POLICY.retries, 'retries', 0)),
    },
    fetch: options.fetch ?? createNodeFetch(),
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    random: options.random ?? Math.random,
    now: options.now ?? Date.now,
    onRetry: options.onRetry,
  });
  const cache = createPromiseCache();
  let gitbeaker: Promise<GitbeakerApi> | undefined;
  const gb = (): Promise<GitbeakerApi> => (gitbeaker ??= loadGitbeaker(transport, baseUrl));
  const context = { op: createOp(transport.secrets), cache, gb };

  return {
    baseUrl,
    ...createProjectApi(context),
    ...createLookupsApi(context),
    ...createIssuesApi(context),
    ...createFeaturesApi(transport, context.op),
    ...createArtifactsApi(transport, context.op),
    ...createVerifyApi(transport, context.op),
    requestCount: () => transport.count(),
  };
}
