/** The rules of one flag file, run on it right after it is read, and the duplicate-name rule across files. */
import type { FlagDocument } from '../flags/load-flags.js';
import type { Finding } from '../model/finding.js';
import type { Position } from '../yaml/bounded-parse.js';
import { actorRule } from './actor.js';
import { actorPathRule } from './actor-paths.js';
import { actorFormRule } from './actor-forms.js';
import { percentageRule } from './percentages.js';
import { backendFitRule } from './backend-fit.js';
import { definitionRule } from './definition.js';
import { schemaRule } from './schema.js';
import { environmentStates } from './states.js';
import type { Rule, RuleContext, RuleDocument } from './types.js';
import { MAX_FINDINGS_PER_FILE } from './limits.js';

export const RULES: readonly { name: string; rule: Rule }[] = [
  { name: 'schema', rule: schemaRule },
  { name: 'definition', rule: definitionRule },
  { name: 'backend-fit', rule: backendFitRule },
  { name: 'actor', rule: actorRule },
  { name: 'actor-path', rule: actorPathRule },
  { name: 'actor-form', rule: actorFormRule },
  { name: 'percentage', rule: percentageRule },
];

/** Every per-file rule on one document, right after it is read; its findings are capped. */
export function checkDocument(doc: FlagDocument, ctx: RuleContext): FlagDocument {
  if (!doc.data) return doc;
  const states = environmentStates(doc.data);
  for (const { rule } of RULES) {
    const found = rule(doc as RuleDocument, ctx, states);
    for (const f of found) if (!ctx.errorsOnly || f.severity === 'error') doc.findings.push(f);
  }
  capFindings(doc);
  return doc;
}

/** `file/more-findings`: past the cap, one finding says how many more there are (errors kept first). */
function capFindings(doc: FlagDocument): void {
  if (doc.findings.length <= MAX_FINDINGS_PER_FILE) return;
  const ordered = [...doc.findings.filter((f) => f.severity === 'error'), ...doc.findings.filter((f) => f.severity !== 'error')];
  const kept = ordered.slice(0, MAX_FINDINGS_PER_FILE);
  const more = ordered.length - kept.length;
  const errors = ordered.slice(MAX_FINDINGS_PER_FILE).some((f) => f.severity === 'error');
  doc.findings = [
    ...kept,
    {
      code: 'file/more-findings',
      severity: errors ? 'error' : 'warning',
      file: doc.file,
      ...(typeof doc.data?.name === 'string' ? { flag: doc.data.name } : {}),
      message: `… and ${more} more finding${more === 1 ? '' : 's'} in this file`,
      hint: 'fix the ones shown and validate again',
    },
  ];
}

/**
 * `definition/duplicate`: one flag name is defined by one file. `names[i]` is the name file `i` defines (anything
 * but a string: none), `files[i]` its path, `locate(i)` where its `name` key is. Returns the findings per file
 * index, only for the files whose name another file defines too.
 */
export function duplicateNameFindings(names: readonly unknown[], files: readonly string[], locate: (index: number) => Position): Map<number, Finding[]> {
  // the first file of each name; a list only for names defined again
  const first = new Map<string, number>();
  const again = new Map<string, number[]>();
  names.forEach((name, i) => {
    if (typeof name !== 'string') return;
    const seen = first.get(name);
    if (seen === undefined) first.set(name, i);
    else {
      const list = again.get(name);
      if (list) list.push(i);
      else again.set(name, [seen, i]);
    }
  });
  const out = new Map<number, Finding[]>();
  for (const [name, list] of again) {
    for (const i of list) {
      const others = list.filter((j) => j !== i).map((j) => files[j]!);
      const finding: Finding = {
        code: 'definition/duplicate',
        severity: 'error',
        file: files[i]!,
        ...locate(i),
        flag: name,
        message: `flag '${name}' is also defined in ${others.join(', ')}`,
        hint: 'one flag name is defined by exactly one file',
      };
      const found = out.get(i);
      if (found) found.push(finding);
      else out.set(i, [finding]);
    }
  }
  return out;
}
