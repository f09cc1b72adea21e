/**
 * Reads and validates flagops.yml (DESIGN §2) into a resolved `FlagopsConfig`.
 * Problems come back as findings (file:line:column); the CLI turns them into exit code 2.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { validateAll as validateConfig } from '../generated/validate-config-all.js';
import configSchema from '../../schemas/config.schema.json' with { type: 'json' };
import type { FlagopsConfig as FlagopsConfigFile } from '../generated/config-file.js';
import type { Finding } from '../model/finding.js';
import { schemaFindings } from '../rules/schema-findings.js';
import { parseDuration } from '../util/duration.js';
import { urlProblem } from '../util/url.js';

/** `max_deletes` when flagops.yml does not say (schemas/config.schema.json). */
export const DEFAULT_MAX_DELETES = 10;
/** `verify.timeout` when flagops.yml does not say. */
export const DEFAULT_VERIFY_TIMEOUT = '30m';
import { createLocator, parseYamlBytes, positionOfPath } from '../yaml/bounded-parse.js';
import type { BackendConfig, EnvironmentConfig, FlagopsConfig, InstanceConfig } from './types.js';

export interface LoadConfigOptions {
  /** Path of flagops.yml (absolute or relative to cwd). */
  file: string;
  cwd?: string;
  /** Environment variables (CI_SERVER_URL, CI_PROJECT_ID); default process.env. */
  env?: Record<string, string | undefined>;
}

export type LoadConfigResult = { ok: true; config: FlagopsConfig; findings: Finding[] } | { ok: false; findings: Finding[] };

export function loadConfig(options: LoadConfigOptions): LoadConfigResult {
  const abs = resolve(options.cwd ?? process.cwd(), options.file);
  const dir = dirname(abs);
  const rel = relative(dir, abs) || abs;
  const problem = (message: string, extra: Partial<Finding> = {}): LoadConfigResult => ({
    ok: false,
    findings: [{ code: 'config', severity: 'error', file: rel, message, ...extra }],
  });
  let bytes: Buffer;
  try {
    if (!statSync(abs).isFile()) return problem(`${options.file} is not a file`);
    bytes = readFileSync(abs);
  } catch {
    return problem(`cannot read ${options.file}: no such file`, {
      hint: 'run flagops in the folder holding flagops.yml, or pass --config FILE',
    });
  }
  return loadConfigBytes(bytes, { abs, env: options.env ?? process.env });
}

/** The same from content (e.g. the config as it is on the target branch), for a config file at `abs`. */
export function loadConfigBytes(bytes: Uint8Array, options: { abs: string; env?: Record<string, string | undefined> }): LoadConfigResult {
  const abs = options.abs;
  const dir = dirname(abs);
  const rel = relative(dir, abs) || abs;
  const problem = (message: string, extra: Partial<Finding> = {}): LoadConfigResult => ({
    ok: false,
    findings: [{ code: 'config', severity: 'error', file: rel, message, ...extra }],
  });
  const parsed = parseYamlBytes(bytes);
  if (!parsed.ok) return problem(parsed.message, { line: parsed.line, column: parsed.column, code: `config/${parsed.problem}` });
  if (!validateConfig(parsed.value)) {
    const findings = schemaFindings(validateConfig.errors ?? [], { file: rel, locate: createLocator(parsed.text), data: parsed.value, schema: configSchema }).map(
      (f) => ({ ...f, code: f.code.replace(/^schema/, 'config') }),
    );
    return { ok: false, findings };
  }
  return resolveConfig(parsed.value as FlagopsConfigFile, { abs, dir, rel, text: parsed.text, env: options.env ?? process.env });
}

