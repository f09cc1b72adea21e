/**
 * What a merge request's head changes in the policy (DESIGN §2, "Policy comes from the target branch"): one
 * `config/*` warning per setting, naming it with its old and new values. Pure.
 */
import { relative, sep } from 'node:path';
import type { BackendConfig, EnvironmentConfig, FlagopsConfig } from '../config/types.js';
import type { Finding } from '../model/finding.js';

const UNSET = '(not set)';

/** Every setting of an environment that decides what may be applied, as comparable text. */
function backendText(b: BackendConfig, dir: string): string {
  return b.type === 'file'
    ? `file ${relative(dir, b.path).split(sep).join('/')}`
    : b.type === 'gitlab-features'
      ? `gitlab-features ${b.url} (token $${b.token_env})`
      : `gitlab-feature-flags ${b.url} project ${String(b.project)} scope ${b.environment_scope} (token $${b.token_env})`;
}

function forceText(b: BackendConfig): string | undefined {
  return b.type === 'gitlab-features' && (b.force ?? []).length > 0 ? `[${[...(b.force ?? [])].sort().join(', ')}]` : undefined;
}

function environmentSettings(env: EnvironmentConfig, dir: string): [setting: string, value: string][] {
  // a ring: every instance's backend and force list, by name (an instance added, removed or moved is a change)
  const backend = env.ring
    ? `ring of ${env.instances.length}: ${env.instances.map((i) => `${i.name} ${backendText(i.backend, dir)}`).join('; ')}`
    : backendText(env.instances[0]!.backend, dir);
  const forces = env.instances.flatMap((i) => {
    const f = forceText(i.backend);
    return f ? [env.ring ? `${i.name} ${f}` : f] : [];
  });
  return [
    ['backend', backend],
    ['after', env.after ?? 'null'],
    ['soak', env.soak ?? UNSET],
    ['max_step', env.maxStep === undefined ? UNSET : String(env.maxStep)],
    ['deployment', env.deployment ? `${env.deployment.environment}${env.deployment.project ? ` of ${env.deployment.project}` : ''}` : UNSET],
    [
      'change_management',
      env.changeManagement
        ? `${env.changeManagement.project}, required ${env.changeManagement.required}, labels [${env.changeManagement.labels.join(', ')}]`
        : UNSET,
    ],
    ['freeze', env.freeze ? env.freeze.project : UNSET],
    ['production_check', env.productionCheck ? env.productionCheck.project : UNSET],
    ['verify', env.verify ? `${String(env.verify.project)}@${env.verify.ref}, timeout ${env.verify.timeout}${env.verify.tokenEnv ? ` (token $${env.verify.tokenEnv})` : ''}` : UNSET],
    ['drift', env.drift],
    ['force', forces.length > 0 ? forces.join('; ') : UNSET],
  ];
}

export function policyChanges(trusted: FlagopsConfig, head: FlagopsConfig): Finding[] {
  const file = relative(head.dir, head.file).split(sep).join('/');
  const findings: Finding[] = [];
  const warn = (code: string, message: string, env?: string): void => {
    findings.push({ code, severity: 'warning', file, ...(env ? { env } : {}), message, hint: 'the target branch\'s value applies to this check; the new one takes effect once merged' });
  };
  const gitlab = (c: FlagopsConfig): string => (c.gitlab ? `${c.gitlab.url ?? '$CI_SERVER_URL'} (token $${c.gitlab.tokenEnv})` : UNSET);
  if (gitlab(trusted) !== gitlab(head)) warn('config/gitlab-changed', `gitlab: ${gitlab(trusted)} → ${gitlab(head)}`);
  if (trusted.prune !== head.prune) warn('config/prune-changed', `prune: ${String(trusted.prune)} → ${String(head.prune)}`);
  if (trusted.maxDeletes !== head.maxDeletes) warn('config/max-deletes-changed', `max_deletes: ${trusted.maxDeletes} → ${head.maxDeletes}`);
  const order = (c: FlagopsConfig): string => c.environments.map((e) => e.name).join(', ');
  const headEnvs = new Map(head.environments.map((e) => [e.name, e]));
  for (const t of trusted.environments) {
    const h = headEnvs.get(t.name);
    if (!h) {
      warn('config/environment-removed', `environment ${t.name} is removed; its gates still judge this merge request`, t.name);
      continue;
    }
    const before = new Map(environmentSettings(t, trusted.dir));
    for (const [setting, value] of environmentSettings(h, head.dir)) {
      const old = before.get(setting)!;
      if (old !== value) warn(`config/${setting.replace('_', '-')}-changed`, `${t.name}: ${setting} ${old} → ${value}`, t.name);
    }
  }
  const trustedNames = new Set(trusted.environments.map((e) => e.name));
  for (const h of head.environments) {
    if (!trustedNames.has(h.name)) {
      warn('config/environment-unreviewed', `environment ${h.name} is new in this merge request: its gates are the head's, not yet reviewed`, h.name);
    }
  }
  if (trustedNames.size === headEnvs.size && [...trustedNames].every((n) => headEnvs.has(n)) && order(trusted) !== order(head)) {
    warn('config/order-changed', `promotion order: ${order(trusted)} → ${order(head)}`);
  }
  return findings;
}
