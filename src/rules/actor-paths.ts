/**
 * `actor/path`: actor names follow GitLab's path syntax, checked offline before any name reaches a URL.
 * GitLab's lib/gitlab/path_regex.rb: a namespace segment is `PATH_START_CHAR [a-zA-Z0-9_\-.]* [a-zA-Z0-9_\-]` or a
 * single `[a-zA-Z0-9_]` (NAMESPACE_FORMAT_REGEX_JS), with PATH_START_CHAR `[a-zA-Z0-9_.]`, never ending in `.git` or
 * `.atom` (NO_SUFFIX_REGEX); a full path is segments joined by `/`, at most 20 ancestors (app/models/namespace.rb,
 * NUMBER_OF_ANCESTORS_ALLOWED) plus the project. Usernames are one segment. So `../../etc`, `g1/p1?x=1`, `a//b`
 * and `/a` are refused. Only the syntax is checked here; what each actor kind may name is another rule's.
 */
import type { Finding } from '../model/finding.js';
import { ACTOR_KINDS } from '../model/state.js';
import { reporter, type Rule } from './types.js';

const SEGMENT = /^(?:[a-zA-Z0-9_.][a-zA-Z0-9_\-.]*[a-zA-Z0-9_-]|[a-zA-Z0-9_])$/;
const MAX_SEGMENTS = 21;
const MAX_LENGTH = 255 * MAX_SEGMENTS;
/** Names of letters, digits and `_` only (one segment, or up to MAX_SEGMENTS joined by `/`) pass every check below. */
const PLAIN_NAME = /^[a-zA-Z0-9_]+$/;
const PLAIN_PATH = new RegExp(`^[a-zA-Z0-9_]+(?:/[a-zA-Z0-9_]+){0,${MAX_SEGMENTS - 1}}$`);

/** Why `name` is not a GitLab path of `kind`, or undefined. */
export function actorPathProblem(kind: (typeof ACTOR_KINDS)[number], name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > MAX_LENGTH) return 'is too long';
  // the usual name: no segment can then start or end wrongly, nor end in .git or .atom
  if ((kind === 'users' ? PLAIN_NAME : PLAIN_PATH).test(name)) return undefined;
  // a repository is named by its project's path; a `.git` suffix is the actor kind rule's business
  const path = kind === 'repositories' && name.endsWith('.git') ? name.slice(0, -4) : name;
  const segments = path.split('/');
  if (kind === 'users' && segments.length > 1) return 'is not a username: it contains `/`';
  if (segments.length > MAX_SEGMENTS) return `has more than ${MAX_SEGMENTS} path segments`;
  for (const segment of segments) {
    if (segment === '') return 'has an empty path segment (a leading, trailing or doubled `/`)';
    if (!SEGMENT.test(segment)) return `has the segment '${segment}', which GitLab's path rules refuse (letters, digits, '_', '-', '.'; not '.' or '-' at the end)`;
    if (segment.endsWith('.git') || segment.endsWith('.atom')) return `has the segment '${segment}': GitLab paths never end in .git or .atom`;
  }
  return undefined;
}

export const actorPathRule: Rule = (doc, ctx, states) => {
  const report = reporter(doc, ctx);
  const out: Finding[] = [];
  for (const { env, state } of states) {
    if (typeof state !== 'object' || !state.actors || typeof state.actors !== 'object') continue;
    // project feature flags take Unleash user ids, free strings the app passes (e-mails, numbers): backend-fit
    // checks what GitLab accepts of them, and they never reach a URL
    const unleash = ctx.fits.get(env)?.types.includes('gitlab-feature-flags') === true;
    for (const kind of ACTOR_KINDS) {
      if (unleash && kind === 'users') continue;
      const list: unknown = Object.hasOwn(state.actors, kind) ? state.actors[kind] : undefined;
      if (!Array.isArray(list)) continue;
      list.forEach((name, i) => {
        if (typeof name !== 'string') return;
        const problem = actorPathProblem(kind, name);
        if (problem) {
          out.push(
            report('actor/path', ['environments', env, 'actors', kind, i], `${env}: ${kind} entry '${name.length > 80 ? `${name.slice(0, 80)}…` : name}' ${problem}`, {
              env,
              hint: kind === 'users' ? 'a GitLab username, as in @name' : 'the full path as in the URL, e.g. group/subgroup/project',
            }),
          );
        }
      });
    }
  }
  return out;
};
