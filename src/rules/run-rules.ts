/** The offline validation pipeline: load every flag file, run each rule, then the cross-file rules. */
import type { FlagopsConfig } from '../config/types.js';
import { createFlagReader, type FlagDocument, type FlagDocumentValid } from '../flags/load-flags.js';
import { createLocator, DEFAULT_MAX_BYTES } from '../yaml/bounded-parse.js';
import { hasErrors, sortFindingGroups, type Finding } from '../model/finding.js';
import { checkDocument, duplicateNameFindings } from './check-file.js';
import { ruleContext } from './types.js';
import { flagFilesOf, validateFilesTo, type FileSink, type FilesOptions } from './validate-files.js';

export { RULES } from './check-file.js';
export { MAX_FINDINGS_PER_FILE } from './limits.js';

/** Codes of the rules that judge a well-formed state against one environment. */
const ENV_FIT = /^(backend-fit|actor)(\/|$)/;

export type ValidateOptions = FilesOptions;

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
  const read = createFlagReader({ dir: options.config.dir, maxBytes: DEFAULT_MAX_BYTES });
  const ctx = ruleContext(options.config, { errorsOnly: options.errorsOnly === true });
  return finish(flagFilesOf(options).map((abs) => relocate(checkDocument(read(abs), ctx))));
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
 * The same rules and findings as `validateFlags`, for a run that wants only the findings (a report of them all):
 * each file's parsed content is dropped as soon as its findings are made (validate-files.ts).
 */
export function validateFlagFiles(options: ValidateOptions): FilesValidation {
  const collect = filesCollector();
  validateFilesTo(options, collect.sink);
  return collect.result();
}

/** A sink that keeps every file's findings (validate-files.ts), for the reports that need them all. */
export function filesCollector(): { sink: FileSink; result(): FilesValidation } {
  const files: CheckedFile[] = [];
  return {
    sink: {
      file: ({ index, file, parsed }, findings) => void (files[index] = { file, parsed, findings: findings as Finding[] }),
      again: ({ index }, findings) => void (files[index]!.findings = findings as Finding[]),
    },
    result: () => {
      const found = files.filter(Boolean);
      return { files: found, findings: sortFindingGroups(found) };
    },
  };
}

/**
 * The same validation, reading the files in slices and yielding to the event loop between them: requests started
 * beforehand (apply's first read of live state) go out and are answered meanwhile instead of after the last file.
 */
export async function validateFlagsYielding(options: ValidateOptions & { slice?: number }): Promise<ValidateResult> {
  const paths = flagFilesOf(options);
  const slice = options.slice ?? 64;
  const read = createFlagReader({ dir: options.config.dir, maxBytes: DEFAULT_MAX_BYTES });
  const ctx = ruleContext(options.config, { errorsOnly: options.errorsOnly === true });
  const documents: FlagDocument[] = [];
  for (let i = 0; i < paths.length; i += slice) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    for (const abs of paths.slice(i, i + slice)) documents.push(relocate(checkDocument(read(abs), ctx)));
  }
  return finish(documents);
}

export function checkDocuments(documents: FlagDocument[], config: FlagopsConfig): ValidateResult {
  const ctx = ruleContext(config);
  return finish(documents.map((doc) => relocate(checkDocument(doc, ctx))));
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
  const duplicates = duplicateNameFindings(
    documents.map((doc) => doc.data?.name),
    documents.map((doc) => doc.file),
    (i) => documents[i]!.locate(['name']),
  );
  for (const [i, found] of duplicates) documents[i]!.findings.push(...found);
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
