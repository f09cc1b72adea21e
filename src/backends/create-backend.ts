/** Builds an environment's backend from its config; GitLab tokens only from the variables the config names. */
import type { InstanceTarget } from '../config/instances.js';
import { ConfigError } from '../errors/errors.js';
import { createGitlabClient } from '../gitlab/client.js';
import type { GitlabPort } from '../gitlab/port.js';
import { createFileBackend } from './file/file-backend.js';
import { createGitlabFeatureFlagsBackend } from './gitlab-feature-flags/gitlab-feature-flags-backend.js';
import { createGitlabFeaturesBackend } from './gitlab-features/gitlab-features-backend.js';
import type { Backend } from './types.js';

export interface CreateBackendOptions {
  /** One instance: a plain environment's (soleTarget) or one of a ring's (instanceTargets). */
  env: InstanceTarget;
  vars: Record<string, string | undefined>;
  /** gitlab-features: repository paths the flag files name, so hashed-storage ids read back as paths. */
  repositoryNames?: readonly string[];
  /** The clock the file backend stamps its writes with (soak counts from them). */
  now?: () => Date;
  /** Extra client settings (retry budget). */
  client?: { maxTotalMs?: number };
}

export interface BackendHandle {
  backend: Backend;
  /** The backend's GitLab client, when it has one (request counts, benchmarks). */
  port?: GitlabPort;
}

export function createBackend(options: CreateBackendOptions): BackendHandle {
  const { env, vars } = options;
  const config = env.backend;
  if (config.type === 'file') {
    return { backend: createFileBackend({ path: config.path, ...(options.now ? { now: options.now } : {}), ...(config.root ? { root: config.root } : {}) }) };
  }
  const token = vars[config.token_env];
  if (!token) {
    const scope = config.type === 'gitlab-features' ? 'an administrator token with api scope' : 'a token with api scope on the project';
    throw new ConfigError(`environment ${env.ring ? `${env.name} instance ${env.instance}` : env.name}: $${config.token_env} is not set (the ${config.type} backend at ${new URL(config.url).host} needs ${scope})`, {
      hint: `store it as a protected, masked CI/CD variable ${config.token_env}, seen only by the apply jobs on the default branch`,
    });
  }
  const port = createGitlabClient({ baseUrl: config.url, token, tokenEnv: config.token_env, ...(options.client ?? {}) });
  if (config.type === 'gitlab-features') {
    return {
      backend: createGitlabFeaturesBackend({ port, env: env.label, force: config.force ?? [], repositoryNames: options.repositoryNames ?? [] }),
      port,
    };
  }
  return {
    backend: createGitlabFeatureFlagsBackend({ port, project: config.project, environmentScope: config.environment_scope, env: env.label }),
    port,
  };
}
