/**
 * Typed errors. The CLI maps them to exit codes (DESIGN §3): usage/config/auth → 2, remote → 3.
 * Messages never contain tokens.
 */
export type ErrorKind = 'usage' | 'config' | 'auth' | 'remote' | 'not-found' | 'conflict' | 'invalid-request';

export class FlagopsError extends Error {
  readonly kind: ErrorKind;
  readonly hint: string | undefined;
  constructor(kind: ErrorKind, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FlagopsError';
    this.kind = kind;
    this.hint = options.hint;
  }
  get exitCode(): number {
    return this.kind === 'remote' ? 3 : this.kind === 'usage' || this.kind === 'config' || this.kind === 'auth' ? 2 : 1;
  }
}

export class UsageError extends FlagopsError {
  constructor(message: string, hint?: string) {
    super('usage', message, { hint });
    this.name = 'UsageError';
  }
}

export class ConfigError extends FlagopsError {
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  constructor(message: string, where: { file?: string; line?: number; column?: number; hint?: string } = {}) {
    super('config', message, { hint: where.hint });
    this.name = 'ConfigError';
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
  }
}

/** A request to GitLab failed; `status` is undefined for network errors and time-outs. */
export class GitlabError extends FlagopsError {
  readonly status: number | undefined;
  readonly method: string;
  /** The URL path without query secrets, e.g. `/api/v4/features/foo`. */
  readonly path: string;
  constructor(
    kind: ErrorKind,
    message: string,
    details: { status?: number; method: string; path: string; hint?: string; cause?: unknown },
  ) {
    super(kind, message, { hint: details.hint, cause: details.cause });
    this.name = 'GitlabError';
    this.status = details.status;
    this.method = details.method;
    this.path = details.path;
  }
}

/** GitLab EE refused to set a flag whose name is a licensed feature's (400 "... is a licensed feature name ..."). */
export class LicensedNameError extends FlagopsError {
  readonly flag: string;
  constructor(flag: string, options: { cause?: unknown } = {}) {
    super('invalid-request', `GitLab refused to set '${flag}': it is a licensed feature name`, options);
    this.name = 'LicensedNameError';
    this.flag = flag;
  }
}
