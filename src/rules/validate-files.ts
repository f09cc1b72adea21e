/**
 * `flagops validate`'s pass over the flag files, one file at a time: each file's findings go to a sink as soon as
 * they are made (files come as found, not in report order: the sink orders them), and nothing of the file is kept but its path and the name it defines (for the
 * duplicate-name rule, which can only judge once every file is read). A file that a later one turns out to share
 * its name with is read and checked again at the end, and the sink gets its findings again, complete.
 */
import { createFlagReader, flagFilePaths, type FlagDocument } from '../flags/load-flags.js';
import { nameCompare, type Compare } from '../model/collate.js';
import { sortFileFindings, type Finding } from '../model/finding.js';
import { DEFAULT_MAX_BYTES } from '../yaml/bounded-parse.js';
import type { FlagopsConfig } from '../config/types.js';
import { checkDocument, duplicateNameFindings } from './check-file.js';
import { ruleContext, type RuleContext } from './types.js';

export interface FilesOptions {
  config: FlagopsConfig;
  /** Only errors are wanted (`--quiet`): warnings are neither located nor kept. */
  errorsOnly?: boolean;
  /** Only these files (`flagops validate FILE...`); default every flag file. */
  files?: readonly string[];
  cwd?: string;
}

/** One file as the sink sees it. `index`: its place among the files found. */
export interface CheckedFileInfo {
  index: number;
  file: string;
  /** The file parsed to a mapping (a flag file, valid or not). */
  parsed: boolean;
}

export interface FileSink {
  /** A file's findings, in report order, as soon as they are made; files come in any order. */
  file(info: CheckedFileInfo, findings: readonly Finding[]): void;
  /** A file's findings again, complete and in order, when more came later (another file defines its name too). */
  again(info: CheckedFileInfo, findings: readonly Finding[]): void;
}

export interface FilesSummary {
  files: number;
  /** Files that parsed to a mapping. */
  flags: number;
  errors: number;
  warnings: number;
}

/** What checking one file leaves: what the sink gets, and the name the file defines. */
interface FileResult extends CheckedFileInfo {
  name: string | undefined;
  findings: readonly Finding[];
}

/** The files of a run, as found (the sink puts them in report order). */
export function flagFilesOf(options: FilesOptions): string[] {
  return flagFilePaths({
    dir: options.config.dir,
    flagDirs: options.config.flagDirs,
    ...(options.files ? { files: options.files } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
}

/** Reads and checks files one by one. */
function fileChecker(config: FlagopsConfig, options: { errorsOnly?: boolean } = {}): (abs: string, index: number) => FileResult {
  const read = createFlagReader({ dir: config.dir, maxBytes: DEFAULT_MAX_BYTES });
  const ctx: RuleContext = ruleContext(config, options);
  const names: Compare = nameCompare();
  return (abs, index) => {
    const doc = checkDocument(read(abs), ctx);
    const name = doc.data?.name;
    return { index, file: doc.file, parsed: doc.data !== undefined, name: typeof name === 'string' ? detached(name) : undefined, findings: sortFileFindings(doc.findings, names) };
  };
}

/**
 * A copy of a string cut from a file's text that does not keep the text alive. V8 represents a longer substring as a
 * view of the string it was cut from, so the name a parser cut from a file would hold the whole file in memory for
 * as long as the name is kept (here: the whole run, for the duplicate-name rule). The string made by concatenating
 * is flattened before it is cut, so the view that `slice` returns is of that copy, one character longer.
 */
export function detached(text: string): string {
  return `${text} `.slice(0, -1);
}

/**
 * Collects the results of a run in report order and hands them to the sink; `finish` judges duplicate names
 * (reading and checking again the files that share one) and returns the counts.
 */
function resultCollector(options: FilesOptions, sink: FileSink, paths: readonly string[]) {
  const names: (string | undefined)[] = [];
  const files: string[] = [];
  const parsed: boolean[] = [];
  const summary: FilesSummary = { files: 0, flags: 0, errors: 0, warnings: 0 };
  const count = (findings: readonly Finding[]): void => {
    for (const f of findings) {
      if (f.severity === 'error') summary.errors++;
      else if (f.severity === 'warning') summary.warnings++;
    }
  };
  return {
    add(result: FileResult): void {
      names[result.index] = result.name;
      files[result.index] = result.file;
      parsed[result.index] = result.parsed;
      summary.files++;
      if (result.parsed) summary.flags++;
      count(result.findings);
      sink.file(result, result.findings);
    },
    finish(): FilesSummary {
      // only the files that share a name are read again: for the place of their `name` key and their findings
      const read = createFlagReader({ dir: options.config.dir, maxBytes: DEFAULT_MAX_BYTES });
      const ctx = ruleContext(options.config, options);
      const docs = new Map<number, FlagDocument>();
      const doc = (i: number): FlagDocument => {
        let found = docs.get(i);
        if (!found) docs.set(i, (found = checkDocument(read(paths[i]!), ctx)));
        return found;
      };
      const duplicates = duplicateNameFindings(names, files, (i) => doc(i).locate(['name']));
      for (const [i, found] of duplicates) {
        count(found);
        sink.again({ index: i, file: files[i]!, parsed: parsed[i]! }, sortFileFindings([...doc(i).findings, ...found]));
      }
      return summary;
    },
  };
}

/** Every flag file checked in this thread, its findings handed to the sink. */
export function validateFilesTo(options: FilesOptions, sink: FileSink): FilesSummary {
  const paths = flagFilesOf(options);
  const check = fileChecker(options.config, options);
  const collect = resultCollector(options, sink, paths);
  for (let i = 0; i < paths.length; i++) collect.add(check(paths[i]!, i));
  return collect.finish();
}
