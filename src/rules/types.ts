import { relative, sep } from 'node:path';
import { fitFor } from '../backends/fit.js';
import type { FitCheck } from '../backends/types.js';
import type { FlagopsConfig } from '../config/types.js';
import type { FlagDocument } from '../flags/load-flags.js';
import type { Finding } from '../model/finding.js';

export interface RuleContext {
  config: FlagopsConfig;
  /** Configured environment names (computed once per run). */
  envNames: ReadonlySet<string>;
  /**
   * Per environment, what its backend cannot express; absent for backends that express every state. For a ring, what
   * any of its instances' backends cannot express (`types`: every backend type of its instances).
   */
  fits: ReadonlyMap<string, { type: string; types: readonly string[]; check: FitCheck }>;
  /** Only errors are wanted (`--quiet`): warnings are not located and are dropped. */
  errorsOnly?: boolean;
  /** Configured environments by name. */
  envs: ReadonlyMap<string, FlagopsConfig['environments'][number]>;
  /** flagops.yml as reported (relative to the config's folder), for hints that say what to edit there. */
  configFile: string;
}

/** The context of one run of the rules: what every document needs, computed once. */
export function ruleContext(config: FlagopsConfig, options: { errorsOnly?: boolean } = {}): RuleContext {
  const fits = new Map<string, { type: string; types: readonly string[]; check: FitCheck }>();
  for (const env of config.environments) {
    const types = [...new Set(env.instances.map((i) => i.backend.type))].filter((t) => t !== 'file');
    if (types.length === 0) continue;
    const checks = types.map((t) => fitFor(t));
    // a message once, even when several instances' backends of one type refuse the state
    const check: FitCheck = (state, c) => [...new Set(checks.flatMap((f) => f(state, c)))];
    fits.set(env.name, { type: types.join(' and '), types, check });
  }
  return {
    config,
    envNames: new Set(config.environments.map((e) => e.name)),
    fits,
    envs: new Map(config.environments.map((e) => [e.name, e])),
    configFile: relative(config.dir, config.file).split(sep).join('/') || config.file,
    ...(options.errorsOnly ? { errorsOnly: true } : {}),
  };
}

/** An offline rule over one parsed flag document (data is a mapping). Returns findings as data. */
export type Rule = (doc: FlagDocument & { data: Record<string, unknown> }, ctx: RuleContext) => Finding[];

/** Builds findings for one document with its file, flag and position filled in. */
export function reporter(doc: FlagDocument & { data: Record<string, unknown> }, ctx?: Pick<RuleContext, 'errorsOnly'>) {
  const flag = typeof doc.data.name === 'string' ? doc.data.name : doc.stem;
  return (
    code: string,
    path: (string | number)[],
    message: string,
    extra: { severity?: Finding['severity']; hint?: string; env?: string } = {},
  ): Finding => ({
    code,
    severity: extra.severity ?? 'error',
    file: doc.file,
    ...(ctx?.errorsOnly && extra.severity !== undefined && extra.severity !== 'error' ? {} : doc.locate(path)),
    flag,
    ...(extra.env ? { env: extra.env } : {}),
    message,
    ...(extra.hint ? { hint: extra.hint } : {}),
  });
}
