/** JUnit XML (artifacts:reports:junit): one test case per file (or per flag and environment for gates). */
import type { Finding } from '../model/finding.js';
import { formatFinding } from './text.js';

export interface JunitCase {
  name: string;
  classname: string;
  findings: Finding[];
}

export function toJunit(suite: string, cases: readonly JunitCase[]): string {
  const failures = cases.filter((c) => c.findings.some((f) => f.severity === 'error')).length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${esc(suite)}" tests="${cases.length}" failures="${failures}">`,
    `  <testsuite name="${esc(suite)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0">`,
  ];
  for (const c of cases) {
    const errors = c.findings.filter((f) => f.severity === 'error');
    const others = c.findings.filter((f) => f.severity !== 'error');
    lines.push(`    <testcase name="${esc(c.name)}" classname="${esc(c.classname)}">`);
    if (errors.length > 0) {
      const text = errors.map((f) => formatFinding(f, { color: false })).join('\n');
      lines.push(`      <failure message="${esc(errors[0]!.message)}" type="${esc(errors[0]!.code)}">${esc(text)}</failure>`);
    }
    if (others.length > 0) {
      lines.push(`      <system-out>${esc(others.map((f) => formatFinding(f, { color: false })).join('\n'))}</system-out>`);
    }
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}

/** Groups findings by file, with a passing case for every file without findings. */
export function casesByFile(files: readonly string[], findings: readonly Finding[], classname: string): JunitCase[] {
  const byFile = new Map<string, Finding[]>(files.map((f) => [f, []]));
  for (const f of findings) {
    const key = f.file ?? 'flagops.yml';
    byFile.set(key, [...(byFile.get(key) ?? []), f]);
  }
  return [...byFile].map(([name, list]) => ({ name, classname, findings: list }));
}

function esc(text: string): string {
  // drop characters XML 1.0 cannot hold, then escape
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[<>&"']/g, (c) =>
    ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}
