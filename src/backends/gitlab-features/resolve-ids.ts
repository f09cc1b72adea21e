/**
 * Flipper ids → names through the port's lookups (which cache per client). Each id is asked once,
 * a few at a time. A lookup that finds nothing gives `null` (the id stays visible as `#…`); a
 * failing lookup (5xx, auth) fails the read.
 *
 * Repositories: Flipper stores `Repository:<relative path>`. With legacy storage that is the path
 * itself (`group/project.git`); with hashed storage it is `@hashed/ab/cd/<sha256(project id)>.git`,
 * which cannot be turned back into a path. Such ids resolve only against `repositoryNames` (e.g. the
 * repositories the flag files name): each is looked up once and hashed forward.
 */
import type * as Crypto from 'node:crypto';
import { createRequire } from 'node:module';
import type { GitlabPort } from '../../gitlab/port.js';
import { parseFlipperId } from './features-to-state.js';

export interface ResolveOptions {
  /** Repository paths (`group/project.git`, `group/project.wiki.git`) hashed ids may stand for. */
  repositoryNames?: readonly string[];
  /** Lookups in flight at once (default 8). */
  concurrency?: number;
}

// node:crypto is loaded only when a hashed repository id is met: every other apply skips it
const load = createRequire(import.meta.url);

const REPO_SUFFIXES = ['.wiki.git', '.design.git', '.git'] as const;

/** GitLab's hashed-storage relative path of a project's repository (`suffix` `.git`, `.wiki.git`, …). */
export function hashedRepositoryPath(projectId: number, suffix: string = '.git'): string {
  const { createHash } = load('node:crypto') as typeof Crypto;
  const hash = createHash('sha256').update(String(projectId)).digest('hex');
  return `@hashed/${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}${suffix}`;
}

export async function resolveFlipperIds(
  port: GitlabPort,
  ids: readonly string[],
  options: ResolveOptions = {},
): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  const unique = [...new Set(ids)];
  const needsHashed = unique.some((id) => id.startsWith('Repository:@hashed/'));
  const hashed = needsHashed ? await hashedRepositoryNames(port, options) : new Map<string, string>();
  await forEachLimited(unique, options.concurrency ?? 8, async (id) => {
    out.set(id, await resolveOne(port, id, hashed));
  });
  return out;
}

async function resolveOne(
  port: GitlabPort,
  id: string,
  hashed: ReadonlyMap<string, string>,
): Promise<string | null> {
  const { type, key, optOut } = parseFlipperId(id);
  if (optOut) return null;
  const numeric = /^\d+$/.test(key) ? Number(key) : undefined;
  switch (type) {
    case 'User':
      return numeric === undefined ? null : ((await port.getUserById(numeric))?.username ?? null);
    case 'Project':
      return numeric === undefined ? null : ((await port.getProject(numeric))?.pathWithNamespace ?? null);
    case 'Group':
      return numeric === undefined ? null : ((await port.getGroup(numeric))?.fullPath ?? null);
    case 'Namespaces::UserNamespace':
    case 'Namespace':
      return numeric === undefined ? null : ((await port.getNamespace(numeric))?.fullPath ?? null);
    case 'Repository':
      if (key.startsWith('@hashed/')) return hashed.get(key) ?? null;
      if (key.startsWith('@')) return null; // snippets, pools: not addressable by a path
      return key;
    default:
      return null;
  }
}

/** Hashed relative path → repository name, for the candidate names that exist. */
async function hashedRepositoryNames(
  port: GitlabPort,
  options: ResolveOptions,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const candidates = [...new Set(options.repositoryNames ?? [])];
  await forEachLimited(candidates, options.concurrency ?? 8, async (name) => {
    const suffix = REPO_SUFFIXES.find((s) => name.endsWith(s));
    if (suffix === undefined) return;
    const project = await port.getProject(name.slice(0, -suffix.length));
    if (project) out.set(hashedRepositoryPath(project.id, suffix), name);
  });
  return out;
}

async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
