/**
 * Licensed feature names on `gitlab-features` (DESIGN §2, the `force:` key), pure. GitLab EE refuses to set a flag
 * whose name is a licensed feature's unless the request says `force=true`; the environment's backend lists in
 * `force` the flags it sends that way, reviewed in flagops.yml. One wording for both ways flagops learns of such a
 * name: its snapshot (validate, check, plan, apply) and GitLab's own 400 for a name the snapshot lacks (apply).
 */
import type { InstanceTarget } from '../../config/instances.js';
import { isReservedLicensedFeatureName } from './licensed-names.js';

export interface LicensedNameProblem {
  code: 'backend-fit' | 'backend-fit/force';
  severity: 'error' | 'info';
  message: string;
  hint?: string;
}

/** The flags an environment sends with `force=true` (empty for other backends). */
export function forcedFlags(env: InstanceTarget): ReadonlySet<string> {
  return new Set(env.backend.type === 'gitlab-features' ? (env.backend.force ?? []) : []);
}

/**
 * What to say about `flag` in `env`: an `info` when the backend lists it under `force`, a `backend-fit` error when the
 * name is licensed (per the snapshot, or because GitLab said so: `refused`) and not listed, nothing otherwise.
 * `configFile` is flagops.yml's path as reported (relative to the config's folder).
 */
export function licensedNameProblem(args: { flag: string; env: InstanceTarget; configFile: string; refused?: boolean }): LicensedNameProblem | undefined {
  const { flag, configFile } = args;
  // messages name the instance of a ring (`ring1/cell-3`); a plain environment's label is its name
  const env = { ...args.env, name: args.env.label };
  if (env.backend.type !== 'gitlab-features') return undefined;
  const listed = env.backend.force ?? [];
  const licensed = args.refused === true || isReservedLicensedFeatureName(flag);
  const at = (path: string[]): string => {
    const pos = env.locate?.(path) ?? {};
    return pos.line ? `${configFile}:${pos.line}:${pos.column ?? 1}` : configFile;
  };
  if (listed.includes(flag) && !args.refused) {
    return {
      code: 'backend-fit/force',
      severity: 'info',
      message: licensed
        ? `${env.name}: '${flag}' is a GitLab licensed feature name; sent with force=true, as the backend's force list says (${at(['backend', 'force'])})`
        : `${env.name}: '${flag}' is sent with force=true, as the backend's force list says (${at(['backend', 'force'])})`,
    };
  }
  if (!licensed) return undefined;
  const line = listed.length > 0 ? `force: [${[...listed.filter((n) => n !== flag), flag].join(', ')}]` : `force: [${flag}]`;
  const where = listed.length > 0 ? `replace the backend's force list at ${at(['backend', 'force'])} with \`${line}\`` : `add \`${line}\` to the backend of environment ${env.name} at ${at(['backend'])}`;
  return {
    code: 'backend-fit',
    severity: 'error',
    message: `${env.name}: '${flag}' is a GitLab licensed feature name: the Features API sets it only with force=true, which ${env.name} sends only for the flags its backend lists under force`,
    hint: `if this flag is meant to switch that name (it can turn the paid feature on or off), ${where} (a policy change: it takes effect once merged); otherwise rename the flag`,
  };
}
