/**
 * The HTTP front: node:http on 127.0.0.1, faults first, then routing, authentication and the handler.
 * Every API request is logged (tokens redacted); unrouted ones also go to `unexpected`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { authenticate, extractToken, TOKEN_QUERY_KEYS } from './auth.js';
import type { Clock } from './builders.js';
import type { FaultRegistry } from './faults.js';
import { ApiError, flatQuery, parseBody, parseNested, type ApiResponse, type Params } from './http.js';
import { matchRoute, type Route } from './router.js';
import type { RequestLogEntry, SimState } from './types.js';

export interface ServerDeps {
  state: SimState;
  routes: Route[];
  strict: boolean;
  now: Clock;
  faults: FaultRegistry;
  requests: RequestLogEntry[];
  unexpected: RequestLogEntry[];
  latencyMs: () => number;
  /** `GET /-/sim/state`: the snapshot to answer (the CLI also writes it to its dump file). */
  snapshot: () => unknown;
  /** `POST /-/sim/seed`: adds a seed at run time. */
  seed: (seed: unknown) => void;
  baseUrl: () => string;
}

const ANONYMOUS = Object.freeze({ id: 0, username: '', name: '', admin: false, namespaceId: 0 });
const MAX_BODY = 10 * 1024 * 1024;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) reject(new ApiError(413, { message: '413 Request Entity Too Large' }));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(req: IncomingMessage, res: ServerResponse, answer: ApiResponse): void {
  const headers: Record<string, string> = { ...answer.headers };
  let payload = '';
  if (answer.status !== 204 && answer.body !== undefined) {
    if (typeof answer.body === 'string' && headers['Content-Type']) payload = answer.body;
    else {
      payload = JSON.stringify(answer.body);
      headers['Content-Type'] = 'application/json';
    }
  }
  headers['Cache-Control'] = 'max-age=0, private, must-revalidate';
  res.writeHead(answer.status, headers);
  res.end(req.method === 'HEAD' ? undefined : payload);
}

function faultAnswer(status: number, retryAfter: number): ApiResponse {
  if (status === 429) {
    return {
      status,
      body: 'Retry later\n',
      headers: { 'Content-Type': 'text/plain', 'Retry-After': String(retryAfter) },
    };
  }
  if (status === 500) return { status, body: { message: '500 Internal Server Error' } };
  // lib/api/api.rb: ActiveRecord::StaleObjectError and a lease not obtained answer 409 Resource lock
  if (status === 409) return { status, body: { message: '409 Conflict: Resource lock' } };
  const text = status === 502 ? '502 Bad Gateway' : '503 Service Unavailable';
  return {
    status,
    body: `<html><body><h1>${text}</h1></body></html>\n`,
    headers: { 'Content-Type': 'text/html' },
  };
}

function redactedQuery(search: URLSearchParams): Record<string, string | string[]> {
  const copy = new URLSearchParams(search);
  for (const key of TOKEN_QUERY_KEYS) if (copy.has(key)) copy.set(key, 'redacted');
  return flatQuery(copy);
}

async function handleApi(
  deps: ServerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const token = extractToken(req.headers, url.searchParams);
  const entry: RequestLogEntry = {
    method,
    path: url.pathname,
    query: redactedQuery(url.searchParams),
    status: 0,
    token: token === undefined ? 'none' : 'redacted',
  };
  deps.requests.push(entry);
  const started = performance.now();
  const latency = deps.latencyMs();
  const raw = await readBody(req).catch(() => '');
  const answer = await answerApi({ deps, req, url, method, token, raw, entry });
  // `latency` is the response time: the work above is part of it, the rest is waited out before answering
  const rest = latency - (performance.now() - started);
  if (rest > 0) await sleep(rest);
  if (answer === 'reset') {
    req.socket.destroy();
    return;
  }
  entry.status = answer.status;
  send(req, res, answer);
}

async function answerApi(args: {
  deps: ServerDeps;
  req: IncomingMessage;
  url: URL;
  method: string;
  token: string | undefined;
  raw: string;
  entry: RequestLogEntry;
}): Promise<ApiResponse | 'reset'> {
  const { deps, req, url, method, token, raw, entry } = args;
  const fault = deps.faults.pick(method, url.pathname);
  if (fault) {
    entry.fault = fault.kind;
    if (fault.kind === 'reset') return 'reset';
    if (fault.kind === 'status') return faultAnswer(fault.status, fault.retryAfter);
    await sleep(fault.ms);
  }

  const apiPath = url.pathname.slice('/api/v4'.length) || '/';
  const match = matchRoute(deps.routes, method, apiPath);
  try {
    const body = parseBody(req.headers['content-type'], raw);
    if (body !== undefined) entry.body = body;
    if (match.kind !== 'ok') {
      if (deps.strict) deps.unexpected.push(entry);
      throw match.kind === 'none'
        ? new ApiError(404, { error: '404 Not Found' })
        : new ApiError(405, { error: '405 Not Allowed' });
    }
    const user = match.route.anonymous ? ANONYMOUS : authenticate(deps.state, token, method, deps.now());
    const input: Params = { ...parseNested(url.searchParams), ...(body ?? {}) };
    return await match.route.handler({
      method,
      path: apiPath,
      params: match.params,
      input,
      search: url.searchParams,
      headers: req.headers,
      user,
      state: deps.state,
      now: deps.now,
      baseUrl: deps.baseUrl(),
    });
  } catch (error) {
    if (error instanceof ApiError) return { status: error.status, body: error.body, headers: error.headers };
    deps.unexpected.push(entry);
    return { status: 500, body: { message: '500 Internal Server Error' } };
  }
}

async function handleSim(
  deps: ServerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  if (url.pathname === '/-/sim/state' && req.method === 'GET') {
    send(req, res, { status: 200, body: deps.snapshot() });
    return true;
  }
  if (url.pathname === '/-/sim/seed' && req.method === 'POST') {
    try {
      deps.seed(JSON.parse(await readBody(req)) as unknown);
      send(req, res, { status: 204 });
    } catch (error) {
      send(req, res, {
        status: 400,
        body: { message: error instanceof Error ? error.message : 'invalid seed' },
      });
    }
    return true;
  }
  return false;
}

export function createSimServer(deps: ServerDeps): Server {
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const run = async () => {
      if (url.pathname.startsWith('/-/sim/') && (await handleSim(deps, req, res, url))) return;
      if (url.pathname === '/api/v4' || url.pathname.startsWith('/api/v4/')) {
        await handleApi(deps, req, res, url);
        return;
      }
      const entry: RequestLogEntry = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: redactedQuery(url.searchParams),
        status: 404,
        token: extractToken(req.headers, url.searchParams) === undefined ? 'none' : 'redacted',
      };
      deps.requests.push(entry);
      if (deps.strict) deps.unexpected.push(entry);
      send(req, res, { status: 404, body: { error: '404 Not Found' } });
    };
    run().catch(() => {
      if (!res.headersSent) send(req, res, { status: 500, body: { message: '500 Internal Server Error' } });
    });
  });
}
