import { existsSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { loadConfig } from '../config/load-config.js';
import type { FlagopsConfig } from '../config/types.js';
import { FlagopsError } from '../errors/errors.js';
import type { Finding } from '../model/finding.js';
import type { CliIo, CommonOptions } from './io.js';

/** A configuration problem with findings to show; exit code 2. */
export class ConfigFindingsError extends FlagopsError {
  readonly findings: Finding[];
  constructor(findings: Finding[]) {
    super('config', `invalid configuration (${findings.length} problem${findings.length === 1 ? '' : 's'})`);
    this.name = 'ConfigFindingsError';
    this.findings = findings;
  }
}

export function requireConfig(options: CommonOptions, io: CliIo): FlagopsConfig {
  const result = loadConfig({ file: options.config, cwd: io.cwd, env: io.env });
  if (!result.ok) throw new ConfigFindingsError(result.findings);
  return result.config;
}

/** The config folder relative to the git repository's root, with a trailing slash ('' at the root). */
export function repoPathPrefix(dir: string): string {
  let current = dir;
  for (;;) {
    if (existsSync(join(current, '.git'))) {
      const rel = relative(current, dir).split(sep).join('/');
      return rel ? `${rel}/` : '';
    }
    const parent = dirname(current);
    if (parent === current) return '';
    current = parent;
  }
}
