/**
 * Helpers for the simulator's own tests: a seeded sim and a plain-fetch client.
 */
import { startGitlabSim, type GitlabSim, type GitlabSimOptions, type SimSeed } from './index.js';

export const ADMIN_TOKEN = 'glpat-admin-0000000000';
export const USER_TOKEN = 'glpat-user-00000000000';
export const READ_TOKEN = 'glpat-read-00000000000';

export const BASE_SEED: SimSeed = {
  users: [{ username: 'root', admin: true }, { username: 'luke' }],
  tokens: [
    { token: ADMIN_TOKEN, user: 'root', scopes: ['api'] },
    { token: USER_TOKEN, user: 'luke', scopes: ['api'] },
    { token: READ_TOKEN, user: 'luke', scopes: ['read_api'] },
  ],
  projects: [{ path: 'group/app' }],
};

export async function startSim(options: GitlabSimOptions = {}): Promise<GitlabSim> {
  return startGitlabSim({ seed: BASE_SEED, ...options });
}

export interface CallOptions {
  method?: string;
  token?: string | null;
  json?: unknown;
  form?: Record<string, string>;
}

export interface CallResult {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary GitLab JSON
  body: any;
  headers: Headers;
}

export async function call(sim: GitlabSim, path: string, options: CallOptions = {}): Promise<CallResult> {
  const headers: Record<string, string> = {};
  const token = options.token === undefined ? ADMIN_TOKEN : options.token;
  if (token !== null) headers['PRIVATE-TOKEN'] = token;
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.form) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  }
  const res = await fetch(`${sim.url}/api/v4${path}`, {
    method: options.method ?? (body ? 'POST' : 'GET'),
    headers,
    body,
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // keep text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}
