/**
 * The Flipper model behind GitLab's instance features: gates, state, actor ids, and GitLab's
 * `Admin::SetFeatureFlagService` rules (lib/feature.rb, app/services/admin/set_feature_flag_service.rb).
 */
import { createHash } from 'node:crypto';
import { findGroup, findNamespace, findProject, findUserByUsername } from './model.js';
import type { SimFeature, SimProject, SimState } from './types.js';

export type FeatureStateName = 'on' | 'off' | 'conditional';

export interface FeatureEntity {
  name: string;
  state: FeatureStateName;
  gates: { key: string; value: unknown }[];
  definition: null;
}

export function emptyFeature(name: string): SimFeature {
  return { name, boolean: false, actors: [], groups: [], percentageOfActors: 0, percentageOfTime: 0 };
}

/** Flipper::Feature#state: on when the boolean gate is set or percentage of time is 100. */
export function featureState(f: SimFeature): FeatureStateName {
  if (f.boolean || f.percentageOfTime === 100) return 'on';
  if (f.actors.length > 0 || f.groups.length > 0 || f.percentageOfActors > 0 || f.percentageOfTime > 0) {
    return 'conditional';
  }
  return 'off';
}

/** API::Entities::Feature: gates in Flipper's order, zero integers and empty sets left out, boolean always. */
export function featureEntity(f: SimFeature): FeatureEntity {
  const gates: { key: string; value: unknown }[] = [{ key: 'boolean', value: f.boolean }];
  if (f.actors.length > 0) gates.push({ key: 'actors', value: [...f.actors] });
  if (f.percentageOfActors !== 0) gates.push({ key: 'percentage_of_actors', value: f.percentageOfActors });
  if (f.percentageOfTime !== 0) gates.push({ key: 'percentage_of_time', value: f.percentageOfTime });
  if (f.groups.length > 0) gates.push({ key: 'groups', value: [...f.groups] });
  return { name: f.name, state: featureState(f), gates, definition: null };
}

/** Flipper `features` + `feature_gates` rows: every change persists the flag. */
export function persisted(state: SimState, name: string): SimFeature {
  let feature = state.features.find((f) => f.name === name);
  if (!feature) {
    feature = emptyFeature(name);
    state.features.push(feature);
  }
  return feature;
}

export function clearGates(f: SimFeature): void {
  f.boolean = false;
  f.actors = [];
  f.groups = [];
  f.percentageOfActors = 0;
  f.percentageOfTime = 0;
}

/** A hashed-storage disk path, as GitLab derives it from the project id. */
export function hashedDiskPath(project: SimProject): string {
  const hash = createHash('sha256').update(String(project.id)).digest('hex');
  return `@hashed/${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}`;
}

export type Target =
  | { kind: 'actor'; flipperId: string; label: string }
  | { kind: 'feature_group'; name: string; label: string };

/** Actor parameters in GitLab's resolution order (Feature::Target#targets). */
export const ACTOR_PARAMS = ['feature_group', 'user', 'project', 'group', 'namespace', 'repository'] as const;
export type ActorParam = (typeof ACTOR_PARAMS)[number];

export class UnknownTargetError extends Error {}

/**
 * `repository=`: lib/feature.rb `Feature::Target#repositories` parses each path with `Gitlab::RepoPath.parse`
 * (lib/gitlab/repo_path.rb): a trailing `.git` and a leading `/` are dropped, then the path is tried as a project,
 * `<project>.wiki` and `<project>.design` (projects found case-insensitively, app/models/concerns/routable.rb).
 * The actor is the container's repository, whose flipper id is `Repository:<relative path>`
 * (lib/gitlab/git/repository.rb#flipper_id): with hashed storage `@hashed/ab/cd/<sha256(project id)>` plus
 * `.git`, `.wiki.git` or `.design.git`. So `group/app` and `group/app.git` are the same actor.
 */
