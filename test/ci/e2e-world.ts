/**
 * The GitLab side of the CI end-to-end tests: simulators for the flag repository's GitLab (merge requests, notes,
 * deployments, production's project feature flags in group/app) and one instance each for dev and staging
 * (Features API, administrator tokens). The flag's code is MR !5 of group/app, merged as c2; staging (gstg) runs
 * c3, production (gprd) still c1 until `deployProduction()`.
 */
import { join } from 'node:path';
import { createBackend } from '../../src/backends/create-backend.js';
import { soleTarget } from '../../src/config/instances.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { MaybeState } from '../../src/model/state.js';
import { startGitlabSim, type GitlabSim } from '../gitlab-sim/index.js';

export const TOKENS = {
  gitlab: 'glpat-e2e-GITLAB-0001',
  dev: 'glpat-e2e-DEV-0002',
  staging: 'glpat-e2e-STAGING-0003',
  production: 'glpat-e2e-PRODUCTION-0004',
};
export const FLAG_PROJECT_ID = 20;
const sha = (c: string): string => c.padEnd(40, c.slice(-1));
const ago = (minutes: number): string => new Date(Date.now() - minutes * 60_000).toISOString();

export type World = Awaited<ReturnType<typeof startWorld>>;

export async function startWorld() {
  const [sim, devSim, stagingSim] = await Promise.all([startGitlabSim(), startGitlabSim(), startGitlabSim()]);
  for (const [s, token] of [
    [devSim, TOKENS.dev],
    [stagingSim, TOKENS.staging],
  ] as const) {
    s.addUser({ username: 'root', admin: true });
    s.addToken(token, { user: 'root', scopes: ['api'] });
  }
  sim.addUser({ username: 'flagops-bot' });
  sim.addToken(TOKENS.gitlab, { user: 'flagops-bot', scopes: ['api'] });
  sim.addToken(TOKENS.production, { user: 'flagops-bot', scopes: ['api'] });
  sim.addGroup({ path: 'group' });
  sim.addProject({ path: 'group/app', id: 10 });
  sim.addProject({ path: 'group/flags', id: FLAG_PROJECT_ID });
  sim.addGroup({ path: 'ops' });
  sim.addProject({ path: 'ops/changes', id: 30 });
  sim.addCommit(10, { sha: sha('c1'), parents: [] });
  sim.addCommit(10, { sha: sha('c2'), parents: [sha('c1')] });
  sim.addCommit(10, { sha: sha('c3'), parents: [sha('c2')] });
  sim.addMergeRequest(10, { iid: 5, state: 'merged', mergeCommitSha: sha('c2'), mergedAt: ago(180) });
  sim.addDeployment(10, { environment: 'gstg', sha: sha('c3'), status: 'success', createdAt: ago(120) });
  sim.addDeployment(10, { environment: 'gprd', sha: sha('c1'), status: 'success', createdAt: ago(90) });
  const sims: GitlabSim[] = [sim, devSim, stagingSim];

  return {
    sim,
    devSim,
    stagingSim,
    /** flagops.yml of the flag repository; production may require an approved change issue for rollouts. */
    config: (changeManagement: boolean): string => `flags: flags
gitlab: { url: ${sim.url}, token_env: FLAGOPS_GITLAB_TOKEN }
environments:
  - name: dev
    backend: { type: gitlab-features, url: ${devSim.url}, token_env: FLAGOPS_DEV_TOKEN }
  - name: staging
    backend: { type: gitlab-features, url: ${stagingSim.url}, token_env: FLAGOPS_STAGING_TOKEN }
    deployment: { environment: gstg }
  - name: production
    backend: { type: gitlab-feature-flags, url: ${sim.url}, token_env: FLAGOPS_PRODUCTION_TOKEN, project: group/app, environment_scope: production }
    deployment: { environment: gprd }
${changeManagement ? "    change_management: { project: ops/changes, required: rollout, labels: ['change::approved'] }\n" : ''}`,
    /** The flag file of my_flag with these `environments` (YAML text after the key). */
    flag: (environments: string): string =>
      `name: my_flag\ntype: beta\nactor: user\nintroduced_by_url: ${sim.url}/group/app/-/merge_requests/5\nenvironments:${environments}\n`,
    /** The CI/CD variables: the GitLab token for every job, each environment's token scoped to its environment. */
    variables: {
      FLAGOPS_GITLAB_TOKEN: TOKENS.gitlab,
      FLAGOPS_DEV_TOKEN: { dev: TOKENS.dev },
      FLAGOPS_STAGING_TOKEN: { staging: TOKENS.staging },
      FLAGOPS_PRODUCTION_TOKEN: { production: TOKENS.production },
    },
    deployProduction: (): void =>
      sim.addDeployment(10, { environment: 'gprd', sha: sha('c3'), status: 'success', createdAt: ago(1) }),
    /** Requests that reached any environment (instance features, project feature flags). */
    environmentRequests: (): number =>
      devSim.requests.length +
      stagingSim.requests.length +
      sim.requests.filter((r) => r.path.includes('feature_flags')).length,
    /** Live state of my_flag in every environment of `dir`/flagops.yml, read with flagops' own backends. */
    async liveStates(dir: string): Promise<Record<string, MaybeState>> {
      const loaded = loadConfig({ file: join(dir, 'flagops.yml'), env: {} });
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.findings));
      const vars = {
        FLAGOPS_DEV_TOKEN: TOKENS.dev,
        FLAGOPS_STAGING_TOKEN: TOKENS.staging,
        FLAGOPS_PRODUCTION_TOKEN: TOKENS.production,
      };
      const states: Record<string, MaybeState> = {};
      for (const env of loaded.config.environments) {
        states[env.name] = (await createBackend({ env: soleTarget(env), vars }).backend.read()).get('my_flag')?.state;
      }
      return states;
    },
    unexpected: () => sims.flatMap((s) => s.unexpected),
    close: () => Promise.all(sims.map((s) => s.close())),
  };
}
