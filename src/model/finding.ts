/** A finding: the one shape every rule, gate and loader reports in (DESIGN §3, contract). */
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
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      a.code.localeCompare(b.code),
  );
}
