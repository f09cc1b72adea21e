/**
 * @gitbeaker/rest, minus its transport. Its resource classes accept a `requesterFn`; ours routes every
 * request into our Transport, so gitbeaker only builds endpoints and query objects while the token,
 * retries, time-outs and errors stay ours (gitbeaker never sees the token, so its errors could not
 * print it). Gitbeaker is imported lazily: it costs ~100 ms and commands like `validate` never need it.
 */
import type * as Gitbeaker from '@gitbeaker/rest';
import type { HttpMethod, QueryValue, Transport } from './transport.js';

type RequesterFn = NonNullable<
  NonNullable<ConstructorParameters<typeof Gitbeaker.MergeRequests>[0]>['requesterFn']
>;
type Id = string | number;
type Paged = { page: number; perPage: number; showExpanded: true };
type Res = Promise<unknown>;

/** The part of gitbeaker flagops uses, typed loosely: every answer is checked by mappers.ts. */
export interface GitbeakerApi {
  MergeRequests: {
    show(project: Id, iid: number): Res;
    allIssuesClosed(project: Id, iid: number, o: Paged): Res;
    allIssuesRelated(project: Id, iid: number, o: Paged): Res;
  };
  Commits: { allMergeRequests(project: Id, sha: string, o: Paged): Res };
  Issues: {
    show(iid: number, o: { projectId: Id }): Res;
    all(o: Paged & { projectId: Id } & Record<string, unknown>): Res;
    create(project: Id, title: string, o: Record<string, unknown>): Res;
    edit(project: Id, iid: number, o: Record<string, unknown>): Res;
  };
  IssueLinks: {
    all(project: Id, iid: number): Res;
    create(project: Id, iid: number, targetProject: Id, targetIid: number, o: { linkType: string }): Res;
  };
  MergeRequestNotes: NotesApi;
  IssueNotes: NotesApi;
  Deployments: {
    all(project: Id, o: Paged & Record<string, unknown>): Res;
    create(
      project: Id,
      environment: string,
      sha: string,
      ref: string,
      tag: boolean,
      o: { status: string },
    ): Res;
    edit(project: Id, id: number, status: string
    ): Res;
  };
  Repositories: { mergeBase(project: Id, refs: string[]): Res };
  FreezePeriods: { all(project: Id, o: Paged): Res };
  Users: { all(o: Paged & { username: string }): Res; show(id: number): Res; showCurrentUser(): Res };
  Projects: { show(project: Id): Res };
  Groups: { show(group: Id, o: { withProjects: boolean }): Res };
  Namespaces: { show(ns: Id): Res };
}
interface NotesApi {
  all(project: Id, iid: number, o: Paged): Res;
  create(project: Id, iid: number, body: string): Res;
  edit(project: Id, iid: number, noteId: number, o: { body: string }): Res;
}

/** `perPage` → `per_page`, for the top-level keys only (gitbeaker converts at every depth). */
function snakeKey(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function toQuery(params: Record<string, unknown> | undefined): Record<string, QueryValue> | undefined {
  if (params === undefined) return undefined;
  const out: Record<string, QueryValue> = {};
  for (const [k, v] of Object.entries(params)) {
    const ok =
      v === undefined ||
      v === null ||
      ['string', 'number', 'boolean'].includes(typeof v) ||
      (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number'));
    if (!ok) throw new Error(`internal: query parameter ${k} is not a scalar or a list of scalars`);
    out[snakeKey(k)] = v as QueryValue;
  }
  return out;
}

function toBody(body: unknown): unknown {
  if (body === undefined || body === null) return undefined;
  if (typeof FormData !== 'undefined' && body instanceof FormData)
    throw new Error('internal: form bodies are not routed through gitbeaker');
  const entries = Object.entries(body as Record<string, unknown>);
  if (entries.length === 0) return undefined;
  return Object.fromEntries(entries.map(([k, v]) => [snakeKey(k), v]));
}

export function createRequesterFn(transport: Transport): RequesterFn {
  const prefix = `${transport.apiRoot}/`;
  return (resourceOptions) => {
    const call =
      (method: HttpMethod) =>
      async (endpoint: string, options?: { searchParams?: Record<string, unknown>; body?: unknown }) => {
        const full = `${resourceOptions.url.replace(/\/+$/, '')}/${endpoint.replace(/^\/+/, '')}`;
        if (!full.startsWith(prefix) || full.includes('?'))
          throw new Error('internal: gitbeaker built a URL outside the API root');
        const res = await transport.request({
          method,
          path: full.slice(prefix.length),
          query: toQuery(options?.searchParams),
          json: toBody(options?.body),
          scope: method === 'GET' ? 'read_api' : 'api',
        });
        // Without `link`, gitbeaker never follows pages by itself: pagination.ts does, bounded.
        const headers: Record<string, string> = {};
        res.headers.forEach((value, name) => {
          if (name !== 'link') headers[name] = value;
        });
        return { body: res.body, headers, status: res.status };
      };
    const requester = {
      get: call('GET'),
      post: call('POST'),
      put: call('PUT'),
      patch: call('PATCH'),
      delete: call('DELETE'),
    };
    return requester as unknown as ReturnType<RequesterFn>;
  };
}

/** Loads gitbeaker and builds the resources, all sharing one requester bound to `transport`. */
export async function loadGitbeaker(transport: Transport, baseUrl: string): Promise<GitbeakerApi> {
  const gb = await import('@gitbeaker/rest');
  const options = { host: baseUrl, requesterFn: createRequesterFn(transport), queryTimeout: null };
  const api = {
    MergeRequests: new gb.MergeRequests(options),
    Commits: new gb.Commits(options),
    Issues: new gb.Issues(options),
    IssueLinks: new gb.IssueLinks(options),
    MergeRequestNotes: new gb.MergeRequestNotes(options),
    IssueNotes: new gb.IssueNotes(options),
    Deployments: new gb.Deployments(options),
    Repositories: new gb.Repositories(options),
    FreezePeriods: new gb.FreezePeriods(options),
    Users: new gb.Users(options),
    Projects: new gb.Projects(options),
    Groups: new gb.Groups(options),
    Namespaces: new gb.Namespaces(options),
  };
  return api as unknown as GitbeakerApi;
}
