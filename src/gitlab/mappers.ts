/**
 * GitLab JSON (snake_case) → the port's camelCase types, checking every field the port promises.
 * Each mapper takes the parsed body and the JSON path used in error messages.
 */
import type {
  Deployment,
  Feature,
  FeatureFlagStrategy,
  FreezePeriod,
  GroupInfo,
  Issue,
  MergeRequest,
  NamespaceInfo,
  Note,
  ProjectFeatureFlag,
  ProjectInfo,
  UserList,
  UserRef,
} from './port.js';
import { ShapeError, arr, bool, int, list, obj, oneOf, str, strOrNull, text, type Obj } from './guards.js';

const MR_STATES = ['opened', 'closed', 'merged', 'locked'] as const;

export function toMergeRequest(v: unknown, at = ''): MergeRequest {
  const o = obj(v, at);
  const state = oneOf(o, 'state', at, MR_STATES);
  const mergeCommitSha = strOrNull(o, 'merge_commit_sha', at);
  const squashCommitSha = strOrNull(o, 'squash_commit_sha', at);
  // A fast-forward merge has neither a merge nor a squash commit: the MR's head commit landed.
  const headSha = state === 'merged' ? strOrNull(o, 'sha', at) : null;
  return {
    iid: int(o, 'iid', at),
    projectId: int(o, 'project_id', at),
    title: str(o, 'title', at),
    description: text(o, 'description', at),
    state,
    webUrl: str(o, 'web_url', at),
    mergeCommitSha,
    squashCommitSha,
    landedSha: squashCommitSha ?? mergeCommitSha ?? headSha,
    mergedAt: strOrNull(o, 'merged_at', at),
    labels: labelNames(o, at),
    ...usernameAs(o, 'merged_by', 'mergedBy', at),
    ...usernameAs(o, 'author', 'author', at),
    ...authorIdOf(o, at),
    ...(typeof o['source_branch'] === 'string' ? { sourceBranch: o['source_branch'] } : {}),
  };
}

/** `{ [as]: o[key].username }` when GitLab names that user (a missing or null user is left out). */
function usernameAs<K extends string>(o: Obj, key: string, as: K, at: string): Partial<Record<K, string>> {
  const u = o[key];
  if (u === undefined || u === null) return {};
  return { [as]: str(obj(u, `${at}.${key}`), 'username', `${at}.${key}`) } as Record<K, string>;
}

function authorIdOf(o: Obj, at: string): { authorId?: number } {
  const u = o['author'];
  if (u === undefined || u === null) return {};
  return { authorId: int(obj(u, `${at}.author`), 'id', `${at}.author`) };
}

function labelNames(o: Obj, at: string): string[] {
  return list(o['labels'] ?? [], `${at}.labels`, (x, p) => {
    // `with_labels_details=true` gives objects; plain listings give names.
    if (typeof x === 'string') return x;
    return str(obj(x, p), 'name', p);
  });
}

/** `group/project#12` → `group/project`. */
function projectPathOf(o: Obj, at: string): string | undefined {
  const refs = o['references'];
  if (refs === undefined || refs === null) return undefined;
  const full = strOrNull(obj(refs, `${at}.references`), 'full', `${at}.references`);
  const m = full === null ? null : /^(.+)#\d+$/.exec(full);
  return m?.[1];
}

export function toIssue(v: unknown, at = ''): Issue {
  const o = obj(v, at);
  const labels = labelNames(o, at);
  const projectPath = projectPathOf(o, at);
  return {
    iid: int(o, 'iid', at),
    projectId: int(o, 'project_id', at),
    ...(projectPath === undefined ? {} : { projectPath }),
    title: str(o, 'title', at),
    description: text(o, 'description', at),
    state: oneOf(o, 'state', at, ['opened', 'closed'] as const),
    labels,
    webUrl: str(o, 'web_url', at),
    ...authorIdOf(o, at),
  };
}

/** Closing issues may include external (e.g. Jira) issues, which have no numeric `iid`: skip those. */
export function isGitlabIssue(v: unknown): boolean {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as Obj)['iid'] === 'number' &&
    typeof (v as Obj)['project_id'] === 'number'
  );
}

export function toNote(v: unknown, at = ''): Note {
  const o = obj(v, at);
  const note: Note = { id: int(o, 'id', at), body: str(o, 'body', at) };
  if (typeof o['system'] === 'boolean') note.system = o['system'];
  const author = o['author'];
  if (typeof author === 'object' && author !== null && typeof (author as Obj)['username'] === 'string') {
    note.authorUsername = (author as Obj)['username'] as string;
    if (typeof (author as Obj)['id'] === 'number') note.authorId = (author as Obj)['id'] as number;
  }
  return note;
}

