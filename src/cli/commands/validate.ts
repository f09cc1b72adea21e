/** `flagops validate [FILE...]`: schema + rules, offline (DESIGN §3). */
import { hasErrors, type Finding } from '../../model/finding.js';
import { validateFlagFiles } from '../../rules/run-rules.js';
import { validateFilesTo } from '../../rules/validate-files.js';
import { toCodeQuality } from '../../report/codequality.js';
import { casesByFile, toJunit } from '../../report/junit.js';
import { formatFindings, formatFindingsBytes, formatFindingsChunks, summarize, summaryLine } from '../../report/text.js';
import { textStream } from '../../report/text-stream.js';
import { repoPathPrefix, requireConfig } from '../context.js';
import { useColor, type CliIo, type CommonOptions } from '../io.js';
import { reportTargets, writeReports } from '../output.js';

export const VALIDATE_FORMATS = ['text', 'json', 'codequality', 'junit'] as const;

export async function runValidate(files: string[], options: CommonOptions, io: CliIo): Promise<number> {
  const targets = reportTargets(options, VALIDATE_FORMATS);
  const config = requireConfig(options, io);
  const keep = options.quiet ? (f: Finding) => f.severity === 'error' : undefined;
  const color = useColor(options, io);
  const scope = { config, ...(files.length > 0 ? { files } : {}), cwd: io.cwd };
  if (targets.stdoutFormat === 'text' && targets.files.length === 0) {
    // only the text: each file's findings are written out as it is checked, none kept (--quiet: warnings not even made)
    const text = textStream({ color, ...(keep ? { keep } : {}) });
    const summary = validateFilesTo({ ...scope, errorsOnly: options.quiet === true }, text);
    for (const chunk of text.chunks()) {
      // a chunk holds whole files' lines: never a character cut in two
      if (io.stdoutBytes) io.stdoutBytes(chunk);
      else io.stdout(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8'));
    }
    if (!options.quiet) io.stdout(`${summaryLine(summary)}\n`);
    return summary.errors > 0 ? 1 : 0;
  }
  const result = validateFlagFiles(scope);
  const fileNames = (): string[] => result.files.map((f) => f.file);
  const renderers = {
    text: () => {
      const body = formatFindings(keep ? result.findings.filter(keep) : result.findings, { color });
      const summary = options.quiet ? '' : `${summarize(result.findings, result.files.length)}\n`;
      return `${body}${body ? '\n' : ''}${summary}`;
    },
    json: () =>
      `${JSON.stringify(
        {
          command: 'validate',
          ok: !hasErrors(result.findings),
          files: result.files.length,
          flags: result.files.filter((f) => f.parsed).length,
          findings: result.findings,
        },
        null,
        2,
      )}\n`,
    codequality: () => `${JSON.stringify(toCodeQuality(result.findings, repoPathPrefix(config.dir)), null, 2)}\n`,
    junit: () => toJunit('flagops validate', casesByFile(fileNames(), result.findings, 'flagops.validate')),
  };
  writeReports(targets, renderers, io);
  if (targets.stdoutFormat === 'text') {
    // written in pieces: 200,000 warnings are not built into one string first
    const text = { color, ...(keep ? { keep } : {}) };
    if (io.stdoutBytes) for (const chunk of formatFindingsBytes(result.findings, text)) io.stdoutBytes(chunk);
    else for (const chunk of formatFindingsChunks(result.findings, text)) io.stdout(chunk);
    if (!options.quiet) io.stdout(`${summarize(result.findings, result.files.length)}\n`);
  } else io.stdout(renderers[targets.stdoutFormat as keyof typeof renderers]());
  return hasErrors(result.findings) ? 1 : 0;
}
