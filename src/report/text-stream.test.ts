import { describe, expect, it } from 'vitest';
import { sortFindings, type Finding } from '../model/finding.js';
import { formatFindingsChunks } from './text.js';
import { textStream } from './text-stream.js';

const finding = (file: string, line: number, extra: Partial<Finding> = {}): Finding => ({ code: 'actor/undeclared', severity: 'warning', file, line, column: 5, message: `m ${line} ✓`, hint: 'h', ...extra });

/** Files with findings, the report order of their names differing from code-unit order (`_` sorts below digits). */
const FILES = ['flags/a1.yml', 'flags/a_b.yml', 'flags/ä.yml', 'flags/b.yml', 'flags/B2.yml', 'flags/c-d.yml', 'flags/c.yml'];
const byFile = FILES.map((file, i) => Array.from({ length: 1 + (i % 3) }, (_, k) => finding(file, k + 1, k === 1 ? { severity: 'error' } : {})));
const expected = (findings: Finding[], keep?: (f: Finding) => boolean): string => [...formatFindingsChunks(sortFindings(findings), { color: false, ...(keep ? { keep } : {}) })].join('');
const written = (chunks: Uint8Array[]): string => Buffer.concat(chunks).toString('utf8');

describe('the text report as files are checked', () => {
  it.each([
    ['in report order', sortFindings(byFile.flat()).map((f) => f.file!)],
    ['as found (code-unit order)', [...FILES].sort()],
    ['reversed', [...FILES].sort().reverse()],
  ])('writes the report in order whichever order the files come in: %s', (_, order) => {
    for (const chunkSize of [1 << 20, 64, 1]) {
      const stream = textStream({ color: false, chunkSize });
      const seen = new Set<string>();
      for (const file of order) {
        if (seen.has(file)) continue;
        seen.add(file);
        stream.file({ index: FILES.indexOf(file), file }, byFile[FILES.indexOf(file)]!);
      }
      stream.file({ index: 99, file: 'flags/clean.yml' }, []);
      expect(written(stream.chunks()), `chunks of ${chunkSize}`).toBe(expected(byFile.flat()));
    }
  });

  it('puts a file\'s findings that came again in its place, for a file that wrote before and one that did not', () => {
    for (const chunkSize of [1 << 20, 100]) {
      const stream = textStream({ color: false, chunkSize });
      FILES.forEach((file, i) => stream.file({ index: i, file }, byFile[i]!));
      stream.file({ index: 7, file: 'flags/a0.yml' }, []);
      const duplicate = (file: string): Finding => finding(file, 2, { code: 'definition/duplicate', severity: 'error', column: 1, message: 'dup' });
      const b = [...byFile[3]!, duplicate('flags/b.yml')];
      stream.again({ index: 3, file: 'flags/b.yml' }, sortFindings(b));
      stream.again({ index: 7, file: 'flags/a0.yml' }, [duplicate('flags/a0.yml')]);
      const all = [...byFile.flat().filter((f) => f.file !== 'flags/b.yml'), ...b, duplicate('flags/a0.yml')];
      expect(written(stream.chunks())).toBe(expected(all));
    }
  });

  it('keeps only what is asked for (--quiet: errors), and writes nothing for nothing', () => {
    const keep = (f: Finding): boolean => f.severity === 'error';
    const stream = textStream({ color: false, keep });
    FILES.forEach((file, i) => stream.file({ index: i, file }, byFile[i]!));
    expect(written(stream.chunks())).toBe(expected(byFile.flat(), keep));
    expect(textStream({ color: false }).chunks()).toEqual([]);
  });
});
