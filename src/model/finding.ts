/** A finding: the one shape every rule, gate and loader reports in (DESIGN §3, contract). */
import { nameCompare, type Compare } from './collate.js';

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  /** Starts with the gate's name: `schema`, `definition/milestone-type`, `deployed`, … */
  code: string;
  severity: Severity;
  /** Relative to the config file's folder. */
  file?: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  flag?: string;
  env?: string;
  /** The instance of the ring `env` this is about (rings; the message then starts with `<ring>/<instance>`). */
  instance?: string;
  message: string;
  hint?: string;
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Stable order: by file, line, column, then severity and code. */
export function sortFindings(findings: readonly Finding[], names: Compare = nameCompare()): Finding[] {
  return [...findings].sort((a, b) => names(a.file ?? '', b.file ?? '') || compareInFile(a, b, names));
}

/** The order of two findings of the same file. */
function compareInFile(a: Finding, b: Finding, names: Compare): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || names(a.code, b.code);
}

/**
 * The same order as `sortFindings` over every group's findings, for groups that each hold the findings of one file
 * (validate's documents): when the files of the groups with findings are already in order, each group is sorted
 * alone and the groups are joined — no comparison across files, no sort of the whole list. Otherwise one sort
 * of all.
 */
export function sortFindingGroups(groups: readonly { file: string; findings: readonly Finding[] }[]): Finding[] {
  // only groups with findings need to be in order: a clean run compares no file names at all
  const names = nameCompare();
  let previous: string | undefined;
  for (const group of groups) {
    if (group.findings.length === 0) continue;
    if ((previous !== undefined && names(previous, group.file) >= 0) || !group.findings.every((f) => f.file === group.file)) {
      return sortFindings(groups.flatMap((g) => g.findings), names);
    }
    previous = group.file;
  }
  const out: Finding[] = [];
  for (const group of groups) {
    if (group.findings.length === 0) continue;
    // rules mostly report in the file's order already: only a group out of order is copied and sorted
    const findings = inOrder(group.findings, names) ? group.findings : [...group.findings].sort((a, b) => compareInFile(a, b, names));
    for (const f of findings) out.push(f);
  }
  return out;
}

/** One file's findings in report order: the list itself when it is in order already, else a sorted copy. */
export function sortFileFindings(findings: readonly Finding[], names: Compare = nameCompare()): readonly Finding[] {
  return inOrder(findings, names) ? findings : [...findings].sort((a, b) => compareInFile(a, b, names));
}

function inOrder(findings: readonly Finding[], names: Compare): boolean {
  for (let i = 1; i < findings.length; i++) if (compareInFile(findings[i - 1]!, findings[i]!, names) > 0) return false;
  return true;
}
