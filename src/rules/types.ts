import type { FlagopsConfig } from '../config/types.js';
import type { FlagDocument } from '../flags/load-flags.js';
import type { Finding } from '../model/finding.js';

export interface RuleContext {
  config: FlagopsConfig;
}

/** An offline rule over one parsed flag document (data is a mapping). Returns findings as data. */
export type Rule = (doc: FlagDocument & { data: Record<string, unknown> }, ctx: RuleContext) => Finding[];

/** Builds findings for one document with its file, flag and position filled in. */
export function reporter(doc: FlagDocument & { data: Record<string, unknown> }) {
  const flag = typeof doc.data.name === 'string' ? doc.data.name : doc.stem;
  return (
    code: string,
    path: (string | number)[],
    message: string,
    extra: { severity?: Finding['severity']; hint?: string; env?: string } = {},
  ): Finding => ({
    code,
    severity: extra.severity ?? 'error',
    file: doc.file,
    ...doc.locate(path),
    flag,
    ...(extra.env ? { env: extra.env } : {}),
    message,
    ...(extra.hint ? { hint: extra.hint } : {}),
  });
}
