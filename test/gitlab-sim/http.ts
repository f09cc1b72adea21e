/**
 * Request parsing (Rack's nested parameter rules, JSON bodies) and GitLab's error shapes.
 */
import type { Clock } from './builders.js';
import type { SimState, SimUser } from './types.js';

export type Params = Record<string, unknown>;

export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RequestContext {
  method: string;
  /** Path below `/api/v4`, still URL-encoded. */
  path: string;
  /** Decoded path parameters. */
  params: Record<string, string>;
  /** Query string and body merged, body last (as Grape does). */
  input: Params;
  /** Query only, in request order, for Link headers. */
  search: URLSearchParams;
  /** Request headers (lower-case names), for the routes that authenticate by another header. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  user: SimUser;
  state: SimState;
  now: Clock;
  baseUrl: string;
}

/** An answer other than success; thrown by handlers, caught by the server. */
export class ApiError extends Error {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
  constructor(status: number, body: unknown, headers: Record<string, string> = {}) {
    super(typeof body === 'string' ? body : JSON.stringify(body));
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

/** Grape parameter validation errors: `{"error": "..."}`. */
export const paramError = (message: string): ApiError => new ApiError(400, { error: message });
/** `bad_request!(message)`: `{"message": "400 Bad request - ..."}`. */
export const badRequest = (message: string): ApiError =>
  new ApiError(400, { message: `400 Bad request - ${message}` });
/** `not_found!(what)` or ActiveRecord::RecordNotFound (`404 Not found`). */
export const notFound = (what?: string): ApiError =>
  new ApiError(404, { message: what ? `404 ${what} Not Found` : '404 Not found' });
/** `render_api_error!(message, status)`: the message as given. */
export const apiError = (status: number, message: unknown): ApiError => new ApiError(status, { message });
export const forbidden = (): ApiError => new ApiError(403, { message: '403 Forbidden' });

// --- Rack-style nested parameters -------------------------------------------------------------------------

type Nested = Record<string, unknown>;

function isHash(value: unknown): value is Nested {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hashHasKey(hash: Nested, key: string): boolean {
  if (key.includes('[]')) return false;
  let cursor: unknown = hash;
  for (const part of key.split(/[[\]]+/)) {
    if (part === '') continue;
    if (!isHash(cursor) || !(part in cursor)) return false;
    cursor = cursor[part];
  }
  return true;
}

function normalize(params: Nested, name: string, value: unknown, depth = 32): Nested {
  if (depth <= 0) throw paramError('parameters nested too deeply');
  const match = /^[[\]]*([^[\]]+)\]*/.exec(name);
  const key = match?.[1] ?? '';
  const after = match ? name.slice(match[0].length) : '';
  if (key === '') return params;
  if (after === '') {
    params[key] = value;
  } else if (after === '[') {
    params[name] = value;
  } else if (after === '[]') {
    const list = Array.isArray(params[key]) ? (params[key] as unknown[]) : [];
    list.push(value);
    params[key] = list;
  } else {
    const child = /^\[\]\[([^[\]]+)\]$/.exec(after) ?? /^\[\](.+)$/.exec(after);
    if (child) {
      const childKey = child[1] ?? '';
      const list = Array.isArray(params[key]) ? (params[key] as unknown[]) : [];
      params[key] = list;
      const last = list[list.length - 1];
      if (isHash(last) && !hashHasKey(last, childKey)) normalize(last, childKey, value, depth - 1);
      else list.push(normalize({}, childKey, value, depth - 1));
    } else {
      const inner = isHash(params[key]) ? (params[key] as Nested) : {};
      params[key] = normalize(inner, after, value, depth - 1);
    }
  }
  return params;
}

/** Parses `a=1&refs[]=x&refs[]=y&s[][name]=default` into nested params, as Rack does. */
export function parseNested(search: URLSearchParams): Params {
  const out: Nested = {};
  for (const [name, value] of search) normalize(out, name, value);
  return out;
}

/** The query as a flat record for the request log (repeated keys become arrays). */
export function flatQuery(search: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of search) {
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

export function parseBody(contentType: string | undefined, raw: string): Params | undefined {
  if (raw.trim() === '') return undefined;
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json' || (type === '' && /^\s*[{[]/.test(raw))) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw badRequest('Invalid JSON in request body');
    }
    if (!isHash(parsed)) throw paramError('The request body must be a JSON object');
    return parsed;
  }
  return parseNested(new URLSearchParams(raw));
}

// --- Grape-style coercions ---------------------------------------------------------------------------------

const TRUE = new Set(['1', 'on', 't', 'true', 'y', 'yes']);
const FALSE = new Set(['0', 'off', 'f', 'false', 'n', 'no']);

export function present(input: Params, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(input, key) && input[key] !== undefined;
}

export function optString(input: Params, key: string): string | undefined {
  if (!present(input, key)) return undefined;
  const value = input[key];
  if (value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw paramError(`${key} is invalid`);
}

export function optBool(input: Params, key: string): boolean | undefined {
  if (!present(input, key) || input[key] === null) return undefined;
  const value = input[key];
  if (typeof value === 'boolean') return value;
  const text = String(value).toLowerCase();
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  throw paramError(`${key} is invalid`);
}

export function optInt(input: Params, key: string): number | undefined {
  if (!present(input, key) || input[key] === null || input[key] === '') return undefined;
  const value = input[key];
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  throw paramError(`${key} is invalid`);
}

export function optDate(input: Params, key: string): Date | undefined {
  const text = optString(input, key);
  if (text === undefined || text === '') return undefined;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw paramError(`${key} is invalid`);
  return date;
}

export function optEnum<T extends string>(input: Params, key: string, values: readonly T[]): T | undefined {
  const text = optString(input, key);
  if (text === undefined) return undefined;
  if (!(values as readonly string[]).includes(text)) throw paramError(`${key} does not have a valid value`);
  return text as T;
}

/** Grape `requires`: collects every missing key into one error, in declaration order. */
export function requireKeys(input: Params, keys: string[], prefix = ''): void {
  const missing = keys.filter((k) => !present(input, k) || input[k] === null);
  if (missing.length > 0) throw paramError(missing.map((k) => `${prefix}${k} is missing`).join(', '));
}
