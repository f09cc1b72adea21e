/**
 * `actor/form`: actor kinds whose written form GitLab would store under another name, so the live state could never
 * read back as the file says (issue: "actors converge or are refused up front").
 *
 * Repositories. GitLab resolves `repository=` with Gitlab::RepoPath.parse (lib/gitlab/repo_path.rb, called by
 * `Feature::Target#repositories` in lib/feature.rb) and stores the repository's own Flipper id,
 * `Repository:<relative path>` (lib/gitlab/git/repository.rb#flipper_id) — with hashed storage a hash of the project
 * id, which flagops can only map back to a path the files name with its repository suffix. So:
 * - a project repository is written `group/project.git` (its wiki `group/project.wiki.git`, its designs
 *   `group/project.design.git`): `group/project` alone names the same repository under a second spelling;
 * - snippet repositories (`snippets/12.git`, `group/project/snippets/12.git`) live under `@snippets/…`, which no
 *   path lookup can map back: they are refused.
 * Other kinds need no rule here: a group given under `namespaces` (stored as `Group:<id>`) and names in another
 * letter case are aligned by the gitlab-features backend when it reads (plan-features.ts, alignActors).
 */
import type { Finding } from '../model/finding.js';
import { reporter, type Rule } from './types.js';

const SUFFIXES = ['.wiki.git', '.design.git', '.git'] as const;
const SNIPPET = /(^|\/)snippets\/\d+(\.git)?$/;

/** Why a `repositories` entry cannot round-trip, with the form to write instead; undefined when it can. */
export function repositoryFormProblem(name: string): { problem: string; accepted: string } | undefined {
  if (SNIPPET.test(name)) {
    return { problem: 'is a snippet repository, which GitLab stores under a hashed id no path maps back to', accepted: 'a project repository, e.g. group/project.git' };
  }
  if (SUFFIXES.some((s) => name.endsWith(s))) return undefined;
  return { problem: 'has no repository suffix', accepted: `${name}.git (or ${name}.wiki.git, ${name}.design.git)` };
}

export const actorFormRule: Rule = (doc, ctx, states) => {
  const report = reporter(doc, ctx);
  const out: Finding[] = [];
  for (const { env, state } of states) {
    if (typeof state !== 'object') continue;
    const repos = state.actors?.repositories;
    if (!Array.isArray(repos)) continue;
    repos.forEach((name, index) => {
      if (typeof name !== 'string') return;
      const bad = repositoryFormProblem(name);
      if (!bad) return;
      out.push(
        report('actor/form', ['environments', env, 'actors', 'repositories', index], `${env}: repositories entry '${name}' ${bad.problem}`, {
          env,
          hint: `write ${bad.accepted}`,
        }),
      );
    });
  }
  return out;
};
