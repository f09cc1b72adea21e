/** Writing reports: `--format` to stdout or `--output FILE`, plus any number of `--report FORMAT=FILE`. */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors/errors.js';
import type { CliIo, CommonOptions } from './io.js';

export type Renderers = Record<string, () => string>;

export interface ReportTargets {
  /** Format printed to stdout (when no --output) */
  stdoutFormat: string;
  files: { format: string; path: string }[];
}

export function reportTargets(options: CommonOptions, allowed: readonly string[]): ReportTargets {
  const format = options.format ?? 'text';
  check(format, allowed);
  const files: { format: string; path: string }[] = [];
  if (options.output) files.push({ format, path: options.output });
  for (const spec of options.report ?? []) {
    const m = /^([a-z]+)=(.+)$/.exec(spec);
    if (!m) throw new UsageError(`--report takes FORMAT=FILE, not '${spec}'`);
    check(m[1]!, allowed);
    files.push({ format: m[1]!, path: m[2]! });
  }
  return { stdoutFormat: options.output ? 'text' : format, files };
}

function check(format: string, allowed: readonly string[]): void {
  if (!allowed.includes(format)) throw new UsageError(`unknown format '${format}'; one of ${allowed.join(', ')}`);
}

/** Writes every requested report file (atomically), whatever the outcome of the command. */
export function writeReports(targets: ReportTargets, renderers: Renderers, io: CliIo): void {
  for (const { format, path } of targets.files) {
    const abs = resolve(io.cwd, path);
    mkdirSync(dirname(abs), { recursive: true });
    const tmp = `${abs}.${process.pid}.tmp`;
    writeFileSync(tmp, renderers[format]!());
    renameSync(tmp, abs);
  }
}
