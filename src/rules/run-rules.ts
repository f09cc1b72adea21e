/** The offline validation pipeline: load every flag file, run each rule, then the cross-file rules. */
import type { FlagopsConfig } from '../config/types.js';
import { createFlagReader, flagFilePaths, type FlagDocument, type FlagDocumentValid, type LoadFlagsOptions } from '../flags/load-flags.js';
import { createLocator, DEFAULT_MAX_BYTES, type Position } from '../yaml/bounded-parse.js';
import { hasErrors, sortFindingGroups, type Finding } from '../model/finding.js';
import { actorRule } from './actor.js';
import { actorPathRule } from './actor-paths.js';
import { actorFormRule } from './actor-forms.js';
import { percentageRule } from './percentages.js';
import { backendFitRule } from './backend-fit.js';
import { definitionRule } from './definition.js';
import { schemaRule } from './schema.js';
import { environmentStates } from './states.js';
import { ruleContext, type Rule, type RuleContext, type RuleDocument } from './types.js';

export const RULES: readonly { name: string; rule: Rule }[] = [
  { name: 'schema', rule: schemaRule },
  { name: 'definition', rule: definitionRule },
  { name: 'backend-fit', rule: backendFitRule },
  { name: 'actor', rule: actorRule },
  { name: 'actor-path', rule: actorPathRule },
  { name: 'actor-form', rule: actorFormRule },
  { name: 'percentage', rule: percentageRule },
];

/** Codes of the rules that judge a well-formed state against one environment. */
const ENV_FIT = /^(backend-fit|actor)(\/|$)/;

export interface ValidateOptions {
  config: FlagopsConfig;
  /** Only errors are wanted (`--quiet`): warnings are neither located nor kept. */
  errorsOnly?: boolean;
  /** Only these files (`flagops validate FILE...`); default every flag file. */
  files?: readonly string[];
  cwd?: string;
}

export interface ValidateResult {
  documents: FlagDocument[];
  /** Documents with no error finding. */
  valid: FlagDocumentValid[];
  /**
   * The valid documents and those refused only for what an environment can take (`backend-fit`, `actor`): their
   * states are well-formed, so `check` still shows their changes, next to the finding.
   */
  describable: FlagDocumentValid[];
  findings: Finding[];
}

export function validateFlags(options: ValidateOptions): ValidateResult {
  const load = loadOptions(options);
  const read = createFlagReader({ dir: load.dir, maxBytes: DEFAULT_MAX_BYTES });
  const ctx = ruleContext(options.config, { errorsOnly: options.errorsOnly === true });
  return finish(flagFilePaths(load).map((abs) => relocate(checkDocument(read(abs), ctx))));
}

/** What `flagops validate` reports of one file: its findings, not its content. */
export interface CheckedFile {
  file: string;
  /** The file parsed to a mapping (a flag file, valid or not). */
  parsed: boolean;
  findings: Finding[];
}

export interface FilesValidation {
  files: CheckedFile[];
  findings: Finding[];
}

/**
 * The same rules and findings as `validateFlags`, for a run that wants only the findings (`flagops validate`):
 * each file's parsed content and locator are dropped as soon as its findings are made, and only its name and text
 * are held to the end (the text to place a duplicate name's finding), so the heap holds little per file.
 */
export function validateFlagFiles(options: ValidateOptions): FilesValidation {
  const load = loadOptions(options);
  const read = createFlagReader({ dir: load.dir, maxBytes: DEFAULT_MAX_BYTES });
  const ctx = ruleContext(options.config, { errorsOnly: options.errorsOnly === true });
  const files: CheckedFile[] = [];
  const names: unknown[] = [];
  const texts: (string | undefined)[] = [];
  for (const abs of flagFilePaths(load)) {
    const doc = checkDocument(read(abs), ctx);
    files.push({ file: doc.file, parsed: doc.data !== undefined, findings: doc.findings });
    names.push(doc.data?.name);
    texts.push(doc.text);
  }
  duplicateNames(files, {
    name: (_, i) => names[i],
    locate: (_, i, path) => {
      const text = texts[i];
      return text === undefined ? {} : createLocator(text)(path);
    },
  });
  return { files, findings: sortFindingGroups(files) };
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
  const ctx = ruleContext(options.config, { errorsOnly: options.errorsOnly === true });
  const documents: FlagDocument[] = [];
  for (let i = 0; i < paths.length; i += slice) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    for (const abs of paths.slice(i, i + slice)) documents.push(relocate(checkDocument(read(abs), ctx)));
  }
  return finish(documents);
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
  const ctx = ruleContext(config);
  return finish(documents.map((doc) => relocate(checkDocument(doc, ctx))));
}

/** Every per-file rule on one document, right after it is read; its findings are capped. */
function checkDocument(doc: FlagDocument, ctx: RuleContext): FlagDocument {
  if (!doc.data) return doc;
  const states = environmentStates(doc.data);
  for (const { rule } of RULES) {
    const found = rule(doc as RuleDocument, ctx, states);
    for (const f of found) if (!ctx.errorsOnly || f.severity === 'error') doc.findings.push(f);
  }
  capFindings(doc);
  return doc;
}

/**
 * The positions a document's locator gathered while its findings were made are dropped (a later position, for a
 * plan's change, reads or parses its text again), so a run holds one file's.
 */
function relocate(doc: FlagDocument): FlagDocument {
  doc.locate = doc.text === undefined ? () => ({}) : createLocator(doc.text);
  return doc;
}

function finish(documents: FlagDocument[]): ValidateResult {
  duplicateNames(documents, { name: (doc) => doc.data?.name, locate: (doc, _, path) => doc.locate(path) });
  const valid: FlagDocumentValid[] = [];
  const describable: FlagDocumentValid[] = [];
  for (const doc of documents) {
    if (!doc.data) continue;
    if (!hasErrors(doc.findings)) valid.push(doc as FlagDocumentValid);
    if (typeof doc.data.name === 'string' && doc.findings.every((f) => f.severity !== 'error' || ENV_FIT.test(f.code))) {
      describable.push(doc as FlagDocumentValid);
    }
  }
  return { documents, valid, describable, findings: sortFindingGroups(documents) };
}

/** Findings kept per file: a file of 60,000 unknown keys is one problem, not 60,000 lines. */
export const MAX_FINDINGS_PER_FILE = 50;

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

/** `definition/duplicate`: one flag name defined once. `name` and `locate` read an entry's name and positions. */
function duplicateNames<T extends { file: string; findings: Finding[] }>(
  entries: readonly T[],
  read: { name: (entry: T, index: number) => unknown; locate: (entry: T, index: number, path: string[]) => Position },
): void {
  // the first entry of each name; a list only for names defined again
  const first = new Map<string, number>();
  const again = new Map<string, number[]>();
  entries.forEach((entry, i) => {
    const name = read.name(entry, i);
    if (typeof name !== 'string') return;
    const seen = first.get(name);
    if (seen === undefined) first.set(name, i);
    else {
      const list = again.get(name);
      if (list) list.push(i);
      else again.set(name, [seen, i]);
    }
  });
  for (const [name, list] of again) {
    for (const i of list) {
      const entry = entries[i]!;
      const others = list.filter((j) => j !== i).map((j) => entries[j]!.file);
      entry.findings.push({
        code: 'definition/duplicate',
        severity: 'error',
        file: entry.file,
        ...read.locate(entry, i, ['name']),
        flag: name,
        message: `flag '${name}' is also defined in ${others.join(', ')}`,
        hint: 'one flag name is defined by exactly one file',
      });
    }
  }
}
