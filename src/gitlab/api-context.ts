/**
 * What the API modules share inside one client: the `op` wrapper (refused input and malformed answers
 * become GitlabErrors naming the method and route), the per-client cache, lazily loaded gitbeaker.
 */
import { GitlabError } from '../errors/errors.js';
import type { PromiseCache } from './cache.js';
import type { GitbeakerApi } from './gitbeaker-adapter.js';
import { ShapeError } from './guards.js';
import { malformedResponse, refusedInput } from './http-errors.js';
import { PER_PAGE, collectPages, gitbeakerPage } from './pagination.js';
import { redact } from './redact.js';
import { RefusedInput } from './url-safety.js';

/** Runs one port method; `template` is its route, e.g. `projects/:id/merge_requests/:iid`. */
export type Op = <T>(method: string, template: string, fn: () => Promise<T>) => Promise<T>;

export interface ApiContext {
  op: Op;
  cache: PromiseCache;
  gb: () => Promise<GitbeakerApi>;
}

/** Gitbeaker options for one page of a listing (pagination.ts follows the pages). */
export const PAGE = { perPage: PER_PAGE, showExpanded: true } as const;

export function createOp(secrets: readonly (string | undefined)[]): Op {
  return async (method, template, fn) => {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof GitlabError) throw error;
      const path = `/api/v4/${template}`;
      if (error instanceof RefusedInput) throw refusedInput(method, path, error.message, secrets);
      if (error instanceof ShapeError) throw malformedResponse(method, path, error.message, secrets);
      const what = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
      throw new GitlabError('remote', redact(`Unexpected failure in ${method} ${path}: ${what}`, secrets), {
        method,
        path,
      });
    }
  };
}

/** A 404 (the object does not exist or the token cannot see it) becomes null. */
export async function orNull<T>(load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof GitlabError && error.kind === 'not-found') return null;
    throw error;
  }
}

/** Every page of a gitbeaker listing, bounded. */
export function gbPages(
  method: string,
  template: string,
  fetchPage: (page: number) => Promise<unknown>,
): Promise<unknown[]> {
  return collectPages(async (page) => gitbeakerPage(await fetchPage(page)), {
    method,
    path: `/api/v4/${template}`,
  });
}
