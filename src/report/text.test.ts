import { describe, expect, it } from 'vitest';
import type { Finding } from '../model/finding.js';
import { formatFinding, formatFindingsBytes, formatFindingsChunks, summarize } from './text.js';

const finding = (extra: Partial<Finding> = {}): Finding => ({ code: 'actor/undeclared', severity: 'warning', file: 'flags/a.yml', line: 3, column: 5, message: 'm', ...extra });

describe('text report', () => {
  it('formats path:line:column, a position without column, an environment or flagops in place of a file', () => {
    expect(formatFinding(finding({ hint: 'h' }), { color: false })).toBe('flags/a.yml:3:5: warning actor/undeclared: m\n  hint: h');
    expect(formatFinding(finding({ column: undefined }), { color: false })).toBe('flags/a.yml:3: warning actor/undeclared: m');
    expect(formatFinding({ code: 'c', severity: 'error', env: 'dev', message: 'm', column: 4 }, { color: false })).toBe('[dev]: error c: m');
    expect(formatFinding({ code: 'c', severity: 'info', message: 'm' }, { color: false })).toBe('flagops: info c: m');
    expect(formatFinding(finding({ hint: 'h' }), { color: true })).toBe('\x1b[1mflags/a.yml:3:5\x1b[0m: \x1b[33mwarning\x1b[0m \x1b[2mactor/undeclared\x1b[0m: m\n  \x1b[2mhint: h\x1b[0m');
  });

  it('writes chunks of whole lines, keeping only the findings asked for', () => {
    const all = Array.from({ length: 5 }, (_, i) => finding({ line: i + 1, severity: i % 2 ? 'error' : 'warning' }));
    const chunks = [...formatFindingsChunks(all, { color: false, keep: (f) => f.severity === 'error' }, 1)];
    expect(chunks).toEqual(['flags/a.yml:2:5: error actor/undeclared: m\n', 'flags/a.yml:4:5: error actor/undeclared: m\n']);
    expect([...formatFindingsChunks(all, { color: false }, 2)].map((c) => c.split('\n').length - 1)).toEqual([2, 2, 1]);
    expect([...formatFindingsChunks([], { color: false })]).toEqual([]);
  });

  it('summarizes errors and warnings', () => {
    expect(summarize([finding(), finding({ severity: 'error' }), finding({ severity: 'info' })], 1)).toBe('1 error, 1 warning in 1 file');
  });

  it('writes the same text as UTF-8 chunks, with shared and distinct hints, long lines and other scripts', () => {
    const all: Finding[] = [
      ...Array.from({ length: 600 }, (_, i) => finding({ line: i, hint: i % 2 ? 'add `actor: user` (or project, group…)' : `distinct hint ${i} ✓`, severity: i % 3 ? 'warning' : 'error' })),
      finding({ message: `${'x'.repeat(3 << 20)} ünïcødé 🚩`, hint: 'long', severity: 'error' }),
      finding({ file: 'flags/ä/ß.yml', message: 'no hint' }),
      finding({ file: undefined, env: 'prod-ä', message: 'an environment’s finding', hint: 'ö' }),
      finding({ file: undefined, code: 'config/ä', message: 'flagops itself, a lone surrogate \ud800 and ascii' }),
      finding({ file: 'flags/ä/ß.yml', line: 7, column: undefined, message: 'line only' }),
      ...Array.from({ length: 5000 }, (_, i) => finding({ line: i, message: `m${i} — ${'y'.repeat(i % 300)}`, hint: 'same' })),
    ];
    for (const options of [{ color: false }, { color: true }, { color: false, keep: (f: Finding) => f.severity === 'error' }]) {
      const chunks = [...formatFindingsBytes(all, options)];
      expect(chunks.length).toBeGreaterThanOrEqual(2);
      // byte for byte what the text encodes to (a lone surrogate included)
      expect(Buffer.concat(chunks).equals(Buffer.from([...formatFindingsChunks(all, options)].join(''), 'utf8'))).toBe(true);
    }
    expect([...formatFindingsBytes([], { color: false })]).toEqual([]);
  });
});
