/**
 * DESIGN §7: a merge-request pipeline runs the MR author's files. The GitLab that `check` sends its token to is
 * therefore read from the config as it is on the target branch (the base revision), never from the MR head: an MR
 * that points `gitlab.url` or `gitlab.token_env` elsewhere gets the target branch's values and a warning.
 */
import { relative, sep } from 'node:path';
import { loadConfigBytes } from '../config/load-config.js';
import type { FlagopsConfig } from '../config/types.js';
import type { Git } from '../git/git.js';
import type { Finding } from '../model/finding.js';

export async function withTrustedGitlab(args: {
  config: FlagopsConfig;
  git: Git;
  base: string | undefined;
  env: Record<string, string | undefined>;
}): Promise<{ config: FlagopsConfig; findings: Finding[] }> {
  const { config, git, base } = args;
  if (!base) return { config, findings: [] };
  const root = await git.repoRoot();
  const path = relative(root, config.file).split(sep).join('/');
  const text = await git.showFile(base, path).catch(() => undefined);
  if (text === undefined) return { config, findings: [] };
  const loaded = loadConfigBytes(Buffer.from(text), { abs: config.file, env: args.env });
  if (!loaded.ok) return { config, findings: [] };
  const trusted = loaded.config.gitlab;
  const head = config.gitlab;
  if (trusted?.url === head?.url && trusted?.tokenEnv === head?.tokenEnv) return { config, findings: [] };
  const file = relative(config.dir, config.file).split(sep).join('/');
  return {
    config: { ...config, ...(trusted ? { gitlab: trusted } : {}), ...(trusted ? {} : { gitlab: undefined }) },
    findings: [
      {
        code: 'config/gitlab-changed',
        severity: 'warning',
        file,
        message: 'this merge request changes the gitlab section; check uses the target branch\'s (the token goes only to the GitLab the target branch names)',
        hint: 'the new gitlab section takes effect once merged',
      },
    ],
  };
}