function resolveRepository(state: SimState, arg: string): Target | undefined {
  const path = arg.replace(/^\//, '').replace(/\.git$/, '');
  const direct = findProject(state, path);
  const typed = direct
    ? { project: direct, suffix: '.git' }
    : (['.wiki', '.design'] as const)
        .map((t) => (path.endsWith(t) ? { project: findProject(state, path.slice(0, -t.length)), suffix: `${t}.git` } : undefined))
        .find((x) => x?.project !== undefined);
  if (!typed?.project) return undefined;
  return { kind: 'actor', flipperId: `Repository:${hashedDiskPath(typed.project)}${typed.suffix}`, label: arg };
}

function resolveOne(state: SimState, param: ActorParam, arg: string): Target | undefined {
  switch (param) {
    case 'feature_group':
      return { kind: 'feature_group', name: arg, label: rubyGroupToS(arg) };
    case 'user': {
      const user = findUserByUsername(state, arg);
      return user && { kind: 'actor', flipperId: `User:${user.id}`, label: `@${user.username}` };
    }
    case 'project': {
      const project = /^\d+$/.test(arg) ? undefined : findProject(state, arg);
      return project && { kind: 'actor', flipperId: `Project:${project.id}`, label: project.path };
    }
    case 'group': {
      const group = /^\d+$/.test(arg) ? undefined : findGroup(state, arg);
      return group && { kind: 'actor', flipperId: `Group:${group.id}`, label: group.path };
    }
    case 'namespace': {
      const hit = /^\d+$/.test(arg) ? undefined : findNamespace(state, arg);
      if (!hit) return undefined;
      return hit.kind === 'group'
        ? { kind: 'actor', flipperId: `Group:${hit.group.id}`, label: hit.group.path }
        : {
            kind: 'actor',
            flipperId: `Namespaces::UserNamespace:${hit.user.namespaceId}`,
            label: hit.user.username,
          };
    }
    case 'repository':
      return resolveRepository(state, arg);
  }
}

/**
 * How a feature group prints in GitLab's messages (`"No opt-out exists for #{target}"`): `Feature.group` is a
 * `Flipper::Types::Group`, which defines no `to_s` (flipper lib/flipper/types/group.rb), so Ruby's `Object#to_s`
 * shows the class and an object address. The address here is derived from the name (a real one varies per process).
 */
export function rubyGroupToS(name: string): string {
  return `#<Flipper::Types::Group:0x00007f${createHash('sha256').update(name).digest('hex').slice(0, 10)}>`;
}

/**
 * lib/feature/target.rb splits each parameter with Ruby's `String#split(',')`: trailing empty fields are dropped,
 * inner and leading ones kept, so `alice,,bob` looks up `''` and fails with "` is not found!`".
 */
export function rubySplit(raw: string): string[] {
  const parts = raw.split(',');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Resolves every actor parameter (comma-separated names/paths); throws on the first unknown one. */
export function resolveTargets(state: SimState, params: Partial<Record<ActorParam, string>>): Target[] {
  const out: Target[] = [];
  for (const param of ACTOR_PARAMS) {
    const raw = params[param];
    if (raw === undefined) continue;
    const args = param === 'feature_group' ? [raw] : rubySplit(raw);
    for (const arg of args) {
      const target = resolveOne(state, param, arg);
      if (!target) throw new UnknownTargetError(`${arg} is not found!`);
      out.push(target);
    }
  }
  return out;
}

export function enableTarget(f: SimFeature, target: Target): void {
  if (target.kind === 'feature_group') {
    if (!f.groups.includes(target.name)) f.groups.push(target.name);
  } else if (!f.actors.includes(target.flipperId)) {
    f.actors.push(target.flipperId);
  }
}

export function disableTarget(f: SimFeature, target: Target): void {
  if (target.kind === 'feature_group') f.groups = f.groups.filter((g) => g !== target.name);
  else f.actors = f.actors.filter((a) => a !== target.flipperId);
}

export function optOutId(target: Target): string | undefined {
  return target.kind === 'actor' ? `${target.flipperId}:opt_out` : undefined;
}

/** Ruby's Float#to_s for the numbers GitLab formats into messages (`50.0`, `12.5`). */
export function rubyFloat(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}
