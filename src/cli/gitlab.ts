/** Building GitLab clients from the config and the environment: tokens only from variables, never printed. */
import type { GitlabTarget } from '../apply/gitlab-target.js';
import type { FlagopsConfig } from '../config/types.js';
import { ConfigError, UsageError } from '../errors/errors.js';
import type { MrRef } from '../gates/types.js';
import { createGitlabClient } from '../gitlab/client.js';

export type { GitlabTarget } from '../apply/gitlab-target.js';

export function gitlabTarget(
  config: FlagopsConfig,
  env: Record<string, string | undefined>,
  options: { project?: string; mr?: string; needToken: boolean; scope: 'read_api' | 'api' },
): GitlabTarget {
  if (!config.gitlab) return {};
  if (!config.gitlab.url) {
    throw new ConfigError('the gitlab section has no url and CI_SERVER_URL is not set', { hint: 'set gitlab.url in flagops.yml' });
  }
  const tokenEnv = config.gitlab.tokenEnv;
  const token = env[tokenEnv];
  if (!token && options.needToken) {
    throw new ConfigError(`$${tokenEnv} is not set: flagops needs a GitLab token (scope ${options.scope}) to check the gates`, {
      hint: `create a project or group access token with ${options.scope} and store it in the CI/CD variable ${tokenEnv}`,
    });
  }
  const port = createGitlabClient({ baseUrl: config.gitlab.url, token: token || undefined, tokenEnv, ...clientLimits(env) });
  const projectText = options.project ?? env.CI_PROJECT_ID ?? (config.gitlab.project !== undefined ? String(config.gitlab.project) : undefined);
  const project = projectText === undefined || projectText === '' ? undefined : /^\d+$/.test(projectText) ? Number(projectText) : projectText;
  const mrText = options.mr ?? env.CI_MERGE_REQUEST_IID;
  let mr: MrRef | undefined;
  if (mrText) {
    if (!/^\d+$/.test(mrText)) throw new UsageError(`--mr ${mrText}: a merge request is its IID, a number`);
    if (project === undefined) throw new UsageError('--mr needs the flag repository: --project or CI_PROJECT_ID');
    mr = { project, iid: Number(mrText) };
  }
  return { port, ...(project !== undefined ? { project } : {}), ...(mr ? { mr } : {}) };
}

/** `FLAGOPS_GITLAB_RETRY_BUDGET` (seconds): how long one GitLab call may take, retries included (default 120). */
export function clientLimits(env: Record<string, string | undefined>): { maxTotalMs?: number } {
  const text = env.FLAGOPS_GITLAB_RETRY_BUDGET;
  if (text === undefined || text === '') return {};
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`FLAGOPS_GITLAB_RETRY_BUDGET=${text}: a number of seconds`);
  return { maxTotalMs: seconds * 1000 };
}
