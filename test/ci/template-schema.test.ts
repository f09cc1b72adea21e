/**
 * The CI templates against GitLab's own CI schema (draft-07, loaded as-is) and GitLab's component rules: layout,
 * inputs that exist and are used, job names unique per include, no global keywords, and the example pipeline.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  EXAMPLE_PIPELINE,
  GITLAB_CI_SCHEMA,
  inputVariants,
  interpolate,
  interpolations,
  listTemplates,
  ROOT,
  type Template,
} from './templates.js';

/** A job or config as parsed YAML: the tests read arbitrary keys of it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Job = Record<string, any>;

const schema = JSON.parse(readFileSync(GITLAB_CI_SCHEMA, 'utf8')) as {
  $id: string;
  properties: { spec?: unknown };
};
// formats (uri…) are not checked: GitLab's own validation of them differs from ajv-formats anyway
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const validateCi = ajv.compile(schema);
const validateSpec = schema.properties.spec
  ? ajv.compile({ $ref: `${schema.$id}#/properties/spec` })
  : undefined;
const templates = listTemplates();
const byName = new Map(templates.map((t) => [t.name, t]));
const VERSION = (JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { version: string }).version;

/** Inputs that have no default, with a plausible value each. */
const REQUIRED = {
  flagops: {},
  pipeline: {},
  hygiene: {},
  apply: { environment: 'production', deployment_tier: 'production' },
  pages: {},
} as Record<string, Record<string, unknown>> & { apply: Record<string, unknown> };

function errorsOf(validate: ValidateFunction, data: unknown): string {
  return validate(data) ? '' : ajv.errorsText(validate.errors, { separator: '\n' });
}

/** What GitLab validates: the configuration after its inputs are interpolated. */
function expectValid(template: Template, inputs: Record<string, unknown>): Record<string, unknown> {
  const config = interpolate(template, inputs);
  expect(errorsOf(validateCi, config), `${template.path} with ${JSON.stringify(inputs)}`).toBe('');
  return config;
}

const GLOBAL_KEYWORDS = [
  'default',
  'include',
  'stages',
  'variables',
  'workflow',
  'image',
  'services',
  'cache',
  'before_script',
  'after_script',
];

