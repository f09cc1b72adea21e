/** `flagops import --env NAME [--flag NAME]...`: flag files from live state (adoption), keeping existing keys and comments. */
import { createBackend } from '../../backends/create-backend.js';
import { importEnvironment } from '../../edit/import-flags.js';
import { instanceTargets } from '../../config/instances.js';
import { selectEnvironments, selectInstances, unknownEnvOption } from '../../config/select-environments.js';
import { UsageError } from '../../errors/errors.js';
import { describeState, type FlagState } from '../../model/state.js';
import { formatFindings } from '../../report/text.js';
import { requireConfig } from '../context.js';
import { clientLimits } from '../gitlab.js';
import { useColor, type CliIo, type CommonOptions } from '../io.js';
import { reportTargets, writeReports } from '../output.js';
import { forceGone } from './force-gone.js';

export interface ImportCliOptions extends CommonOptions {
  env?: string[];
  flag?: string[];
  /** The instance of a ring to read (`--instance NAME`). */
  instance?: string[];
  dryRun?: boolean;
  /** Gone (refused), as for apply. */
  force?: boolean;
}

export async function runImportCommand(options: ImportCliOptions, io: CliIo): Promise<number> {
  if (options.force) throw forceGone('import');
  const reports = reportTargets(options, ['text', 'json']);
  const config = requireConfig(options, io);
  const names = options.env ?? [];
  if (names.length !== 1) throw new UsageError('import takes exactly one --env NAME', 'import each environment in turn, before the first apply');
  const [env] = selectEnvironments(config, { names, unknown: unknownEnvOption });
  if (!env) throw new UsageError('import takes exactly one --env NAME');
  // a ring's instances share one desired state: import reads the one instance named
  const only = selectInstances([env], options.instance);
  const targets = instanceTargets(env, only);
  if (targets.length !== 1) {
    throw new UsageError(`${env.name} is a ring of ${env.instances.length} instances: import reads one, --instance NAME`, `instances: ${env.instances.map((i) => i.name).join(', ')}`);
  }
  const { backend } = createBackend({ env: targets[0]!, vars: io.env, client: clientLimits(io.env) });
  const live = new Map<string, FlagState>([...(await backend.read())].map(([name, flag]) => [name, flag.state]));
  const summary = importEnvironment({ config, env: env.name, live, ...(options.flag ? { flags: options.flag } : {}), dryRun: Boolean(options.dryRun) });
  const findings = summary.entries.flatMap((e) => e.findings);
  const renderers = {
    text: () => {
      const lines = summary.entries
        .filter((e) => e.action !== 'unchanged' || !options.quiet)
        .map((e) => `${e.action.padEnd(9)} ${e.flag}${e.file ? ` (${e.file})` : ''}: ${e.action === 'skipped' ? (e.reason ?? '') : `${describeState(e.before)} → ${describeState(e.after)}`}`);
      const counts = Object.entries(summary.counts).map(([k, n]) => `${n} ${k}`).join(', ');
      const body = formatFindings(findings, { color: useColor(options, io) });
      return `${[...lines, ...summary.notes, `${env.name}: ${counts}${options.dryRun ? ' (dry run: nothing written)' : ''}`, ...(body ? [body] : [])].join('\n')}\n`;
    },
    json: () => `${JSON.stringify({ command: 'import', ...summary, findings }, null, 2)}\n`,
  };
  writeReports(reports, renderers, io);
  io.stdout(renderers[reports.stdoutFormat as keyof typeof renderers]());
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}
