/**
 * Defensive redaction: every text that leaves src/gitlab (error messages, hints, retry notices) goes
 * through `redact` with the client's token, so a token echoed back by a proxy, a library or GitLab
 * itself never reaches a terminal, a report or a log.
 */
export const REDACTED = '[REDACTED]';

/** GitLab token formats (personal/project/group/deploy/runner/OAuth/... tokens: `glpat-…`, `gldt-…`, …). */
const GITLAB_TOKEN_PATTERN = /\bgl[a-z]{2,6}-[A-Za-z0-9_.-]{16,}/g;
/** Secrets shorter than this are not searched for (they would redact ordinary words). */
const MIN_SECRET_LENGTH = 6;

/**
 * Replaces every occurrence of each secret (also in its URL-encoded form) and anything shaped like a
 * GitLab token with `[REDACTED]`.
 */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret === undefined || secret.length < MIN_SECRET_LENGTH) continue;
    for (const form of new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])) {
      out = out.split(form).join(REDACTED);
    }
  }
  return out.replace(GITLAB_TOKEN_PATTERN, REDACTED);
}
