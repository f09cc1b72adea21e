/** The offline validation pipeline: load every flag file, run each rule, then the cross-file rules. */
import type { FlagopsConfig } from '../config/types.js';
import { createFlagReader, flagFilePaths, loadFlagDocuments, type FlagDocument, type FlagDocumentValid, type LoadFlagsOptions } from '../flags/load-flags.js';
import { DEFAULT_MAX_BYTES } from '../yaml/bounded-parse.js';
import { hasErrors, sortFindings, type Finding } from '../model/finding.js';
import { actorRule } from './actor.js';
import { backendFitRule } from './backend-fit.js';
import { definitionRule } from './definition.js';
import { schemaRule } from './schema.js';
import { ruleContext, type Rule } from './types.js';

export const RULES: readonly { name: string; rule: Rule }[] = [
  { name: 'schema', rule: schemaRule },
  { name: 'definition', rule: definitionRule },
  { name: 'backend-fit', rule: backendFitRule },
  { name: 'actor', rule: actorRule },
];

export interface ValidateOptions {
  config: FlagopsConfig;
  /** Only these files (`flagops validate FILE...`); default every flag file. */
  files?: readonly string[];
  cwd?: string;
}

export interface ValidateResult {
  documents: FlagDocument[];
  /** Documents with no error finding. */
  valid: FlagDocumentValid[];
  findings: Finding[];
}

export function validateFlags(options: ValidateOptions): ValidateResult {
  return checkDocuments(loadFlagDocuments(loadOptions(options)), options.config);
}

/**
 * The same validation, reading the files in slices and yielding to the event loop between them: requests started
 * beforehand (apply's first read of live state) go out and are answered meanwhile instead of after the last file.
 */
export async function validateFlagsYielding(options: ValidateOptions & { slice?: number }): Promise<ValidateResult> {
  const load = loadOptions(options);
  const paths = flagFilePaths(load);
  const slice = options.slice ?? 64;
  const read = createFlagReader({ dir: load.dir, maxBytes: DEFAULT_MAX_BYTES });
  const documents: FlagDocument[] = [];
  for (let i = 0; i < paths.length; i += slice) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    for (const abs of paths.slice(i, i + slice)) documents.push(read(abs));
  }
  return checkDocuments(documents, options.config);
}

function loadOptions(options: ValidateOptions): LoadFlagsOptions {
  return {
    dir: options.config.dir,
    flagDirs: options.config.flagDirs,
    ...(options.files ? { files: options.files } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
  };
}

export function checkDocuments(documents: FlagDocument[], config: FlagopsConfig): ValidateResult {
  const valid: FlagDocumentValid[] = [];
  const ctx = ruleContext(config);
  for (const doc of documents) {
    if (!doc.data) continue;
    for (const { rule } of RULES) {
      const found = rule(doc as FlagDocument & { data: Record<string, unknown> }, ctx);
      for (const f of found) doc.findings.push(f);
    }
  }
  duplicateNames(documents);
  for (const doc of documents) {
    if (doc.data && !hasErrors(doc.findings)) valid.push(doc as FlagDocumentValid);
  }
  return { documents, valid, findings: sortFindings(documents.flatMap((d) => d.findings)) };
}

/** `definition/duplicate`: one flag name defined once. */
function duplicateNames(documents: FlagDocument[]): void {
  const byName = new Map<string, FlagDocument[]>();
  for (const doc of documents) {
    const name = doc.data?.name;
    if (typeof name !== 'string') continue;
    byName.set(name, [...(byName.get(name) ?? []), doc]);
  }
  for (const [name, docs] of byName) {
    if (docs.length < 2) continue;
    for (const doc of docs) {
      const others = docs.filter((d) => d !== doc).map((d) => d.file);
      doc.findings.push({
        code: 'definition/duplicate',
        severity: 'error',
        file: doc.file,
        ...doc.locate(['name']),
        flag: name,
        message: `flag '${name}' is also defined in ${others.join(', ')}`,
        hint: 'one flag name is defined by exactly one file',
      });
    }
  }
}
