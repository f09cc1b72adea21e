import { relative, sep } from 'node:path';
import { fitFor } from '../backends/fit.js';
import type { FitCheck } from '../backends/types.js';
import type { FlagopsConfig } from '../config/types.js';
import type { FlagDocument } from '../flags/load-flags.js';
import type { Finding } from '../model/finding.js';
import type { EnvironmentState } from './states.js';

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

/** A parsed flag document as the rules see it: its data is a mapping, its environment states listed once. */
export type RuleDocument = FlagDocument & { data: Record<string, unknown> };

/**
 * An offline rule over one parsed flag document (data is a mapping). `states`: its environment entries that look like
 * states (environmentStates), listed once per document for every rule. Returns findings as data.
 */
export type Rule = (doc: RuleDocument, ctx: RuleContext, states: readonly EnvironmentState[]) => Finding[];

const NO_EXTRA: { severity?: Finding['severity']; hint?: string; env?: string } = Object.freeze({});
const NO_POSITION: { line?: number; column?: number } = Object.freeze({});

/**
 * Builds findings for one document with its file, flag and position filled in: one object per finding, its keys
 * in the report's order (code, severity, file, line, column, flag, env, message, hint). Under `errorsOnly` a
 * warning is not located (it is dropped).
 */
export function reporter(doc: RuleDocument, ctx?: Pick<RuleContext, 'errorsOnly'>) {
  const flag = typeof doc.data.name === 'string' ? doc.data.name : doc.stem;
  const errorsOnly = ctx?.errorsOnly === true;
  return (code: string, path: (string | number)[], message: string, extra = NO_EXTRA): Finding => {
    const severity = extra.severity ?? 'error';
    const at = !errorsOnly || severity === 'error' ? doc.locate(path) : NO_POSITION;
    // one literal with every key, in the report's order: one allocation and one shape for all findings; a key
    // without a value holds undefined, which no report writes (JSON leaves it out, the text skips it)
    return { code, severity, file: doc.file, line: at.line, column: at.column, flag, env: extra.env || undefined, message, hint: extra.hint || undefined };
  };
}
