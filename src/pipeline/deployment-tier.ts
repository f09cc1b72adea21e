/**
 * The deployment tier GitLab gives an environment from its name when the job does not say
 * (app/models/environment.rb, `guess_tier`; docs: ci/environments "deployment tier of environments"). The generated
 * pipeline writes it explicitly, so what GitLab shows never depends on its guess; `--tier ENV=TIER` overrides it.
 */
export const DEPLOYMENT_TIERS = ['production', 'staging', 'testing', 'development', 'other'] as const;
export type DeploymentTier = (typeof DEPLOYMENT_TIERS)[number];

export function guessTier(name: string): DeploymentTier {
  if (/(dev|review|trunk)/i.test(name)) return 'development';
  if (/(test|tst|int|ac(ce|)pt|qa|qc|control|quality)/i.test(name)) return 'testing';
  if (/(st(a|)g|mod(e|)l|pre|demo|non)/i.test(name)) return 'staging';
  if (/(pr(o|)d|live)/i.test(name)) return 'production';
  return 'other';
}

export function isDeploymentTier(value: string): value is DeploymentTier {
  return (DEPLOYMENT_TIERS as readonly string[]).includes(value);
}
