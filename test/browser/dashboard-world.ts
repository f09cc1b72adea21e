/**
 * A flag repository with a known history for the dashboard tests: real git commits on fixed dates and flagops
 * applies on a controlled clock (the file backend stamps its `applied` records with it), one hand edit of a state
 * file (drift), one change not applied yet (pending), and a published live snapshot of a gitlab-features
 * environment holding a licensed feature's name.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { gitRepo } from '../helpers/git-repo.js';
import { cli } from '../helpers/run-cli.js';
import { THREE_FILE_ENVS } from '../helpers/tmp-tree.js';

export const T0 = new Date('2026-01-10T12:00:00Z');
export const at = (days: number): Date => new Date(T0.getTime() + days * 86_400_000);
/** When the report is made, and its window: 14 days back. */
export const NOW = at(9);
export const DAYS = 14;

const ISSUE = 'rollout_issue_url: https://gitlab.example.com/group/app/-/issues/1\n';
export const CONFIG = `flags: flags
${THREE_FILE_ENVS}  - name: saas
    after: null
    backend: { type: gitlab-features, url: https://gitlab.example.com, token_env: SAAS_TOKEN, force: [zentao_issues_integration] }
`;

const flag = (name: string, head: string, envs: string): string => `name: ${name}\n${head}${envs ? `environments:\n${envs}` : ''}`;
const checkout = (production: string): string =>
  flag('checkout_v2', `type: beta\ngroup: group::checkout\nactor: user\nmilestone: '18.7'\n${ISSUE}`, `  dev: true\n  staging:\n    percentage_of_actors: 50\n  production: ${production}\n`);

/** Filler flags: a realistic spread of groups, types and exposures for the screenshot; none is asserted on. */
function filler(): Record<string, string> {
  const groups = ['group::checkout', 'group::search', 'group::source code', 'group::pipeline execution', 'group::authentication'];
  const types = ['beta', 'wip', 'gitlab_com_derisk', 'ops', 'experiment'];
  // lowest exposure first: production never gets more than staging (the promotion gate)
  const states = ['false', '\n    feature_groups: [gitlab_team_members]', '\n    percentage_of_actors: 10', '\n    percentage_of_actors: 60', 'true'];
  const names = ['ai_merge_summary', 'batched_git_gc', 'ci_job_token_scope_v2', 'container_scan_cache', 'deploy_freeze_banner',
    'duo_chat_history', 'fast_blame_cache', 'group_saml_sync', 'lfs_batch_upload', 'mr_reviewer_roulette',
    'pipeline_dag_view', 'registry_gc_online', 'runner_token_rotation', 'search_zoekt_index', 'ssh_cert_auth', 'work_item_epics'];
  const out: Record<string, string> = {};
  names.forEach((name, i) => {
    const staging = (i * 3) % states.length;
    const production = Math.max(0, staging - (i % 3));
    const envs = i % 7 === 3 ? '' : `  dev: true\n  staging: ${states[staging]}\n  production: ${states[production]}\n`;
    out[`flags/${name}.yml`] = flag(name, `type: ${types[i % types.length]}\ngroup: ${groups[i % groups.length]}\nactor: user\nmilestone: '18.${i % 8}'\n${ISSUE}`, envs);
  });
  return out;
}

/** Builds the repository in `dir`; returns it. The applies run in-process on the controlled clock. */
export async function buildDashboardWorld(dir: string): Promise<{ dir: string }> {
  const r = gitRepo(dir);
  const apply = async (when: Date, ...envs: string[]): Promise<void> => {
    const run = await cli(['apply', ...envs.flatMap((e) => ['--env', e])], { cwd: dir, now: when });
    expect(run.code, run.stdout + run.stderr).toBe(0);
  };
  r.commit(
    {
      '.gitignore': 'state/\n.flagops/\n',
      'flagops.yml': CONFIG,
      'flags/checkout_v2.yml': checkout('false'),
      'flags/search_ranking.yml': flag('search_ranking', `type: wip\ngroup: group::search\nmilestone: '18.7'\n${ISSUE}`, '  dev: true\n  staging: true\n  production:\n    actors:\n      users: [luke]\n'),
      'flags/zentao_issues_integration.yml': flag('zentao_issues_integration', `type: beta\ngroup: group::integrations\nactor: project\nmilestone: '18.7'\n${ISSUE}`, '  dev: true\n  saas:\n    percentage_of_actors: 25\n'),
      // derisk flag from milestone 17.0 (May 2024): its 2-month lifespan is long over
      'flags/old_derisk.yml': flag('old_derisk', "type: gitlab_com_derisk\ngroup: group::search\nmilestone: '17.0'\n" + ISSUE, '  dev: true\n  staging: true\n  production: true\n'),
      // managed without a rollout issue
      'flags/orphan_ops.yml': flag('orphan_ops', "type: ops\ngroup: group::checkout\nmilestone: '18.7'\n", '  dev: false\n'),
      ...filler(),
    },
    'add flags',
    at(-1).toISOString(),
  );
  await apply(T0, 'dev', 'staging', 'production');
  r.commit({ 'flags/checkout_v2.yml': checkout('\n    percentage_of_actors: 25') }, 'checkout_v2: 25% in production', at(2).toISOString());
  await apply(at(3), 'production');
  r.commit({ 'flags/checkout_v2.yml': checkout('\n    percentage_of_actors: 50') }, 'checkout_v2: 50% in production', at(5).toISOString());
  await apply(at(6), 'production');
  // merged, not applied yet: pending
  r.commit({ 'flags/checkout_v2.yml': checkout('true') }, 'checkout_v2: on in production', at(8).toISOString());
  // someone switched search_ranking off in staging by hand: drift
  const stagingFile = join(dir, 'state/staging.json');
  const staging = JSON.parse(readFileSync(stagingFile, 'utf8')) as { flags: Record<string, unknown> };
  staging.flags.search_ranking = false;
  writeFileSync(stagingFile, JSON.stringify(staging));
  // the saas environment's status job published its live state
  mkdirSync(join(dir, '.flagops/live'), { recursive: true });
  writeFileSync(
    join(dir, '.flagops/live/saas.json'),
    JSON.stringify({ snapshotVersion: 1, environment: 'saas', readAt: at(8.5).toISOString(), flags: { zentao_issues_integration: { percentage_of_actors: 25 }, search_ranking: true } }),
  );
  return { dir };
}
