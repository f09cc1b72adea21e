/**
 * A `fetch` on node:http/https with keep-alive agents, for the transport. Node's built-in fetch costs about 1.4 ms of
 * CPU per round trip against about 0.5 ms for node:http (measured on a 2-core machine), which shows when an apply
 * sends a thousand requests. Only what the transport uses is implemented: method, headers, string body, an abort
 * signal; the answer has what the transport reads of a `Response` (status, ok, headers, text, json) — building a
 * real one costs as much as the request. Errors keep node's codes (ECONNRESET, ECONNREFUSED…); an abort rejects
 * with the signal's reason, as fetch does.
 */
import http from 'node:http';
import type https from 'node:https';
import { createRequire } from 'node:module';

// TLS is loaded on the first https request only: loopback tests and plain-http tries never pay for it
const load = createRequire(import.meta.url);

/** The largest response body read (64 MiB): GitLab's pages of 100 objects are a few hundred KiB at most. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** A response body over the limit: the request is dropped as soon as that is known (a header or a chunk too many). */
export class ResponseTooLargeError extends Error {
  readonly limit: number;
  constructor(limit: number, declared?: number) {
    super(declared !== undefined ? `the response body is ${declared} bytes, over the ${limit}-byte limit` : `the response body is over the ${limit}-byte limit`);
    this.name = 'ResponseTooLargeError';
    this.limit = limit;
  }
}

export function createNodeFetch(options: { maxSockets?: number; maxBodyBytes?: number } = {}): typeof fetch {
  const maxSockets = options.maxSockets ?? 16;
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  // idle sockets are dropped after 4 s, before a server's usual keep-alive time-out (5 s in Node, longer in nginx),
  // so a request is not written to a socket the server is closing
  const agentOptions = { keepAlive: true, maxSockets, timeout: 4000 };
  let httpsModule: typeof https | undefined;
  let httpsAgent: https.Agent | undefined;
  const httpAgent = new http.Agent(agentOptions);
  const transportFor = (protocol: 'http:' | 'https:'): { mod: typeof http | typeof https; agent: http.Agent } => {
    if (protocol === 'http:') return { mod: http, agent: httpAgent };
    httpsModule ??= load('node:https') as typeof https;
    httpsAgent ??= new httpsModule.Agent(agentOptions);
    return { mod: httpsModule, agent: httpsAgent };
  };
  const nodeFetch = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> =>
    new Promise((resolve, reject) => {
      const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
      const protocol = url.protocol as 'http:' | 'https:';
      if (protocol !== 'http:' && protocol !== 'https:') {
        reject(new TypeError(`unsupported protocol ${url.protocol}`));
        return;
      }
      const signal = init.signal ?? undefined;
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries((init.headers ?? {}) as Record<string, string>)) headers[key.toLowerCase()] = value;
      const body = typeof init.body === 'string' ? init.body : undefined;
      if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
      const { mod, agent } = transportFor(protocol);
      const req = mod.request(url, { method: init.method ?? 'GET', headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > maxBodyBytes) {
          req.destroy();
          fail(new ResponseTooLargeError(maxBodyBytes, declared));
          return;
        }
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBodyBytes) {
            chunks.length = 0;
            req.destroy();
            fail(new ResponseTooLargeError(maxBodyBytes));
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', fail);
        res.on('end', () => {
          signal?.removeEventListener('abort', onAbort);
          const status = res.statusCode ?? 0;
          const out = lightHeaders(res.headers);
          try {
            resolve(lightResponse(status, res.statusMessage ?? '', out, Buffer.concat(chunks)));
          } catch (error) {
            fail(error);
          }
        });
      });
      function fail(error: unknown): void {
        signal?.removeEventListener('abort', onAbort);
        reject(error);
      }
      function onAbort(): void {
        req.destroy();
        reject(signal!.reason);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', fail);
      req.end(body);
    });
  return nodeFetch as typeof fetch;
}

function lightResponse(status: number, statusText: string, headers: Headers, body: Buffer): Response {
  let used = false;
  const text = async (): Promise<string> => {
    if (used) throw new TypeError('body already read');
    used = true;
    return body.toString('utf8');
  };
  const response = {
    status,
    statusText,
    ok: status >= 200 && status < 300,
    headers,
    text,
    json: async (): Promise<unknown> => JSON.parse(await text()),
    get bodyUsed() {
      return used;
    },
  };
  return response as unknown as Response;
}

/** What the transport reads of `Headers` (get, has, forEach), without loading undici for it. */
function lightHeaders(raw: http.IncomingHttpHeaders): Headers {
  const map = new Map<string, string>();
  for (const [key, value] of Object.entries(raw)) {
    if (value !== undefined) map.set(key.toLowerCase(), Array.isArray(value) ? value.join(', ') : value);
  }
  const headers = {
    get: (name: string): string | null => map.get(name.toLowerCase()) ?? null,
    has: (name: string): boolean => map.has(name.toLowerCase()),
    forEach: (fn: (value: string, key: string) => void): void => map.forEach((v, k) => fn(v, k)),
    entries: () => map.entries(),
    [Symbol.iterator]: () => map.entries(),
  };
  return headers as unknown as Headers;
}
