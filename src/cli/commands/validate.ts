/** `flagops validate [FILE...]`: schema + rules, offline (DESIGN §3). */
import { hasErrors, type Finding } from '../../model/finding.js';
import { validateFlagFiles } from '../../rules/run-rules.js';
import { toCodeQuality } from '../../report/codequality.js';
import { casesByFile, toJunit } from '../../report/junit.js';
import { formatFindings, formatFindingsBytes, formatFindingsChunks, summarize } from '../../report/text.js';
import { repoPathPrefix, requireConfig } from '../context.js';
import { useColor, type CliIo, type CommonOptions } from '../io.js';
import { reportTargets, writeReports } from '../output.js';

export const VALIDATE_FORMATS = ['text', 'json', 'codequality', 'junit'] as const;

export async function runValidate(files: string[], options: CommonOptions, io: CliIo): Promise<number> {
  const targets = reportTargets(options, VALIDATE_FORMATS);
  const config = requireConfig(options, io);
  // --quiet prints errors only: unless a report wants every finding, warnings are not even located
  const errorsOnly = options.quiet === true && targets.stdoutFormat === 'text' && targets.files.length === 0;
  const result = validateFlagFiles({ config, ...(files.length > 0 ? { files } : {}), cwd: io.cwd, errorsOnly });
  const keep = options.quiet ? (f: Finding) => f.severity === 'error' : undefined;
  const fileNames = (): string[] => result.files.map((f) => f.file);
  const renderers = {
    text: () => {
      const body = formatFindings(keep ? result.findings.filter(keep) : result.findings, { color: useColor(options, io) });
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
    const text = { color: useColor(options, io), ...(keep ? { keep } : {}) };
    if (io.stdoutBytes) for (const chunk of formatFindingsBytes(result.findings, text)) io.stdoutBytes(chunk);
    else for (const chunk of formatFindingsChunks(result.findings, text)) io.stdout(chunk);
    if (!options.quiet) io.stdout(`${summarize(result.findings, result.files.length)}\n`);
  } else io.stdout(renderers[targets.stdoutFormat as keyof typeof renderers]());
  return hasErrors(result.findings) ? 1 : 0;
}