export function toDeployment(v: unknown, at = ''): Deployment {
  const o = obj(v, at);
  const env = o['environment'];
  const environment =
    typeof env === 'string' ? env : str(obj(env, `${at}.environment`), 'name', `${at}.environment`);
  // The Deployment entity has no finished_at on most GitLab versions: the job's is the next best.
  let finishedAt = strOrNull(o, 'finished_at', at);
  const job = o['deployable'];
  if (finishedAt === null && typeof job === 'object' && job !== null)
    finishedAt = strOrNull(job as Obj, 'finished_at', `${at}.deployable`);
  const updatedAt = strOrNull(o, 'updated_at', at);
  return {
    id: int(o, 'id', at),
    sha: str(o, 'sha', at),
    ref: str(o, 'ref', at),
    status: str(o, 'status', at),
    environment,
    finishedAt,
    createdAt: str(o, 'created_at', at),
    ...(updatedAt !== null ? { updatedAt } : {}),
    ...usernameAs(o, 'user', 'user', at),
  };
}

export function toFreezePeriod(v: unknown, at = ''): FreezePeriod {
  const o = obj(v, at);
  return {
    id: int(o, 'id', at),
    freezeStart: str(o, 'freeze_start', at),
    freezeEnd: str(o, 'freeze_end', at),
    cronTimezone: strOrNull(o, 'cron_timezone', at) ?? 'UTC',
  };
}

export function toFeature(v: unknown, at = ''): Feature {
  const o = obj(v, at);
  return {
    name: str(o, 'name', at),
    state: oneOf(o, 'state', at, ['on', 'off', 'conditional'] as const),
    gates: list(o['gates'], `${at}.gates`, (g, p) => {
      const go = obj(g, p);
      return { key: str(go, 'key', p), value: go['value'] };
    }),
  };
}

export function toUser(v: unknown, at = ''): UserRef {
  const o = obj(v, at);
  return { id: int(o, 'id', at), username: str(o, 'username', at) };
}

export function toProject(v: unknown, at = ''): ProjectInfo {
  const o = obj(v, at);
  return { id: int(o, 'id', at), pathWithNamespace: str(o, 'path_with_namespace', at) };
}

export function toGroup(v: unknown, at = ''): GroupInfo {
  const o = obj(v, at);
  return { id: int(o, 'id', at), fullPath: str(o, 'full_path', at) };
}

export function toNamespace(v: unknown, at = ''): NamespaceInfo {
  const o = obj(v, at);
  return {
    id: int(o, 'id', at),
    fullPath: str(o, 'full_path', at),
    kind: oneOf(o, 'kind', at, ['user', 'group'] as const),
  };
}

const STRATEGY_NAMES = [
  'default',
  'gradualRolloutUserId',
  'flexibleRollout',
  'userWithId',
  'gitlabUserList',
] as const;

function toParameters(v: unknown, at: string): Record<string, string> {
  const o = obj(v ?? {}, at);
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(o)) {
    if (typeof value === 'string') out[k] = value;
    else if (typeof value === 'number') out[k] = String(value);
    else throw new ShapeError(`${at}.${k}: expected a string, got ${value === null ? 'null' : typeof value}`);
  }
  return out;
}

function toStrategy(v: unknown, at: string): FeatureFlagStrategy {
  const o = obj(v, at);
  const userList = o['user_list'];
  const strategy: FeatureFlagStrategy = {
    id: int(o, 'id', at),
    name: oneOf(o, 'name', at, STRATEGY_NAMES),
    parameters: toParameters(o['parameters'], `${at}.parameters`),
    scopes: list(o['scopes'] ?? [], `${at}.scopes`, (s, p) => {
      const so = obj(s, p);
      return { id: int(so, 'id', p), environment_scope: str(so, 'environment_scope', p) };
    }),
  };
  if (userList !== undefined && userList !== null) {
    const u = obj(userList, `${at}.user_list`);
    strategy.user_list = {
      id: int(u, 'id', `${at}.user_list`),
      ...(typeof u['name'] === 'string' ? { name: u['name'] } : {}),
    };
  } else if (userList === null) strategy.user_list = null;
  return strategy;
}

export function toFeatureFlag(v: unknown, at = ''): ProjectFeatureFlag {
  const o = obj(v, at);
  return {
    name: str(o, 'name', at),
    description: strOrNull(o, 'description', at),
    active: bool(o, 'active', at),
    version: str(o, 'version', at),
    strategies: list(o['strategies'] ?? [], `${at}.strategies`, toStrategy),
  };
}

export function toUserList(v: unknown, at = ''): UserList {
  const o = obj(v, at);
  return {
    id: int(o, 'id', at),
    iid: int(o, 'iid', at),
    name: str(o, 'name', at),
    userXids: text(o, 'user_xids', at),
  };
}

/** A listing: the body must be an array. */
export function toList<T>(v: unknown, item: (x: unknown, at: string) => T): T[] {
  return arr(v, '').map((x, i) => item(x, `[${i}]`));
}
