/**
 * A saved plan (`flagops plan --format json --output FILE`), checked when `apply --plan` reads it: the shape that
 * command writes, every state valid as a flag file's state (null: none), every name a flag name. Pure: returns the first problem, or undefined.
 */
import { validateAll } from '../generated/validate-flag-all.js';
import { PLAN_VERSION } from './build-plan.js';

const FLAG_NAME = /^[a-z0-9]+(_[a-z0-9]+)*$/;

const ACTIONS = new Set(['set', 'delete', 'create', 'update']);

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function stateOk(state: unknown): boolean {
  // the JSON report writes an absent state as null
  if (state === undefined || state === null) return true;
  if (validateAll({ environments: { s: state } })) return true;
  return !(validateAll.errors ?? []).some((e) => e.instancePath === '/environments/s' || e.instancePath.startsWith('/environments/s/'));
}

export function planFileProblem(plan: unknown): string | undefined {
  if (!isMap(plan)) return 'the top level is not an object';
  if (plan.planVersion !== PLAN_VERSION) return `planVersion is ${JSON.stringify(plan.planVersion)}, not ${PLAN_VERSION}`;
  if (plan.createdAt !== undefined && typeof plan.createdAt !== 'string') return 'createdAt is not a string';
  if (plan.commit !== undefined && typeof plan.commit !== 'string') return 'commit is not a string';
  if (!Array.isArray(plan.environments)) return 'environments is not a list';
  for (const [i, env] of plan.environments.entries()) {
    const at = `environments[${i}]`;
    if (!isMap(env) || typeof env.env !== 'string' || typeof env.backend !== 'string') return `${at} needs env and backend strings`;
    if (!Array.isArray(env.flags) || !Array.isArray(env.findings ?? [])) return `${at}.flags is not a list`;
    for (const [j, flag] of env.flags.entries()) {
      const fat = `${at}.flags[${j}]`;
      if (!isMap(flag) || typeof flag.flag !== 'string' || !FLAG_NAME.test(flag.flag)) return `${fat}.flag is not a flag name`;
      if (typeof flag.status !== 'string') return `${fat}.status is not a string`;
      if (!stateOk(flag.live) || !stateOk(flag.desired)) return `${fat}: live or desired is not a flag state`;
      if (!Array.isArray(flag.reasons) || !flag.reasons.every((r) => typeof r === 'string')) return `${fat}.reasons is not a list of strings`;
      if (!Array.isArray(flag.operations)) return `${fat}.operations is not a list`;
      for (const [k, op] of flag.operations.entries()) {
        const oat = `${fat}.operations[${k}]`;
        if (!isMap(op) || typeof op.describe !== 'string') return `${oat} needs a describe string`;
        if (op.flag !== undefined && op.flag !== flag.flag) return `${oat}.flag is not ${flag.flag}`;
        if (op.action !== undefined && (typeof op.action !== 'string' || !ACTIONS.has(op.action))) return `${oat}.action is not one of ${[...ACTIONS].join(', ')}`;
        if (op.payload !== undefined && !isMap(op.payload)) return `${oat}.payload is not an object`;
      }
    }
  }
  return undefined;
}
