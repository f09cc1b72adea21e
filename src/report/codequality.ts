/** GitLab Code Quality report (artifacts:reports:codequality): shown in the merge-request widget. */
import { createRequire } from 'node:module';
import type { Finding } from '../model/finding.js';

export interface CodeQualityEntry {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: 'info' | 'minor' | 'major' | 'critical' | 'blocker';
  location: { path: string; lines: { begin: number } };
}

const SEVERITY: Record<Finding['severity'], CodeQualityEntry['severity']> = { error: 'major', warning: 'minor', info: 'info' };

/**
 * Fingerprints hash what the finding is about (code, file, flag, environment, message), not where it sits,
 * so moving a line keeps it "the same finding" and GitLab tells new findings from old.
 * `pathPrefix` turns config-relative paths into repository-relative ones.
 */
export function toCodeQuality(findings: readonly Finding[], pathPrefix = ''): CodeQualityEntry[] {
  // node:crypto only when a Code Quality report is written
  const { createHash } = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const path = `${pathPrefix}${f.file ?? 'flagops.yml'}`;
    const identity = [f.code, path, f.flag ?? '', f.env ?? '', f.message].join('\u0000');
    const occurrence = seen.get(identity) ?? 0;
    seen.set(identity, occurrence + 1);
    return {
      description: f.hint ? `${f.message} (${f.hint})` : f.message,
      check_name: f.code,
      fingerprint: createHash('sha256').update(`${identity}\u0000${occurrence}`).digest('hex'),
      severity: SEVERITY[f.severity],
      location: { path, lines: { begin: f.line ?? 1 } },
    };
  });
}
