import { describe, expect, it } from 'vitest';
import { parseCatFileBatch, parseFileLog, parseNameStatus } from './parse.js';

describe('git output parsers', () => {
  it('parses name-status with renames, copies and odd names', () => {
    expect(parseNameStatus('M\0a b.yml\0R087\0old.yml\0new\nline.yml\0C100\0x\0y\0D\0gone\0T\0t\0')).toEqual([
      { status: 'modified', path: 'a b.yml' },
      { status: 'renamed', path: 'new\nline.yml', oldPath: 'old.yml' },
      { status: 'added', path: 'y' },
      { status: 'deleted', path: 'gone' },
      { status: 'modified', path: 't' },
    ]);
    expect(parseNameStatus('')).toEqual([]);
  });

  it('parses a file log with renames and deletions', () => {
    const out =
      '\x1eaaa\x00100\x00\nR100\x00f/x.yml\x00f/y.yml\x00\x1ebbb\x0050\x00\nD\x00f/x.yml\x00\x1eccc\x0010\x00';
    expect(parseFileLog(out)).toEqual([
      { sha: 'aaa', committedAt: new Date(100_000), path: 'f/y.yml' },
      { sha: 'bbb', committedAt: new Date(50_000), path: undefined },
      { sha: 'ccc', committedAt: new Date(10_000), path: undefined },
    ]);
  });

  it('parses cat-file --batch output by size, including missing objects and UTF-8', () => {
    const body = 'é\n';
    const out = Buffer.from(
      `${'a'.repeat(40)} blob ${Buffer.byteLength(body)}\n${body}\nHEAD:nope missing\n${'b'.repeat(40)} tree 0\n\n`,
    );
    expect(parseCatFileBatch(out, 4)).toEqual(['é\n', undefined, undefined, undefined]);
  });
});
