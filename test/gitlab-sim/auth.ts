/**
 * Token authentication as GitLab does it: `PRIVATE-TOKEN` header, `Authorization: Bearer`, or the
 * `private_token`/`access_token` query parameters. Scopes: `api` for everything, `read_api` for GET/HEAD.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError, forbidden } from './http.js';
import type { SimState, SimUser } from './types.js';

export const TOKEN_QUERY_KEYS = ['private_token', 'access_token'] as const;

/** The raw token of a request, or undefined. Never log what this returns. */
export function extractToken(headers: IncomingHttpHeaders, search: URLSearchParams): string | undefined {
  const header = headers['private-token'];
  if (typeof header === 'string' && header !== '') return header;
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (match?.[1]) return match[1];
  }
  for (const key of TOKEN_QUERY_KEYS) {
    const value = search.get(key);
    if (value) return value;
  }
  return undefined;
}

const unauthorized = (): ApiError => new ApiError(401, { message: '401 Unauthorized' });

function invalidToken(description: string): ApiError {
  return new ApiError(
    401,
    { error: 'invalid_token', error_description: description },
    {
      'WWW-Authenticate': `Bearer realm="Protected by OAuth 2.0", error="invalid_token", error_description="${description}"`,
    },
  );
}

function insufficientScope(scope: string): ApiError {
  const description = 'The request requires higher privileges than provided by the access token.';
  return new ApiError(
    403,
    { error: 'insufficient_scope', error_description: description, scope },
    {
      'WWW-Authenticate': `Bearer realm="Protected by OAuth 2.0", error="insufficient_scope", error_description="${description}", scope="${scope}"`,
    },
  );
}

/** Authenticates a request; throws the 401/403 GitLab would answer. */
export function authenticate(state: SimState, token: string | undefined, method: string, now: Date): SimUser {
  if (token === undefined) throw unauthorized();
  const record = state.tokens.find((t) => t.token === token);
  if (!record) throw unauthorized();
  if (record.revoked) throw invalidToken('Token was revoked. You have to re-authorize from the user.');
  if (record.expiresAt && new Date(record.expiresAt).getTime() <= now.getTime())
    throw invalidToken('Token has expired.');
  const user = state.users.find((u) => u.id === record.userId);
  if (!user) throw unauthorized();
  const read = method === 'GET' || method === 'HEAD';
  const ok = record.scopes.includes('api') || (read && record.scopes.includes('read_api'));
  if (!ok) throw insufficientScope(read ? 'api read_api' : 'api');
  return user;
}

export function requireAdmin(user: SimUser): void {
  if (!user.admin) throw forbidden();
}
