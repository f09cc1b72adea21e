import { describe, expect, it } from 'vitest';
import { parseYamlBytes, parseYamlText, positionOfPath } from './bounded-parse.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

function failure(text: string | Uint8Array) {
  const result = typeof text === 'string' ? parseYamlText(text) : parseYamlBytes(text);
  if (result.ok) throw new Error('expected a failure');
  return result;
}

describe('bounded YAML parsing', () => {
  it('parses a flag file, keeping dates and unquoted milestones as YAML core types', () => {
    const result = parseYamlText('---\nname: x\nintended_to_rollout_by: 2026-12-31\nmilestone: 14.6\n');
    expect(result.ok && result.value).toEqual({ name: 'x', intended_to_rollout_by: '2026-12-31', milestone: 14.6 });
  });

  it('refuses an alias bomb quickly, at the first alias', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      lines.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const f = failure(lines.join('\n'));
    expect(f.problem).toBe('alias');
    expect(f.line).toBe(2);
  });

  it('refuses 10,000-deep nesting, flow and block', () => {
    expect(failure('a: ' + '['.repeat(10_000) + ']'.repeat(10_000)).problem).toBe('depth');
    const block = Array.from({ length: 10_000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n');
    expect(failure(block).problem).toBe('depth');
  });

  it('refuses binary and non-UTF-8 bytes with a position', () => {
    const nul = failure(bytes('name: a\nx: \u0000\n'));
    expect([nul.problem, nul.line, nul.column]).toEqual(['binary', 2, 4]);
    const latin1 = failure(Uint8Array.from([...bytes('name: a\ndescription: caf'), 0xe9, 0x0a]));
    expect([latin1.problem, latin1.line, latin1.column]).toEqual(['encoding', 2, 17]);
  });

  it('refuses a file over the size limit without parsing it', () => {
    expect(parseYamlBytes(new Uint8Array(2048), { maxBytes: 1024 })).toMatchObject({ ok: false, problem: 'too-large' });
  });

  it('reports duplicate keys at the second key', () => {
    expect(failure('name: a\ntype: beta\nname: b\n')).toMatchObject({ problem: 'syntax', line: 3, column: 1 });
  });

  it('reports empty files, comment-only files and several documents', () => {
    expect(failure('')).toMatchObject({ problem: 'empty', line: 1 });
    expect(failure('# only a comment\n---\n')).toMatchObject({ problem: 'empty' });
    expect(failure('name: a\n---\nname: b\n')).toMatchObject({ problem: 'multi-document', line: 2 });
  });

  it('refuses __proto__ keys at their position', () => {
    expect(failure('name: a\nenvironments:\n  __proto__: true\n')).toMatchObject({ problem: 'proto-key', line: 3, column: 3 });
  });

  it('reports syntax errors with line and column', () => {
    expect(failure('name: a\n\tb: 2\n')).toMatchObject({ problem: 'syntax', line: 2 });
    expect(failure('a: !!js/function x\n')).toMatchObject({ problem: 'syntax', line: 1 });
  });

  it('maps a path to the key position', () => {
    const text = '# c\n---\nname: a\nenvironments:\n  production:\n    percentage_of_actors: 50\n';
    expect(positionOfPath(text, ['environments', 'production', 'percentage_of_actors'])).toEqual({ line: 6, column: 5 });
    expect(positionOfPath(text, ['name'])).toEqual({ line: 3, column: 1 });
  });
});
