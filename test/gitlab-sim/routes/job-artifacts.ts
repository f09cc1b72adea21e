/**
 * One artifact file by branch and job name, as GitLab serves it:
 * `GET /projects/:id/jobs/artifacts/:ref_name/raw/*artifact_path?job=name` (lib/api/ci/job_artifacts.rb) resolves
 * `user_project.latest_successful_build_for_ref!(params[:job], params[:ref_name])` (app/models/project.rb): the
 * latest *successful pipeline* of the ref, then in it the latest job of that name with downloadable artifacts —
 * so a later successful pipeline without that job answers 404 (docs: Job Artifacts API, "Download a single artifact
 * file from specific tag or branch"; gitlab-org/gitlab#349316). No such pipeline, job or file: `404 Not found`.
 */
import { apiError, optString, paramError } from '../http.js';
import type { Route } from '../router.js';
import { projectOf } from './common.js';

export const jobArtifactRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/projects/:id/jobs/artifacts/:ref_name/raw/*artifact_path',
    handler: (ctx) => {
      const project = projectOf(ctx);
      const job = optString(ctx.input, 'job');
      if (!job) throw paramError('job is missing');
      const pipeline = project.pipelines.filter((p) => p.ref === ctx.params.ref_name && p.status === 'success').at(-1);
      const build = pipeline?.jobs.filter((j) => j.name === job && j.status === 'success' && Object.keys(j.artifacts).length > 0).at(-1);
      const file = build?.artifacts[ctx.params.artifact_path ?? ''];
      if (file === undefined) throw apiError(404, '404 Not found');
      return { status: 200, body: file, headers: { 'Content-Type': ctx.params.artifact_path!.endsWith('.json') ? 'application/json' : 'application/octet-stream' } };
    },
  },
];
