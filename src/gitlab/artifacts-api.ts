/**
 * One file of a job's artifacts by branch and job name (`GET /projects/:id/jobs/artifacts/:ref_name/raw/*artifact_path
 * ?job=name`, GitLab's Job Artifacts API, "Download a single artifact file from specific tag or branch"): from the
 * latest successful pipeline of the ref; 404 when there is none, when it has no such job with artifacts, or when the
 * file is not in them. Used for JSON files only (the live snapshots), so the transport's JSON parsing applies.
 */
import { orNull, type Op } from './api-context.js';
import type { GitlabPort } from './port.js';
import type { Transport } from './transport.js';
import { RefusedInput, checkQueryText, encodeRef } from './url-safety.js';

type ArtifactsPort = Pick<GitlabPort, 'jobArtifactJson'>;

const REF = /^[A-Za-z0-9._/-]{1,255}$/;
const ARTIFACT_PATH = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

export function createArtifactsApi(transport: Transport, op: Op): ArtifactsPort {
  return {
    jobArtifactJson: (project, input) =>
      op('GET', 'projects/:id/jobs/artifacts/:ref_name/raw/*artifact_path', async () => {
        if (!REF.test(input.ref) || input.ref.includes('..')) throw new RefusedInput(`ref ${JSON.stringify(input.ref.slice(0, 80))} is not a branch name`);
        if (!ARTIFACT_PATH.test(input.path) || input.path.split('/').some((s) => s === '..' || s === '.')) {
          throw new RefusedInput(`artifact path ${JSON.stringify(input.path.slice(0, 80))} is not a relative file path`);
        }
        checkQueryText(input.job, 'job name');
        const path = `projects/${encodeRef(project)}/jobs/artifacts/${encodeURIComponent(input.ref)}/raw/${input.path.split('/').map(encodeURIComponent).join('/')}`;
        return orNull(async () => (await transport.request({ method: 'GET', path, query: { job: input.job }, scope: 'read_api' })).body);
      }),
  };
}
