/** `flagops report [--html DIR] [--live] [--days N]`: every flag in every environment, as a static page or JSON. */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { collectDashboard } from '../../dashboard/collect.js';
import { renderPage } from '../../dashboard/html/render-page.js';
import type { DashboardModel } from '../../dashboard/model.js';
import { UsageError } from '../../errors/errors.js';
import { createGit } from '../../git/git.js';
import { formatFindings } from '../../report/text.js';
import { requireConfig } from '../context.js';
import { clientLimits, gitlabTarget } from '../gitlab.js';
import { useColor, type CliIo, type CommonOptions } from '../io.js';
import { reportTargets, writeReports } from '../output.js';

export const REPORT_FORMATS = ['text', 'json'] as const;

export interface ReportCliOptions extends CommonOptions {
  html?: string;
  live?: boolean;
  days?: string;
  project?: string;
}

export async function runReportCommand(options: ReportCliOptions, io: CliIo): Promise<number> {
  const targets = reportTargets(options, REPORT_FORMATS);
  const days = options.days === undefined ? 90 : Number(options.days);
  if (!Number.isInteger(days) || days < 1 || days > 3650) throw new UsageError(`--days ${options.days}: a whole number of days from 1 to 3650`);
  const config = requireConfig(options, io);
  const target = gitlabTarget(config, io.env, { ...(options.project ? { project: options.project } : {}), needToken: Boolean(config.gitlab), scope: 'read_api' });
  const model = await collectDashboard({
    config,
    git: createGit({ cwd: config.dir }),
    now: io.now(),
    days,
    live: Boolean(options.live),
    vars: io.env,
    snapshotDir: io.cwd,
    client: clientLimits(io.env),
    ...(target.port && target.project !== undefined ? { records: { port: target.port, project: target.project } } : {}),
  });
  let written: { path: string; bytes: number } | undefined;
  if (options.html) {
    const dir = resolve(io.cwd, options.html);
    const page = renderPage(model);
    const file = join(dir, 'index.html');
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(tmp, page);
      renameSync(tmp, file);
    } catch (error) {
      throw new UsageError(`--html ${options.html}: cannot write ${relative(io.cwd, file) || file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    written = { path: relative(io.cwd, file) || file, bytes: Buffer.byteLength(page) };
  }
  const renderers = {
    text: () => summaryText(model, written, useColor(options, io), Boolean(options.quiet)),
    json: () => `${JSON.stringify(model, null, 2)}\n`,
  };
  writeReports(targets, renderers, io);
  io.stdout(renderers[targets.stdoutFormat as keyof typeof renderers]());
  return 0;
}

function summaryText(model: DashboardModel, written: { path: string; bytes: number } | undefined, color: boolean, quiet: boolean): string {
  if (quiet) return '';
  const cells = model.flags.flatMap((f) => Object.values(f.cells));
  const notes = formatFindings(model.findings.filter((f) => f.severity === 'info'), { color });
  const due = model.flags.filter((f) => f.findings.length > 0).length;
  const lines = [
    ...(notes ? [notes] : []),
    `${model.flags.length} flag${model.flags.length === 1 ? '' : 's'} × ${model.environments.length} environment${model.environments.length === 1 ? '' : 's'}: ` +
      `${cells.filter((c) => c.pending).length} pending, ${cells.filter((c) => c.drift).length} drift, ${due} with hygiene findings`,
    ...(written ? [`wrote ${written.path} (${(written.bytes / 1024).toFixed(1)} KiB)`] : []),
  ];
  return `${lines.join('\n')}\n`;
}
