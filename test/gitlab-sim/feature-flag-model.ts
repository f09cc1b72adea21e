/**
 * Project feature flags (Operations::FeatureFlag, ::Strategy, ::Scope, ::UserList): validations with GitLab's
 * messages, and nested-attribute updates (strategies without `id` are appended, `_destroy` removes).
 */
import type { SimFeatureFlag, SimFlagStrategy, SimProject, SimState, SimUserList } from './types.js';

export const FLAG_NAME = /^[a-z]([-_a-z0-9]*[a-z0-9])?$/;
const ENV_SCOPE = /^[a-zA-Z0-9_/${}. *-]+$/;
const GROUP_ID = /^[a-z]{1,32}$/;
const STICKINESS = ['default', 'userId', 'sessionId', 'random'];

export const STRATEGY_PARAMS: Record<string, string[]> = {
  default: [],
  gitlabUserList: [],
  gradualRolloutUserId: ['groupId', 'percentage'],
  flexibleRollout: ['groupId', 'rollout', 'stickiness'],
  userWithId: ['userIds'],
};

function withinRange(value: unknown): boolean {
  return typeof value === 'string' && /^\d+$/.test(value) && Number(value) >= 0 && Number(value) <= 100;
}

/** FeatureFlagUserXidsValidator. */
export function validUserXids(value: unknown): boolean {
  if (typeof value !== 'string' || /[\n\r\t]|,,/.test(value)) return false;
  const xids = value.split(',');
  if (value === '') return true;
  return (
    new Set(xids).size === xids.length && xids.every((x) => x !== '' && x.trim() === x && x.length <= 256)
  );
}

const xidsMessage = (name: string) =>
  `${name} must be a string of unique comma separated values each 256 characters or less`;

function parameterErrors(strategy: SimFlagStrategy): string[] {
  const p = strategy.parameters;
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return ['parameters are invalid'];
  const params = p as Record<string, unknown>;
  const expected = [...(STRATEGY_PARAMS[strategy.name] ?? [])].sort();
  const actual = Object.keys(params).sort();
  if (expected.join(',') !== actual.join(',')) return ['parameters are invalid'];
  const errors: string[] = [];
  if (strategy.name === 'gradualRolloutUserId') {
    if (!withinRange(params.percentage))
      errors.push('percentage must be a string between 0 and 100 inclusive');
    if (typeof params.groupId !== 'string' || !GROUP_ID.test(params.groupId))
      errors.push('groupId parameter is invalid');
  } else if (strategy.name === 'flexibleRollout') {
    if (typeof params.stickiness !== 'string' || !STICKINESS.includes(params.stickiness)) {
      errors.push('stickiness parameter must be default, userId, sessionId, or random');
    }
    if (typeof params.groupId !== 'string' || !GROUP_ID.test(params.groupId))
      errors.push('groupId parameter is invalid');
    if (!withinRange(params.rollout)) errors.push('rollout must be a string between 0 and 100 inclusive');
  } else if (strategy.name === 'userWithId' && !validUserXids(params.userIds)) {
    errors.push(xidsMessage('userIds'));
  }
  return errors;
}

/** ActiveRecord full messages for a flag, `[]` when valid. */
export function validateFlag(project: SimProject, flag: SimFeatureFlag): string[] {
  const errors: string[] = [];
  if (flag.name === '') errors.push("Name can't be blank");
  else if (flag.name.length < 2) errors.push('Name is too short (minimum is 2 characters)');
  else if (flag.name.length > 63) errors.push('Name is too long (maximum is 63 characters)');
  if (flag.name !== '' && !FLAG_NAME.test(flag.name)) {
    errors.push(
      "Name can contain only lowercase letters, digits, '_' and '-'. Must start with a letter, and cannot end with '-' or '_'",
    );
  }
  if (project.featureFlags.some((f) => f.name === flag.name && f.id !== flag.id))
    errors.push('Name has already been taken');
  if ((flag.description ?? '').length > 255)
    errors.push('Description is too long (maximum is 255 characters)');
  for (const strategy of flag.strategies) {
    if (!(strategy.name in STRATEGY_PARAMS)) {
      errors.push('Strategies name strategy name is invalid');
    } else {
      errors.push(...parameterErrors(strategy).map((m) => `Strategies parameters ${m}`));
    }
    if (strategy.name === 'gitlabUserList' && strategy.userListId === null)
      errors.push("Strategies user list can't be blank");
    if (strategy.name !== 'gitlabUserList' && strategy.userListId !== null)
      errors.push('Strategies user list must be blank');
    if (strategy.userListId !== null && !project.userLists.some((l) => l.id === strategy.userListId)) {
      errors.push('Strategies user list must belong to the same project');
    }
    for (const scope of strategy.scopes) {
      if (scope.environmentScope === '') errors.push("Strategies scopes environment scope can't be blank");
      else if (!ENV_SCOPE.test(scope.environmentScope)) {
        errors.push(
          "Strategies scopes environment scope can contain only letters, digits, '-', '_', '/', '$', '{', '}', '.', '*' and spaces",
        );
      }
    }
  }
  return [...new Set(errors)];
}

export function validateUserList(project: SimProject, list: SimUserList): string[] {
  const errors: string[] = [];
  if (list.name === '') errors.push("Name can't be blank");
  else if (list.name.length > 255) errors.push('Name is too long (maximum is 255 characters)');
  if (project.userLists.some((l) => l.name === list.name && l.id !== list.id))
    errors.push('Name has already been taken');
  if (!validUserXids(list.userXids)) errors.push(`User xids ${xidsMessage('user_xids')}`);
  return errors;
}

export function findUserListById(
  state: SimState,
  id: number,
): { project: SimProject; list: SimUserList } | undefined {
  for (const project of state.projects) {
    const list = project.userLists.find((l) => l.id === id);
    if (list) return { project, list };
  }
  return undefined;
}

export function userListEntityBasic(list: SimUserList): Record<string, unknown> {
  return { id: list.id, iid: list.iid, name: list.name, user_xids: list.userXids };
}

export function featureFlagEntity(project: SimProject, flag: SimFeatureFlag): Record<string, unknown> {
  return {
    name: flag.name,
    description: flag.description,
    active: flag.active,
    version: flag.version,
    created_at: flag.createdAt,
    updated_at: flag.updatedAt,
    scopes: [],
    strategies: flag.strategies.map((s) => {
      const list = s.userListId === null ? undefined : project.userLists.find((l) => l.id === s.userListId);
      return {
        id: s.id,
        name: s.name,
        parameters: s.parameters,
        scopes: s.scopes.map((scope) => ({ id: scope.id, environment_scope: scope.environmentScope })),
        user_list: list ? userListEntityBasic(list) : null,
      };
    }),
  };
}

export function userListEntity(
  baseUrl: string,
  project: SimProject,
  list: SimUserList,
): Record<string, unknown> {
  const path = `/${project.path}/-/feature_flags_user_lists/${list.iid}`;
  return {
    ...userListEntityBasic(list),
    project_id: project.id,
    created_at: list.createdAt,
    updated_at: list.updatedAt,
    path,
    edit_path: `${path}/edit`,
  };
}

export function cloneFlag(flag: SimFeatureFlag): SimFeatureFlag {
  return JSON.parse(JSON.stringify(flag)) as SimFeatureFlag;
}
