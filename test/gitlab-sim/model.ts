/**
 * Lookups over the simulator state and id allocation. Pure functions over `SimState`; no module-level state.
 */
import { GITLAB_LICENSED_FEATURES } from './licensed-features.js';
import type { SimCounters, SimGroup, SimProject, SimState, SimUser } from './types.js';

export const SIM_GITLAB_VERSION = '17.11.0-ee';

export function createState(): SimState {
  return {
    version: SIM_GITLAB_VERSION,
    users: [],
    tokens: [],
    groups: [],
    projects: [],
    features: [],
    issueLinks: [],
    licensedFeatures: [...GITLAB_LICENSED_FEATURES],
    counters: {
      user: 0,
      namespace: 0,
      project: 0,
      mergeRequest: 0,
      issue: 0,
      note: 0,
      environment: 0,
      deployment: 0,
      freezePeriod: 0,
      featureFlag: 0,
      strategy: 0,
      scope: 0,
      userList: 0,
      pipeline: 0,
      job: 0,
      issueLink: 0,
    },
  };
}

/** Next id of a sequence; an explicit id moves the sequence past it so later ids never collide. */
export function allocId(state: SimState, key: keyof SimCounters, explicit?: number): number {
  if (explicit !== undefined) {
    state.counters[key] = Math.max(state.counters[key], explicit);
    return explicit;
  }
  state.counters[key] += 1;
  return state.counters[key];
}

export function nextIid<T extends { iid: number }>(items: T[], explicit?: number): number {
  if (explicit !== undefined) return explicit;
  return items.reduce((max, item) => Math.max(max, item.iid), 0) + 1;
}

const INTEGER = /^\d+$/;

export function findUserById(state: SimState, id: number | string): SimUser | undefined {
  return state.users.find((u) => String(u.id) === String(id));
}

export function findUserByUsername(state: SimState, username: string): SimUser | undefined {
  const wanted = username.toLowerCase();
  return state.users.find((u) => u.username.toLowerCase() === wanted);
}

export function findGroup(state: SimState, ref: string | number): SimGroup | undefined {
  const text = String(ref);
  if (INTEGER.test(text)) return state.groups.find((g) => String(g.id) === text);
  const wanted = text.toLowerCase();
  return state.groups.find((g) => g.path.toLowerCase() === wanted);
}

export type NamespaceHit = { kind: 'group'; group: SimGroup } | { kind: 'user'; user: SimUser };

/** A group or a user namespace (project namespaces are not returned, as in GitLab's namespace lookups). */
export function findNamespace(state: SimState, ref: string | number): NamespaceHit | undefined {
  const text = String(ref);
  if (INTEGER.test(text)) {
    const group = state.groups.find((g) => String(g.id) === text);
    if (group) return { kind: 'group', group };
    const user = state.users.find((u) => String(u.namespaceId) === text);
    return user ? { kind: 'user', user } : undefined;
  }
  const group = findGroup(state, text);
  if (group) return { kind: 'group', group };
  const user = findUserByUsername(state, text);
  return user ? { kind: 'user', user } : undefined;
}

export function findProject(state: SimState, ref: string | number): SimProject | undefined {
  const text = String(ref);
  if (INTEGER.test(text)) return state.projects.find((p) => String(p.id) === text);
  const wanted = text.toLowerCase();
  return state.projects.find((p) => p.path.toLowerCase() === wanted);
}

export function namespacePathOf(
  state: SimState,
  project: SimProject,
): { path: string; kind: 'group' | 'user'; id: number; name: string; parentId: number | null } {
  const group = state.groups.find((g) => g.id === project.namespaceId);
  if (group)
    return { path: group.path, kind: 'group', id: group.id, name: group.name, parentId: group.parentId };
  const user = state.users.find((u) => u.namespaceId === project.namespaceId);
  const path = user?.username ?? project.path.split('/').slice(0, -1).join('/');
  return { path, kind: 'user', id: project.namespaceId, name: user?.name ?? path, parentId: null };
}

/** Every sha the project knows: the commit graph plus the commits of its merge requests. */
export function isKnownCommit(project: SimProject, sha: string): boolean {
  if (project.commits[sha]) return true;
  return project.mergeRequests.some(
    (mr) =>
      mr.commits.includes(sha) || mr.mergeCommitSha === sha || mr.squashCommitSha === sha || mr.sha === sha,
  );
}

function allKnownShas(project: SimProject): string[] {
  const shas = new Set(Object.keys(project.commits));
  for (const mr of project.mergeRequests) {
    for (const sha of [...mr.commits, mr.mergeCommitSha, mr.squashCommitSha, mr.sha]) if (sha) shas.add(sha);
  }
  return [...shas];
}

/**
 * Resolves a ref the way `repository.commit(ref)` does: a branch, a tag, a full sha or a unique sha prefix
 * of at least 4 characters. Returns the full sha or null.
 */
export function resolveRef(project: SimProject, ref: string): string | null {
  const branch = project.branches[ref] ?? project.branches[ref.replace(/^refs\/heads\//, '')];
  if (branch) return branch;
  const tag = project.tags[ref] ?? project.tags[ref.replace(/^refs\/tags\//, '')];
  if (tag) return tag;
  if (isKnownCommit(project, ref)) return ref;
  if (/^[0-9a-f]{4,}$/i.test(ref)) {
    const matches = allKnownShas(project).filter((sha) => sha.startsWith(ref.toLowerCase()));
    if (matches.length === 1) return matches[0] ?? null;
  }
  return null;
}

export function hasRepository(project: SimProject): boolean {
  return Object.keys(project.commits).length > 0 || Object.keys(project.branches).length > 0;
}

/** GitLab's tier guess from an environment name (Environment#guess_tier). */
export function guessTier(name: string): 'production' | 'staging' | 'testing' | 'development' | 'other' {
  if (/(dev|review|trunk)/i.test(name)) return 'development';
  if (/(test|tst|int|ac(ce|)pt|qa|qc|control|quality)/i.test(name)) return 'testing';
  if (/(st(a|)g|mod(e|)l|pre|demo|non)/i.test(name)) return 'staging';
  if (/(pr(o|)d|live)/i.test(name)) return 'production';
  return 'other';
}

/** GitLab's environment slug: lowercase, non-alphanumerics to `-`, at most 24 characters. */
export function environmentSlug(name: string, id: number): string {
  let slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '-')
    .replace(/-+/g, '-');
  if (!/^[a-z]/.test(slug)) slug = `env-${slug}`;
  slug = slug.replace(/-+$/, '');
  if (slug.length > 24)
    slug = `${slug.slice(0, 17).replace(/-+$/, '')}-${id.toString(36).padStart(6, '0').slice(-6)}`;
  return slug;
}

/** A commit's message as the simulator stores it. */
export function commitMessage(project: SimProject, sha: string): string {
  return project.commitMessages?.[sha] ?? `Commit ${sha.slice(0, 8)}\n`;
}
