/**
 * A tiny router: `/projects/:id/merge_requests/:iid` patterns matched segment by segment on the still-encoded
 * path, so `group%2Fapp` stays one segment (GitLab's URL-encoded project paths).
 */
import type { ApiResponse, RequestContext } from './http.js';

export type Handler = (ctx: RequestContext) => ApiResponse | Promise<ApiResponse>;

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  pattern: string;
  /** Runs after authentication: every API route needs a valid token, as `/version` and `/user` do in GitLab. */
  handler: Handler;
  /** No user token: the route authenticates itself (the Unleash client API's instance id); `user` is anonymous. */
  anonymous?: true;
}

export type RouteMatch =
  | { kind: 'ok'; route: Route; params: Record<string, string> }
  | { kind: 'method-not-allowed' }
  | { kind: 'none' };

function split(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function matchPattern(pattern: string, segments: string[]): Record<string, string> | undefined {
  const parts = split(pattern);
  // a last part `*name` takes the rest of the path (Grape's `*artifact_path`), at least one segment
  const rest = parts.at(-1)?.startsWith('*') ? parts.pop()!.slice(1) : undefined;
  if (rest === undefined ? parts.length !== segments.length : segments.length <= parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i += 1) {
    const part = parts[i] ?? '';
    const segment = segments[i] ?? '';
    if (part.startsWith(':')) {
      const value = decode(segment);
      if (value === undefined || value === '') return undefined;
      params[part.slice(1)] = value;
    } else if (part !== segment) {
      return undefined;
    }
  }
  if (rest !== undefined) {
    const tail = segments.slice(parts.length).map(decode);
    if (tail.some((t) => t === undefined || t === '')) return undefined;
    params[rest] = tail.join('/');
  }
  return params;
}

export function matchRoute(routes: Route[], method: string, path: string): RouteMatch {
  const segments = split(path);
  let pathMatched = false;
  for (const route of routes) {
    const params = matchPattern(route.pattern, segments);
    if (!params) continue;
    const wanted = method === 'HEAD' ? 'GET' : method;
    if (route.method === wanted) return { kind: 'ok', route, params };
    pathMatched = true;
  }
  return pathMatched ? { kind: 'method-not-allowed' } : { kind: 'none' };
}
