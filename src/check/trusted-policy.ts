/**
 * DESIGN §2, "Policy comes from the target branch": a merge-request pipeline runs the author's files, so `check`
 * judges it with the environments, backends, gate settings and GitLab of the **target** branch's flagops.yml, read
 * with git from the clone — at CI_MERGE_REQUEST_DIFF_BASE_SHA (a commit of the target branch, its content fixed by
 * its hash) or at the target branch's tip fetched by name. Never from the head, never from CI_COMMIT_BEFORE_SHA
 * (in a branch pipeline, the author's own earlier push). Outside a merge request: the default branch.
 */
import { relative, sep } from 'node:path';
import { loadConfigBytes } from '../config/load-config.js';
import type { FlagopsConfig } from '../config/types.js';
import { ConfigError } from '../errors/errors.js';
import { SHALLOW_HINT, type Git } from '../git/git.js';
import type { Finding } from '../model/finding.js';
import { policyChanges } from './policy-diff.js';

export interface TrustedPolicy {
  /** What check runs with: the head's flag folders and layout, the target's policy. */
  config: FlagopsConfig;
  findings: Finding[];
  /** Where the policy was read; `rev` undefined for a run outside CI (the working tree is the user's own). */
  source: { rev?: string; from: 'CI_MERGE_REQUEST_DIFF_BASE_SHA' | 'target branch' | 'default branch' | 'working tree'; branch?: string };
  /** False when the target has no (valid) flagops.yml: the head's gates run, unreviewed. */
  reviewed: boolean;
}

export async function loadTrustedPolicy(args: { head: FlagopsConfig; git: Git; env: Record<string, string | undefined> }): Promise<TrustedPolicy> {
  const { head, git, env } = args;
  const inMr = Boolean(env.CI_MERGE_REQUEST_IID || env.CI_MERGE_REQUEST_DIFF_BASE_SHA || env.CI_MERGE_REQUEST_TARGET_BRANCH_NAME);
  if (!inMr && !env.CI_DEFAULT_BRANCH) return { config: head, findings: [], source: { from: 'working tree' }, reviewed: true };
  const source = await policyRevision(git, env, inMr);
  const root = await git.repoRoot();
  const path = relative(root, head.file).split(sep).join('/');
  const file = relative(head.dir, head.file).split(sep).join('/');
  const text = await git.showFile(source.rev, path);
  const where = source.branch ? `the ${source.branch} branch (${source.rev.slice(0, 8)})` : source.rev.slice(0, 8);
  const loaded = text === undefined ? undefined : loadConfigBytes(Buffer.from(text), { abs: head.file, env });
  if (!loaded?.ok) {
    return {
      config: unreviewed(head, env),
      findings: [
        {
          code: 'config/unreviewed',
          severity: 'warning',
          file,
          message: `${where} has ${loaded ? 'no valid' : 'no'} ${path}: the gates are this merge request's own, unreviewed`,
          hint: 'the policy is reviewed from the next merge request on; the token goes only to $CI_SERVER_URL meanwhile',
        },
      ],
      source,
      reviewed: false,
    };
  }
  const trusted = loaded.config;
  const headOnly = head.environments.filter((h) => !trusted.environments.some((t) => t.name === h.name));
  const environments = [...trusted.environments, ...headOnly].map((e, index) => ({ ...e, index }));
  const gitlab = trusted.gitlab ?? unreviewed(head, env).gitlab;
  const config: FlagopsConfig = { ...head, prune: trusted.prune, maxDeletes: trusted.maxDeletes, environments, ...(gitlab ? { gitlab } : {}) };
  if (!gitlab) delete config.gitlab;
  return { config, findings: policyChanges(trusted, head), source, reviewed: true };
}

/** The head's config with the GitLab forced to $CI_SERVER_URL: a head cannot choose where the token goes. */
function unreviewed(head: FlagopsConfig, env: Record<string, string | undefined>): FlagopsConfig {
  if (!head.gitlab) return head;
  const url = env.CI_SERVER_URL?.replace(/\/+$/, '');
  const { url: _ignored, ...rest } = head.gitlab;
  return { ...head, gitlab: { ...rest, ...(url ? { url } : {}) } };
}

async function policyRevision(git: Git, env: Record<string, string | undefined>, inMr: boolean): Promise<{ rev: string; from: TrustedPolicy['source']['from']; branch?: string }> {
  const diffBase = inMr ? env.CI_MERGE_REQUEST_DIFF_BASE_SHA : undefined;
  if (diffBase) {
    const rev = await git.revParse(diffBase).catch(() => undefined);
    if (rev) return { rev, from: 'CI_MERGE_REQUEST_DIFF_BASE_SHA' };
  }
  const branch = inMr ? env.CI_MERGE_REQUEST_TARGET_BRANCH_NAME : env.CI_DEFAULT_BRANCH;
  if (branch) {
    const rev = await git.branchTip(branch);
    if (rev) return { rev, from: inMr ? 'target branch' : 'default branch', branch };
  }
  const wanted = [diffBase ? `the merge-request diff base ${diffBase.slice(0, 8)}` : '', branch ? `the ${branch} branch` : ''].filter(Boolean).join(' or ');
  throw new ConfigError(`cannot read the target branch's flagops.yml: ${wanted || 'no diff base or target branch is known, and'} ${wanted ? 'is neither in this clone nor fetchable' : 'check will not judge a merge request by its own policy'}`, {
    hint: `${SHALLOW_HINT} In a merge-request pipeline GitLab sets CI_MERGE_REQUEST_DIFF_BASE_SHA and CI_MERGE_REQUEST_TARGET_BRANCH_NAME.`,
  });
}
