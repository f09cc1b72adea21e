/**
 * Bounded offset pagination: `per_page=100`, follow `X-Next-Page`, at most `MAX_PAGES` pages; a longer
 * listing is an error saying so rather than a silently truncated answer.
 */
import { tooManyPages } from './http-errors.js';
import { ShapeError } from './guards.js';

export const PER_PAGE = 100;
export const MAX_PAGES = 50;

export interface Page {
  items: unknown[];
  next: number | null;
}

export async function collectPages(
  fetchPage: (page: number) => Promise<Page>,
  where: { method: string; path: string },
  maxPages = MAX_PAGES,
): Promise<unknown[]> {
  const items: unknown[] = [];
  let page = 1;
  for (let count = 1; ; count += 1) {
    const result = await fetchPage(page);
    items.push(...result.items);
    if (result.next === null) return items;
    if (count >= maxPages) throw tooManyPages(where.method, where.path, maxPages, PER_PAGE);
    if (result.next <= page)
      throw new ShapeError(`X-Next-Page ${result.next} does not advance past page ${page}`);
    page = result.next;
  }
}

export function parseNextPage(value: string | null | undefined): number | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** Gitbeaker's `showExpanded` answer for one page: `{ data, paginationInfo: { next } }`. */
export function gitbeakerPage(v: unknown): Page {
  const o = v as { data?: unknown; paginationInfo?: { next?: unknown } } | null;
  if (o === null || typeof o !== 'object' || !Array.isArray(o.data))
    throw new ShapeError('the body: expected an array');
  const next = o.paginationInfo?.next;
  return {
    items: o.data,
    next: typeof next === 'number' && Number.isSafeInteger(next) && next > 0 ? next : null,
  };
}
