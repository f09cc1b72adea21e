/** Pure parsers for git's NUL-separated output (`-z`). */

export type ChangeStatus = 'added' | 'modified' | 'deleted' | 'renamed';

export interface ChangedFile {
  status: ChangeStatus;
  /** Path relative to the repository root (the new path of a rename). */
  path: string;
  /** The path before a rename. */
  oldPath?: string;
}

export interface FileCommit {
  sha: string;
  committedAt: Date;
  /** The file's path (relative to the repository root) in this commit; undefined when it was deleted here. */
  path: string | undefined;
}

/** `git diff --name-status -z`: `M\0path\0R100\0old\0new\0…`. */
export function parseNameStatus(out: string): ChangedFile[] {
  const parts = out.split('\0');
  const files: ChangedFile[] = [];
  let i = 0;
  while (i < parts.length) {
    const code = (parts[i] ?? '').trim();
    i += 1;
    if (code === '') continue;
    const letter = code[0];
    if (letter === 'R' || letter === 'C') {
      const oldPath = parts[i] ?? '';
      const path = parts[i + 1] ?? '';
      i += 2;
      files.push(letter === 'R' ? { status: 'renamed', path, oldPath } : { status: 'added', path });
      continue;
    }
    const path = parts[i] ?? '';
    i += 1;
    if (letter === 'A') files.push({ status: 'added', path });
    else if (letter === 'D') files.push({ status: 'deleted', path });
    else files.push({ status: 'modified', path }); // M, T (type change), U (unmerged), X
  }
  return files;
}

/**
 * `git log -z --name-status --format=%x1e%H%x00%ct`: records start with \x1e; each is
 * `sha\0unixtime\0\nSTATUS\0path[\0newpath]\0`. The path is the file's path after the commit.
 */
export function parseFileLog(out: string): FileCommit[] {
  const commits: FileCommit[] = [];
  for (const record of out.split('\x1e')) {
    if (record.trim() === '') continue;
    const [sha = '', time = '', ...rest] = record.split('\0');
    const entries = parseNameStatus(rest.join('\0'));
    const last = entries[entries.length - 1];
    // A commit without a name-status entry (possible with --follow on merges) keeps the newer commit's path.
    const path =
      last === undefined
        ? commits[commits.length - 1]?.path
        : last.status === 'deleted'
          ? undefined
          : last.path;
    commits.push({ sha: sha.trim(), committedAt: new Date(Number(time.trim()) * 1000), path });
  }
  return commits;
}

/**
 * `git cat-file --batch` output for a list of requests, in order:
 * `<oid> <type> <size>\n<content>\n` or `<request> missing\n` (also `ambiguous`).
 * Returns the content of each blob, undefined for missing objects or non-blobs.
 */
export function parseCatFileBatch(out: Uint8Array, count: number): (string | undefined)[] {
  const buf = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  const result: (string | undefined)[] = [];
  let pos = 0;
  for (let n = 0; n < count; n += 1) {
    const eol = buf.indexOf(0x0a, pos);
    if (eol < 0) break;
    const header = buf.toString('utf8', pos, eol);
    pos = eol + 1;
    const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    if (!m) {
      result.push(undefined); // "<request> missing" / "ambiguous"
      continue;
    }
    const size = Number(m[2]);
    result.push(m[1] === 'blob' ? buf.toString('utf8', pos, pos + size) : undefined);
    pos += size + 1;
  }
  while (result.length < count) result.push(undefined);
  return result;
}
