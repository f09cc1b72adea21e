/**
 * URL safety: which base URLs may receive a token, and validation + encoding of every path segment
 * built from data (project paths, ids, flag names) before it reaches a URL.
 */
import { ConfigError } from '../errors/errors.js';
import type { ProjectRef } from './port.js';
import { isLoopbackHost } from '../util/url.js';

/** Thrown by the segment validators; the client turns it into an 'invalid-request' GitlabError. */
export class RefusedInput extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedInput';
  }
}

export { isLoopbackHost };

/**
 * Checks and normalises a GitLab base URL: `https://` only, except `http://` to a loopback host; no
 * credentials, query or fragment; no trailing `/` (GitLab would see `//api/v4`).
 */
export function normalizeBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ConfigError(`GitLab URL ${JSON.stringify(truncate(raw))} is not a valid URL`, {
      hint: 'Use the instance root, e.g. https://gitlab.example.com',
    });
  }
  const shown = `${url.protocol}//${url.host}${url.pathname}`;
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new ConfigError(
      `GitLab URL ${shown} must use https:// (plain http:// is allowed only for 127.0.0.1, localhost and [::1])`,
      {
        hint: 'A token sent over plain http:// can be read by anyone on the way.',
      },
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new ConfigError(`GitLab URL ${shown} must not contain credentials`, {
      hint: 'Put the token in the variable named by token_env instead.',
    });
  }
  if (url.search !== '' || url.hash !== '') {
    throw new ConfigError(`GitLab URL ${shown} must not have a query or a fragment`);
  }
  const path = url.pathname.replace(/\/+$/, '');
  if (/\/api\/v4$/.test(path)) {
    throw new ConfigError(`GitLab URL ${shown} must be the instance root, without /api/v4`);
  }
  return `${url.protocol}//${url.host}${path}`;
}

/** Instance feature names (GitLab's definition rule). */
export const FEATURE_NAME_PATTERN = /^[a-z0-9]+(_[a-z0-9]+)*$/;
/** Project feature flag names (GitLab's `feature_flag_regex`). */
export const PROJECT_FLAG_NAME_PATTERN = /^[a-z]([-_a-z0-9]*[a-z0-9])?$/;
/** One segment of a GitLab namespace/project path. */
const PATH_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

export function featureNameSegment(name: string): string {
  if (typeof name !== 'string' || name.length > 255 || !FEATURE_NAME_PATTERN.test(name)) {
    throw new RefusedInput(`feature name ${show(name)} does not match ${FEATURE_NAME_PATTERN.source}`);
  }
  return name;
}

export function projectFlagNameSegment(name: string): string {
  if (typeof name !== 'string' || name.length > 255 || !PROJECT_FLAG_NAME_PATTERN.test(name)) {
    throw new RefusedInput(
      `project feature flag name ${show(name)} does not match ${PROJECT_FLAG_NAME_PATTERN.source}`,
    );
  }
  return name;
}

export function idSegment(value: number, what: string): string {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new RefusedInput(`${what} ${show(value)} is not a positive integer`);
  }
  return String(value);
}

/**
 * A project, group or namespace reference: a positive id (number or digit string) or a full path
 * `group/sub/project`. Returns the validated raw value (gitbeaker encodes it itself) — use
 * `encodeRef` for a URL segment.
 */
export function checkRef(ref: ProjectRef, what = 'project'): string | number {
  if (typeof ref === 'number') return Number(idSegment(ref, `${what} id`));
  if (typeof ref !== 'string') throw new RefusedInput(`${what} ${show(ref)} is neither an id nor a path`);
  if (/^\d+$/.test(ref)) return Number(idSegment(Number(ref), `${what} id`));
  const parts = ref.split('/');
  const ok =
    ref.length <= 1024 &&
    parts.every((p) => PATH_SEGMENT.test(p) && !p.endsWith('.git') && !p.endsWith('.atom') && p !== '..');
  if (!ok) throw new RefusedInput(`${what} path ${show(ref)} is not a GitLab path like group/sub/project`);
  return ref;
}

export function encodeRef(ref: ProjectRef, what = 'project'): string {
  return encodeURIComponent(String(checkRef(ref, what)));
}

/** Free text sent as a query value (usernames, environment names, refs): bounded, no control characters. */
export function checkQueryText(value: string, what: string): string {
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > 1024 ||
    /[\u0000-\u001f\u007f]/.test(value)
  ) {
    throw new RefusedInput(`${what} ${show(value)} is empty, too long or holds control characters`);
  }
  return value;
}

/** A commit SHA (abbreviated or full, SHA-1 or SHA-256). */
export function shaSegment(sha: string): string {
  if (typeof sha !== 'string' || !/^[0-9a-f]{7,64}$/i.test(sha)) {
    throw new RefusedInput(`commit ${show(sha)} is not a hexadecimal SHA`);
  }
  return sha;
}

function truncate(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(truncate(value)) : String(value).slice(0, 80);
}
