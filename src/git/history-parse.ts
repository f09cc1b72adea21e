/** Pure parsers for the two reads `flagops history` makes of git: object ids in one batch, one first-parent log. */

/** One commit of `git log --first-parent`, with the files it changed against its first parent. */
export interface LogCommit {
  sha: string;
  authorName: string;
  authorEmail: string;
  /** Committer date, ISO 8601 as git prints it (`%cI`). */
  committedAt: string;
  subject: string;
  /** Paths changed (relative to the repository root). */
  files: string[];
}

/** The `--format` the parser below reads: records start with \x1e, fields split by \x1f, then `-z` file names. */
export const LOG_FORMAT = '%x1e%H%x1f%an%x1f%ae%x1f%cI%x1f%s%x1f';

/** `git log -z --name-only --format=LOG_FORMAT`: `\x1eSHA\x1fname\x1femail\x1fdate\x1fsubject\x1f\n\npath\0path\0…`. */
export function parseCommitLog(out: string): LogCommit[] {
  const commits: LogCommit[] = [];
  for (const record of out.split('\x1e')) {
    if (record.trim() === '') continue;
    const fields = record.split('\x1f');
    if (fields.length < 6) continue;
    const [sha = '', authorName = '', authorEmail = '', committedAt = '', subject = ''] = fields;
    const files = fields
      .slice(5)
      .join('\x1f')
      .split('\0')
      .map((f) => f.replace(/^\n+/, ''))
      .filter((f) => f !== '');
    commits.push({ sha: sha.trim(), authorName, authorEmail, committedAt, subject, files });
  }
  return commits;
}

/**
 * `git cat-file --batch-check=%(objectname)` for `count` requests, in order: an object id per line, or
 * `<request> missing` / `<request> ambiguous`. Returns the id, undefined where the object does not exist.
 */
export function parseObjectIds(out: string, count: number): (string | undefined)[] {
  const lines = out.split('\n');
  const result: (string | undefined)[] = [];
  for (let n = 0; n < count; n += 1) {
    const line = (lines[n] ?? '').trim();
    result.push(/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(line) ? line : undefined);
  }
  return result;
}
