/** `definition`: GitLab's own rules for feature flag definition files, plus flagops' environment names. */
import { urlProblem } from '../util/url.js';
import { reporter, type Rule } from './types.js';

export const NAME_PATTERN = /^[a-z0-9]+(_[a-z0-9]+)*$/;
export const TYPES = ['gitlab_com_derisk', 'wip', 'beta', 'ops', 'experiment', 'worker', 'undefined'] as const;
export const HISTORICAL_TYPES = ['development', 'licensed'] as const;
const DEFAULT_ENABLED_TYPES = new Set(['beta', 'ops', ...HISTORICAL_TYPES]);
const URL_KEYS = ['feature_issue_url', 'introduced_by_url', 'rollout_issue_url'] as const;
/** The hints of type findings, made once (a repository of historical flags has one per file). */
const TYPE_HINT = `one of ${TYPES.join(', ')}`;
const NEW_TYPE_HINT = `new flags use one of ${TYPES.join(', ')}`;

export const definitionRule: Rule = (doc, ctx) => {
  const report = reporter(doc, ctx);
  const out = [];
  const { name, type, milestone } = doc.data;

  if (typeof name !== 'string') {
    if (name !== undefined) out.push(report('definition/name', ['name'], `name must be a string, not ${JSON.stringify(name)}`));
  } else if (!NAME_PATTERN.test(name)) {
    out.push(
      report('definition/name', ['name'], `name '${name}' is not lower-case words joined by single underscores`, {
        hint: `try '${name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '')}'`,
      }),
    );
  } else if (name !== doc.stem) {
    out.push(
      report('definition/file-name', ['name'], `name '${name}' does not match the file name '${doc.stem}'`, {
        hint: `rename the file to ${name}.yml or fix the name`,
      }),
    );
  }

  if (type === undefined) {
    out.push(report('definition/type', [], `type is missing`, { hint: TYPE_HINT }));
  } else if (!ctx.errorsOnly && (HISTORICAL_TYPES as readonly unknown[]).includes(type)) {
    out.push(
      report('definition/deprecated-type', ['type'], `type '${String(type)}' is historical and deprecated`, {
        severity: 'warning',
        hint: NEW_TYPE_HINT,
      }),
    );
  }

  if (ctx.config.layout === 'gitlab' && typeof type === 'string') {
    const parts = doc.file.split('/');
    const folder = parts.at(-2);
    if (folder !== type) {
      out.push(
        report('definition/path', ['type'], `in the gitlab layout the file must be at <flags>/${type}/${doc.stem}.yml, not ${doc.file}`, {
          hint: `move the file into the '${type}' folder, or fix its type`,
        }),
      );
    }
  }

  if (doc.data.default_enabled === true && typeof type === 'string' && !DEFAULT_ENABLED_TYPES.has(type)) {
    out.push(
      report('definition/default-enabled', ['default_enabled'], `default_enabled: true is not allowed for type '${type}'`, {
        hint: 'only beta and ops flags (and the historical development and licensed) may be enabled by default',
      }),
    );
  }

  if (milestone !== undefined && milestone !== null && typeof milestone !== 'string') {
    out.push(
      report('definition/milestone-type', ['milestone'], `milestone must be a string, not the ${typeof milestone} ${String(milestone)}`, {
        hint: `quote it: milestone: '${String(milestone)}'`,
      }),
    );
  }

  for (const key of URL_KEYS) {
    const value = doc.data[key];
    if (typeof value !== 'string' || value === '') continue;
    const problem = urlProblem(value);
    if (problem) out.push(report('definition/url', [key], `${key}: ${problem}`));
  }

  const rolloutBy = doc.data.intended_to_rollout_by;
  if (typeof rolloutBy === 'string' && rolloutBy !== '' && !isDate(rolloutBy)) {
    out.push(report('definition/date', ['intended_to_rollout_by'], `intended_to_rollout_by '${rolloutBy}' is not a date YYYY-MM-DD`));
  }

  const envs = doc.data.environments;
  if (envs && typeof envs === 'object' && !Array.isArray(envs)) {
    for (const env of Object.keys(envs)) {
      if (!ctx.envNames.has(env)) {
        out.push(
          report('definition/environment', ['environments', env], `environment '${env}' is not configured in flagops.yml`, {
            env,
            hint: `configured environments: ${[...ctx.envNames].join(', ')}`,
          }),
        );
      }
    }
  }
  return out;
};

function isDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(text);
}
