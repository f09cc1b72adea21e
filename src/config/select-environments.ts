/** The environments a command works on: `--env NAME` options checked against the config, in promotion order. */
import { UsageError } from '../errors/errors.js';
import type { EnvironmentConfig, FlagopsConfig } from './types.js';

export interface EnvironmentRequest {
  /** The names asked for; none means every environment. */
  names: string | readonly string[] | undefined;
  /** Each name may be a comma-separated list (`--env a,b`); blanks around and between names are ignored. */
  commaSeparated?: boolean;
  /** The error for the names that are not configured (in the order asked, at least one). */
  unknown: (unknown: string[], configured: string[]) => Error;
}

/** The configured environments named in the request (every one when it names none), in promotion order. */
export function selectEnvironments(
  config: Pick<FlagopsConfig, 'environments'>,
  request: EnvironmentRequest,
): EnvironmentConfig[] {
  const asked =
    request.names === undefined ? [] : typeof request.names === 'string' ? [request.names] : request.names;
  const names = request.commaSeparated
    ? asked
        .flatMap((e) => e.split(','))
        .map((e) => e.trim())
        .filter((e) => e !== '')
    : asked;
  if (names.length === 0) return config.environments;
  const configured = config.environments.map((e) => e.name);
  const unknown = names.filter((e) => !configured.includes(e));
  if (unknown.length > 0) throw request.unknown(unknown, configured);
  return config.environments.filter((e) => names.includes(e.name));
}

/** `flagops check`/`apply`/`plan`: `--env NAME`, repeatable; the first unknown name is the error. */
export function unknownEnvOption(unknown: string[], configured: string[]): UsageError {
  return new UsageError(`--env ${unknown[0]}: no such environment`, `configured: ${configured.join(', ')}`);
}

/** `flagops set`/`delete`: every unknown name is listed. */
export function unknownEnvironments(unknown: string[], configured: string[]): UsageError {
  const s = unknown.length > 1 ? 's' : '';
  return new UsageError(
    `unknown environment${s} ${unknown.map((e) => `'${e}'`).join(', ')}`,
    `configured environments: ${configured.join(', ')}`,
  );
}

/**
 * `--instance NAME` (repeatable): only these instances of the one environment `--env` names (a ring's instances, or a
 * plain environment's single instance, named after it). Checked before any request; undefined when none is asked.
 */
export function selectInstances(envs: readonly EnvironmentConfig[], names: readonly string[] | undefined): ReadonlySet<string> | undefined {
  if (!names || names.length === 0) return undefined;
  const env = envs.length === 1 ? envs[0]! : undefined;
  if (!env) {
    throw new UsageError(`--instance ${names[0]}: name one environment with --env (${envs.length} selected)`, 'e.g. flagops apply --env ring1 --instance cell-3');
  }
  const configured = env.instances.map((i) => i.name);
  const unknown = names.filter((n) => !configured.includes(n));
  if (unknown.length > 0) {
    throw new UsageError(`--instance ${unknown[0]}: no such instance of ${env.name}`, `instances of ${env.name}: ${configured.join(', ')}`);
  }
  return new Set(names);
}
