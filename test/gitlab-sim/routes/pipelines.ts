/**
 * Pipelines created through the API and read back (lib/api/ci/pipelines.rb): `POST /projects/:id/pipeline` (`ref`
 * required; `variables` an Array of `{key, value, variable_type}` — `create_pipeline_params` in
 * lib/api/ci/helpers/pipelines_helpers.rb; `authorize! :create_pipeline`, so a read_api token is refused; a ref the
 * repository lacks is a validation error `{"message": {"base": ["Reference not found"]}}`, Gitlab::Ci::Pipeline::Chain::
 * Validate::Repository), `GET /projects/:id/pipelines/:pipeline_id` (Entities::Ci::PipelineWithMetadata) and
 * `GET /projects/:id/pipelines/:pipeline_id/variables` (Entities::Ci::Variable). A created pipeline starts `created`
 * (Ci::Pipeline's state machine); the test decides what it becomes: `sim.answerPipelines(project, statuses)` gives the
 * statuses it takes, one per read (the downstream pipeline's result is the simulator's answer).
 */
import { apiError, notFound, optString, paramError, requireKeys, type Params } from '../http.js';
import { allocId } from '../model.js';
import type { Route } from '../router.js';
import type { SimPipeline, SimProject } from '../types.js';
import { entityContext, ok, projectOf } from './common.js';
import { userById, type EntityContext } from '../entities.js';

function pipelineEntity(e: EntityContext, project: SimProject, p: SimPipeline): Record<string, unknown> {
  return {
    id: p.id,
    iid: p.id,
    project_id: project.id,
    sha: p.sha,
    ref: p.ref,
    status: p.status,
    source: p.source ?? 'push',
    created_at: p.createdAt ?? null,
    updated_at: p.updatedAt ?? null,
    web_url: `${e.baseUrl}/${project.path}/-/pipelines/${p.id}`,
    user: userById(e, p.userId ?? null),
    tag: false,
    yaml_errors: null,
  };
}

function variablesOf(input: Params): NonNullable<SimPipeline['variables']> {
  const raw = input['variables'];
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw paramError('variables is invalid');
  return raw.map((v: unknown, i) => {
    if (typeof v !== 'object' || v === null) throw paramError('variables is invalid');
    const o = v as Params;
    const missing = ['key', 'value'].filter((k) => o[k] === undefined || o[k] === null);
    if (missing.length > 0) throw paramError(missing.map((k) => `variables[${i}][${k}] is missing`).join(', '));
    const type = optString(o, 'variable_type') ?? 'env_var';
    if (type !== 'env_var' && type !== 'file') throw paramError(`variables[${i}][variable_type] does not have a valid value`);
    return { key: String(o['key']), value: String(o['value']), variable_type: type };
  });
}

function pipelineOf(project: SimProject, raw: string | undefined): SimPipeline {
  const p = /^\d+$/.test(raw ?? '') ? project.pipelines.find((x) => x.id === Number(raw)) : undefined;
  if (!p) throw notFound();
  return p;
}

export const pipelineRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/projects/:id/pipeline',
    handler: (ctx) => {
      const project = projectOf(ctx);
      requireKeys(ctx.input, ['ref']);
      const ref = optString(ctx.input, 'ref') ?? '';
      const variables = variablesOf(ctx.input);
      // a branch or a tag: a pipeline runs on a ref, not on a bare commit
      const sha = project.branches[ref] ?? project.tags[ref];
      if (!sha) throw apiError(400, { base: ['Reference not found'] });
      const at = ctx.now().toISOString();
      const script = [...(project.pipelineAnswers ?? [])];
      const pipeline: SimPipeline = {
        id: allocId(ctx.state, 'pipeline'),
        ref,
        sha,
        status: 'created',
        source: 'api',
        userId: ctx.user.id,
        variables,
        script,
        createdAt: at,
        updatedAt: at,
        jobs: [],
      };
      project.pipelines.push(pipeline);
      return { status: 201, body: pipelineEntity(entityContext(ctx), project, pipeline) };
    },
  },
  {
    method: 'GET',
    pattern: '/projects/:id/pipelines/:pipeline_id',
    handler: (ctx) => {
      const project = projectOf(ctx);
      const pipeline = pipelineOf(project, ctx.params.pipeline_id);
      const next = pipeline.script?.shift();
      if (next && next !== pipeline.status) Object.assign(pipeline, { status: next, updatedAt: ctx.now().toISOString() });
      return ok(pipelineEntity(entityContext(ctx), project, pipeline));
    },
  },
  {
    method: 'GET',
    pattern: '/projects/:id/pipelines/:pipeline_id/variables',
    handler: (ctx) => ok((pipelineOf(projectOf(ctx), ctx.params.pipeline_id).variables ?? []).map((v) => ({ ...v }))),
  },
];