describe('CI templates', () => {
  it('are GitLab components: templates/<name>.yml, the components flagops, apply, hygiene, pages and pipeline', () => {
    expect(templates.map((t) => t.path).sort()).toEqual(['templates/apply.yml', 'templates/flagops.yml', 'templates/hygiene.yml', 'templates/pages.yml', 'templates/pipeline.yml']);
    for (const t of templates) expect(t.name).toMatch(/^[a-z0-9][a-z0-9-]*$/);
  });

  it.each(templates.map((t) => [t.path, t] as const))(
    '%s: the spec header validates against the schema',
    (_, t) => {
      expect(errorsOf(validateCi, t.header)).toBe('');
      if (validateSpec) expect(errorsOf(validateSpec, t.header.spec)).toBe('');
      for (const [name, input] of Object.entries(t.header.spec.inputs)) {
        expect(input.description, `${t.path}: input ${name} has a description`).toBeTruthy();
      }
    },
  );

  it.each(templates.map((t) => [t.path, t] as const))(
    '%s: validates against the schema with every option of every input',
    (_, t) => {
      for (const inputs of inputVariants(t, REQUIRED[t.name] ?? {})) expectValid(t, inputs);
      expectValid(t, {
        ...REQUIRED[t.name],
        command: 'node /opt/flagops/bin/flagops.cjs',
        image: 'registry.example.com/node:22',
        stage: 'flags',
      });
    },
  );

  it.each(templates.map((t) => [t.path, t] as const))(
    '%s: uses each input it declares, and only those, without functions',
    (_, t) => {
      const used = interpolations(t);
      for (const expr of used) expect(expr, `${t.path}: $[[ ${expr} ]]`).toMatch(/^inputs\.[\w-]+$/);
      const names = new Set(used.map((e) => e.slice('inputs.'.length)));
      expect([...names].sort()).toEqual(Object.keys(t.header.spec.inputs).sort());
    },
  );

  it.each(templates.map((t) => [t.path, t] as const))(
    '%s: jobs only, named from inputs, runs the pinned flagops version',
    (_, t) => {
      const keys = Object.keys(t.body);
      expect(keys.filter((k) => GLOBAL_KEYWORDS.includes(k))).toEqual([]);
      for (const key of keys) expect(key).toMatch(/^\$\[\[ inputs\.job_prefix \]\]-/);
      expect(t.header.spec.inputs.command?.default).toBe(`npx --yes flagops@${VERSION}`);
    },
  );

  it('merge-request jobs: validate writes Code Quality and JUnit reports, check posts the note; no environment', () => {
    const config = expectValid(byName.get('flagops')!, {});
    expect(Object.keys(config)).toEqual(['flagops-validate', 'flagops-check']);
    const validate = config['flagops-validate'] as Job;
    expect(validate.script.join('\n')).toContain(
      '--report codequality=gl-code-quality-report.json --report junit=flagops-junit.xml',
    );
    expect(validate.artifacts).toMatchObject({
      when: 'always',
      reports: { codequality: 'gl-code-quality-report.json', junit: 'flagops-junit.xml' },
    });
    const check = config['flagops-check'] as Job;
    expect(check.script.join('\n')).toMatch(/ check .*--note$/);
    expect(check.variables.GIT_DEPTH).toBe('0');
    for (const job of [validate, check]) {
      expect(job.rules).toEqual([{ if: '$CI_PIPELINE_SOURCE == "merge_request_event"' }]);
      expect(job.environment).toBeUndefined();
    }
  });

  it('apply job: one per environment, environment without a second deployment record, resource group, needs', () => {
    const t = byName.get('apply')!;
    const staging = expectValid(t, {
      environment: 'staging',
      deployment_tier: 'staging',
      needs: ['flagops-apply-dev'],
    });
    const job = staging['flagops-apply-staging'] as Job;
    expect(job).toMatchObject({
      needs: ['flagops-apply-dev'],
      resource_group: 'flagops-staging',
      environment: { name: 'staging', action: 'prepare', deployment_tier: 'staging' },
      interruptible: false,
      variables: { GIT_DEPTH: '0' },
    });
    expect(job.script.join('\n')).toContain('apply --config "flagops.yml" --env "staging"');
    // schedules apply what became ready and do not fail for what is still pending; other branches never apply
    expect(job.rules).toEqual([
      { if: '$CI_PIPELINE_SOURCE == "schedule" && "true" != "true"', when: 'never' },
      {
        if: '$CI_PIPELINE_SOURCE == "schedule" && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH',
        variables: { FLAGOPS_PENDING_OPTION: '--allow-pending' },
        when: 'on_success',
      },
      { if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH', when: 'on_success' },
    ]);
    const manual = expectValid(t, {
      environment: 'production',
      deployment_tier: 'production',
      when: 'manual',
      schedule: false,
    });
    const rules = (manual['flagops-apply-production'] as Job).rules;
    expect(rules[0].if).toContain('"false" != "true"');
    expect(rules.slice(1).map((r: { when: string }) => r.when)).toEqual(['manual', 'manual']);
  });

  it('verify job: after its apply job, with its report, the environment (action verify) and resource group; off unless asked', () => {
    const t = byName.get('apply')!;
    const off = expectValid(t, { environment: 'staging', deployment_tier: 'staging' })['flagops-verify-staging'] as Job;
    expect(off.rules[0]).toEqual({ if: '"false" != "true"', when: 'never' });
    const on = expectValid(t, { environment: 'staging', deployment_tier: 'staging', verify: true, verify_timeout: '2h' })['flagops-verify-staging'] as Job;
    expect(on).toMatchObject({
      needs: ['flagops-apply-staging'],
      resource_group: 'flagops-staging',
      environment: { name: 'staging', action: 'verify' },
      timeout: '2h',
      interruptible: false,
      artifacts: { when: 'always', paths: ['flagops-verify-staging.json'] },
    });
    expect(on.rules).toEqual([
      { if: '"true" != "true"', when: 'never' },
      { if: '$CI_PIPELINE_SOURCE == "schedule" && "true" != "true"', when: 'never' },
      { if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH' },
    ]);
    expect(on.script.join('\n')).toContain('verify --config "flagops.yml" --env "staging" --apply-report flagops-apply-staging.json --report json=flagops-verify-staging.json');
    expect(() => interpolate(t, { environment: 'staging', deployment_tier: 'staging', verify_timeout: 'soon' })).toThrow(/does not match/);
  });

  it('pipeline component: a job writes the child pipeline, a trigger job runs that artifact; default branch and schedules', () => {
    const t = byName.get('pipeline')!;
    const config = expectValid(t, { manual_tiers: 'production,staging', tiers: 'eu=production', apply_options: '--concurrency 4' });
    expect(Object.keys(config)).toEqual(['flagops-pipeline', 'flagops-apply']);
    const generate = config['flagops-pipeline'] as Job;
    const script = generate.script.join('\n');
    expect(script).toContain(`npx --yes flagops@${VERSION} pipeline --config "flagops.yml" --output flagops-pipeline.yml`);
    expect(script).toContain('--manual "production,staging" --tier "eu=production"');
    expect(script).toContain('"--apply-options=--concurrency 4"');
    expect(script).toContain('--fast-lane "false"');
    expect(generate).toMatchObject({ needs: [], variables: { GIT_DEPTH: '0' }, artifacts: { paths: ['flagops-pipeline.yml', 'flagops-fast-lane-*.json'] } });
    expect((expectValid(t, { fast_lane: true })['flagops-pipeline'] as Job).script.join('\n')).toContain('--fast-lane "true"');
    expect(generate.environment).toBeUndefined(); // no environment token reaches the generator
    const trigger = config['flagops-apply'] as Job;
    expect(trigger).toMatchObject({
      needs: ['flagops-pipeline'],
      trigger: { include: [{ artifact: 'flagops-pipeline.yml', job: 'flagops-pipeline' }], strategy: 'depend' },
    });
    expect(trigger.script).toBeUndefined();
    for (const job of [generate, trigger]) {
      expect(job.rules).toEqual([
        { if: '$CI_PIPELINE_SOURCE == "schedule" && "true" != "true"', when: 'never' },
        { if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH' },
      ]);
    }
    expect(() => interpolate(t, { manual_tiers: 'prod' })).toThrow(/does not match/);
  });

  it('hygiene job: scheduled pipelines of the default branch only; the issues input picks --open-issues, --dry-run or a report', () => {
    const t = byName.get('hygiene')!;
    const config = expectValid(t, { fail_on: 'lifespan,off' });
    expect(Object.keys(config)).toEqual(['flagops-hygiene']);
    const job = config['flagops-hygiene'] as Job;
    const schedule = '$CI_PIPELINE_SOURCE == "schedule" && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH';
    expect(job.rules).toEqual([
      { if: `${schedule} && "open" == "open"`, variables: { FLAGOPS_ISSUES_OPTIONS: '--open-issues' } },
      { if: `${schedule} && "open" == "dry-run"`, variables: { FLAGOPS_ISSUES_OPTIONS: '--open-issues --dry-run' } },
      { if: schedule },
    ]);
    expect(job.script.join('\n')).toContain(
      `npx --yes flagops@${VERSION} hygiene --config "flagops.yml" --report json=flagops-hygiene.json --report markdown=flagops-hygiene.md $FLAGOPS_ISSUES_OPTIONS`,
    );
    expect(job.variables).toEqual({ GIT_DEPTH: '0', FLAGOPS_FAIL_ON: 'lifespan,off' });
    expect(job.artifacts).toMatchObject({ when: 'always', paths: ['flagops-hygiene.json', 'flagops-hygiene.md'] });
    expect(job.environment).toBeUndefined(); // no environment token
    const dry = expectValid(t, { issues: 'dry-run' })['flagops-hygiene'] as Job;
    expect(dry.rules[1].if).toContain('"dry-run" == "dry-run"');
    expect(() => interpolate(t, { issues: 'yes' })).toThrow(/not one of the options/);
    expect(() => interpolate(t, { fail_on: 'any; rm -rf /' })).toThrow(/does not match/);
  });

  it('pages component: the dashboard built on the default branch and published from public with the pages keyword', () => {
    const t = byName.get('pages')!;
    const needs = [{ job: 'flagops-status-production', optional: true }];
    const config = expectValid(t, { needs, days: '30', report_options: '--quiet' });
    expect(Object.keys(config)).toEqual(['flagops-pages']);
    const job = config['flagops-pages'] as Job;
    expect(job.script).toEqual([
      `npx --yes flagops@${VERSION} report --config "flagops.yml" --html public --days 30 --report json=public/flagops-report.json --quiet`,
    ]);
    expect(job).toMatchObject({ stage: 'deploy', needs, pages: { publish: 'public' }, artifacts: { paths: ['public'] }, variables: { GIT_DEPTH: '0' } });
    // holds no environment token: live state only from the snapshots of the jobs it needs
    expect(job.environment).toBeUndefined();
    expect(job.rules).toEqual([
      { if: '$CI_PIPELINE_SOURCE == "schedule" && "true" != "true"', when: 'never' },
      { if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH' },
    ]);
    expect((expectValid(t, { schedule: false })['flagops-pages'] as Job).rules[0].if).toContain('"false" != "true"');
    // GitLab's schema knows the keyword: a wrong shape is refused
    expect(errorsOf(validateCi, { 'flagops-pages': { ...job, pages: { publish: ['public'] } } })).not.toBe('');
    expect(() => interpolate(t, { days: '0' })).toThrow(/does not match/);
  });

  it('the schema is effective: a broken job is refused', () => {
    const config = interpolate(byName.get('apply')!, REQUIRED.apply);
    const job = config['flagops-apply-production'] as Job;
    expect(
      errorsOf(validateCi, {
        ...config,
        'flagops-apply-production': { ...job, environment: { ...job.environment, action: 'deploy' } },
      }),
    ).toMatch(/action/);
    expect(
      errorsOf(validateCi, { ...config, 'flagops-apply-production': { ...job, needs: 'flagops-apply-dev' } }),
    ).not.toBe('');
    expect(errorsOf(validateCi, { spec: { inputs: { x: { type: 'text' } } } })).not.toBe('');
  });

  it('inputs are checked as GitLab checks them', () => {
    const t = byName.get('apply')!;
    expect(() => interpolate(t, { deployment_tier: 'production' })).toThrow(/environment.*required/);
    expect(() => interpolate(t, { ...REQUIRED.apply, enviroment: 'x' })).toThrow(
      /unknown input arguments: enviroment/,
    );
    expect(() => interpolate(t, { ...REQUIRED.apply, when: 'always' })).toThrow(/not one of the options/);
    expect(() => interpolate(t, { ...REQUIRED.apply, environment: 'Prod env' })).toThrow(/does not match/);
    expect(() => interpolate(t, { ...REQUIRED.apply, needs: 'flagops-apply-dev' })).toThrow(/not a array/);
  });

  it('including apply once per environment gives distinct jobs and resource groups', () => {
    const t = byName.get('apply')!;
    const jobs = ['dev', 'staging', 'production'].map((environment) =>
      interpolate(t, { environment, deployment_tier: 'other' }),
    );
    const names = jobs.flatMap((j) => Object.keys(j));
    // an apply job, its verify job and a scheduled status job per environment
    expect(names).toEqual(['dev', 'staging', 'production'].flatMap((e) => [`flagops-apply-${e}`, `flagops-verify-${e}`, `flagops-status-${e}`]));
    expect(
      new Set(jobs.map((j) => (Object.values(j)[0] as { resource_group: string }).resource_group)).size,
    ).toBe(3);
  });
});

describe('ci/example.gitlab-ci.yml', () => {
  const example = parse(readFileSync(EXAMPLE_PIPELINE, 'utf8')) as {
    include: { component: string; inputs?: Record<string, unknown> }[];
    stages: string[];
  };

  it('validates against the schema as written', () => {
    expect(errorsOf(validateCi, example)).toBe('');
  });

  it('includes existing components of this version with inputs they accept; the whole pipeline validates', () => {
    const merged: Job = { stages: example.stages };
    for (const include of example.include) {
      const m = /^\$CI_SERVER_FQDN\/[\w./-]+\/([a-z0-9-]+)@(.+)$/.exec(include.component);
      expect(m, include.component).not.toBeNull();
      expect(m![2]).toBe(VERSION);
      const template = byName.get(m![1]!);
      expect(template, include.component).toBeDefined();
      Object.assign(merged, expectValid(template!, include.inputs ?? {}));
    }
    expect(errorsOf(validateCi, merged)).toBe('');
    const jobs = Object.entries(merged).filter(([k]) => k !== 'stages');
    for (const [name, job] of jobs) {
      expect(merged.stages, `${name}: its stage exists`).toContain(job.stage);
      for (const need of job.needs as string[])
        expect(merged, `${name} needs ${need}`).toHaveProperty([need]);
    }
    // promotion order: each environment waits for the previous one; production is manual
    expect(merged['flagops-apply-dev'].needs).toEqual([]);
    expect(merged['flagops-apply-staging'].needs).toEqual(['flagops-apply-dev']);
    expect(merged['flagops-apply-production'].needs).toEqual(['flagops-apply-staging']);
    expect(merged['flagops-apply-production'].rules.at(-1).when).toBe('manual');
  });
});
