/**
 * GitLab's offset pagination: `page`/`per_page` (default 20, at most 100) and the X-* and Link headers.
 */
import { optInt, paramError, type ApiResponse, type RequestContext } from './http.js';

export const DEFAULT_PER_PAGE = 20;
export const MAX_PER_PAGE = 100;

export interface PageWindow {
  page: number;
  perPage: number;
}

export function pageWindow(ctx: RequestContext): PageWindow {
  const rawPage = optInt(ctx.input, 'page');
  const rawPer = optInt(ctx.input, 'per_page');
  if (rawPer === 0) throw paramError('per_page has a value not allowed');
  const page = rawPage === undefined || rawPage < 1 ? 1 : rawPage;
  const perPage = rawPer === undefined || rawPer < 0 ? DEFAULT_PER_PAGE : Math.min(rawPer, MAX_PER_PAGE);
  return { page, perPage };
}

function pageUrl(ctx: RequestContext, page: number, perPage: number): string {
  const search = new URLSearchParams(ctx.search);
  search.set('page', String(page));
  search.set('per_page', String(perPage));
  return `${ctx.baseUrl}/api/v4${ctx.path}?${search.toString()}`;
}

/** One page of `items` with GitLab's headers. `map` turns each item into its API entity. */
export function paginate<T>(ctx: RequestContext, items: T[], map: (item: T) => unknown): ApiResponse {
  const { page, perPage } = pageWindow(ctx);
  const total = items.length;
  const totalPages = Math.max(1, Math.ceil(total / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const next = page < totalPages ? page + 1 : null;
  const prev = page > 1 ? Math.min(page - 1, totalPages) : null;
  const links: string[] = [];
  if (prev !== null) links.push(`<${pageUrl(ctx, prev, perPage)}>; rel="prev"`);
  if (next !== null) links.push(`<${pageUrl(ctx, next, perPage)}>; rel="next"`);
  links.push(`<${pageUrl(ctx, 1, perPage)}>; rel="first"`);
  links.push(`<${pageUrl(ctx, totalPages, perPage)}>; rel="last"`);
  return {
    status: 200,
    body: slice.map(map),
    headers: {
      'X-Page': String(page),
      'X-Per-Page': String(perPage),
      'X-Total': String(total),
      'X-Total-Pages': String(totalPages),
      'X-Next-Page': next === null ? '' : String(next),
      'X-Prev-Page': prev === null ? '' : String(prev),
      Link: links.join(', '),
    },
  };
}