function resolveConfig(
  raw: FlagopsConfigFile,
  ctx: { abs: string; dir: string; rel: string; text: string; env: Record<string, string | undefined> },
): LoadConfigResult {
  const findings: Finding[] = [];
  const at = (path: (string | number)[], message: string, hint?: string): void => {
    findings.push({ code: 'config', severity: 'error', file: ctx.rel, ...positionOfPath(ctx.text, path), message, ...(hint ? { hint } : {}) });
  };
  const flagsRaw = raw.flags === undefined ? ['flags'] : Array.isArray(raw.flags) ? raw.flags : [raw.flags];
  const flagDirs = flagsRaw.map((f) => resolve(ctx.dir, f));
  flagsRaw.forEach((f, i) => {
    if (isAbsolute(f) || relative(ctx.dir, resolve(ctx.dir, f)).startsWith('..')) {
      at(Array.isArray(raw.flags) ? ['flags', i] : ['flags'], `flags folder '${f}' is outside the config's folder`);
    }
  });

  const locateConfig = createLocator(ctx.text);
  const names = new Map<string, number>();
  const environments: EnvironmentConfig[] = raw.environments.map((e, index) => {
    if (names.has(e.name)) at(['environments', index, 'name'], `environment '${e.name}' is defined twice`);
    names.set(e.name, index);
    if ((e.backend === undefined) === (e.instances === undefined)) {
      at(['environments', index], `environment '${e.name}' needs exactly one of 'backend' (one instance) or 'instances' (a ring)`);
    }
    const instanceNames = new Set<string>();
    const instances: InstanceConfig[] = (e.instances ?? (e.backend ? [{ name: e.name, backend: e.backend }] : [])).map((raw, i) => {
      const where: (string | number)[] = e.instances ? ['environments', index, 'instances', i] : ['environments', index];
      if (instanceNames.has(raw.name)) at([...where, 'name'], `environment '${e.name}': instance '${raw.name}' is defined twice`);
      instanceNames.add(raw.name);
      const backend = resolveBackend(raw.backend as BackendConfig, ctx.dir);
      const label = e.instances ? `environment '${e.name}' instance '${raw.name}'` : `environment '${e.name}'`;
      if (backend.type !== 'file') {
        const p = urlProblem(backend.url);
        if (p) at([...where, 'backend', 'url'], `${label}: ${p}`);
      } else if (relative(ctx.dir, backend.path).startsWith('..')) {
        at([...where, 'backend', 'path'], `${label}: state file is outside the config's folder`);
      }
      return { name: raw.name, backend };
    });
    // a plain environment keeps its backend; a ring has none of its own (each instance has one)
    const backend = e.instances ? undefined : (instances[0]?.backend ?? ({ type: 'file', path: resolve(ctx.dir, '.flagops/state', `${e.name}.json`), root: ctx.dir } as BackendConfig));
    const previous = index > 0 ? raw.environments[index - 1]!.name : null;
    const env: EnvironmentConfig = {
      name: e.name,
      index,
      ...(backend ? { backend } : {}),
      instances,
      ring: e.instances !== undefined,
      after: e.after === undefined ? previous : e.after,
      drift: e.drift ?? 'fail',
      locate: (path) => locateConfig(['environments', index, ...path]),
    };
    if (e.soak !== undefined) {
      env.soak = e.soak;
      env.soakMs = parseDuration(e.soak);
    }
    if (e.max_step !== undefined) env.maxStep = e.max_step;
    if (e.deployment) env.deployment = { environment: e.deployment.environment, ...(e.deployment.project ? { project: e.deployment.project } : {}) };
    if (e.change_management) {
      env.changeManagement = {
        project: e.change_management.project,
        required: e.change_management.required ?? 'rollout',
        labels: e.change_management.labels ?? [],
      };
    }
    if (e.freeze) env.freeze = { project: e.freeze.project };
    if (e.production_check) env.productionCheck = { project: e.production_check.project };
    if (e.log) env.log = { project: e.log.project };
    if (e.verify) {
      const timeout = e.verify.timeout ?? DEFAULT_VERIFY_TIMEOUT;
      env.verify = {
        project: e.verify.project,
        ref: e.verify.ref ?? 'main',
        ...(e.verify.token_env ? { tokenEnv: e.verify.token_env } : {}),
        timeout,
        timeoutMs: parseDuration(timeout) ?? 0,
      };
      if (!env.verify.timeoutMs) at(['environments', index, 'verify', 'timeout'], `environment '${e.name}': verify timeout must be longer than 0`);
      if (typeof e.verify.project === 'string' && !/^[A-Za-z0-9_][A-Za-z0-9_.-]*(\/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$/.test(e.verify.project)) {
        at(['environments', index, 'verify', 'project'], `environment '${e.name}': verify project '${e.verify.project}' is not a GitLab path like group/e2e-tests`);
      }
    }
    return env;
  });
  environments.forEach((env, index) => {
    if (env.after === null) {
      if (env.soak) at(['environments', index, 'soak'], `environment '${env.name}' has soak but no 'after' environment`);
      return;
    }
    const afterIndex = names.get(env.after);
    if (afterIndex === undefined) {
      at(['environments', index, 'after'], `environment '${env.name}': after '${env.after}' is not a configured environment`);
    } else if (afterIndex >= index) {
      at(['environments', index, 'after'], `environment '${env.name}': after '${env.after}' must come earlier in promotion order`);
    }
  });

  const url = raw.gitlab?.url ?? ctx.env.CI_SERVER_URL;
  if (raw.gitlab?.url) {
    const p = urlProblem(raw.gitlab.url);
    if (p) at(['gitlab', 'url'], `gitlab.url: ${p}`);
  }
  const needsGitlab = environments.filter((e) => e.deployment || e.changeManagement || e.freeze || e.productionCheck || e.log || e.verify);
  if (!raw.gitlab && needsGitlab.length > 0) {
    const env = needsGitlab[0]!;
    at(['environments', env.index], `environment '${env.name}' configures a GitLab gate (deployment, change_management, freeze, production_check, log or verify) but there is no 'gitlab' section`,
      'add gitlab: { url: https://gitlab.example.com, token_env: FLAGOPS_GITLAB_TOKEN }');
  }
  if (!raw.gitlab) {
    // soak counts from recorded applies: without the flag repository's deployment records, only the file backend
    // keeps its own (DESIGN §4 soak)
    for (const env of environments) {
      const after = environments.find((e) => e.name === env.after);
      const unrecorded = after?.instances.find((i) => i.backend.type !== 'file');
      if (!env.soakMs || !after || !unrecorded) continue;
      at(['environments', env.index, 'soak'],
        `environment '${env.name}': soak counts from when ${after.name} was applied, and without a 'gitlab' section nothing records that for its ${after.ring ? `instance ${unrecorded.name}'s ` : ''}${unrecorded.backend.type} backend`,
        'add a gitlab section (apply records each applied commit as a deployment of the flag repository), or remove soak');
    }
  }
  if (findings.length > 0) return { ok: false, findings };
  const project = raw.gitlab?.project ?? ctx.env.CI_PROJECT_ID;
  const config: FlagopsConfig = {
    file: ctx.abs,
    dir: ctx.dir,
    flagDirs,
    layout: raw.layout ?? 'flat',
    prune: raw.prune ?? false,
    maxDeletes: raw.max_deletes ?? DEFAULT_MAX_DELETES,
    environments,
    ...(raw.hygiene ? { hygiene: raw.hygiene } : {}),
    ...(raw.gitlab
      ? { gitlab: { tokenEnv: raw.gitlab.token_env ?? 'FLAGOPS_GITLAB_TOKEN', ...(url ? { url: url.replace(/\/+$/, '') } : {}), ...(project !== undefined && project !== '' ? { project } : {}) } }
      : {}),
  };
  return { ok: true, config, findings: [] };
}

function resolveBackend(backend: BackendConfig, dir: string): BackendConfig {
  if (backend.type === 'file') return { type: 'file', path: resolve(dir, backend.path), root: dir };
  return { ...backend, url: backend.url.replace(/\/+$/, '') };
}
