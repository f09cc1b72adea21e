import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitlabSim } from './index.js';
import { call, startSim } from './test-helpers.js';

let sim: GitlabSim;
const P = '/projects/group%2Fapp';
const raw = (ref: string, path: string, job: string) => call(sim, `${P}/jobs/artifacts/${ref}/raw/${path}?job=${job}`);

beforeAll(async () => {
  sim = await startSim();
  sim.addPipeline('group/app', { ref: 'main', jobs: [{ name: 'build', artifacts: { 'out/a.json': '{"n":1}' } }, { name: 'lint' }] });
  sim.addPipeline('group/app', { ref: 'main', jobs: [{ name: 'build', artifacts: { 'out/a.json': '{"n":2}' } }] });
  sim.addPipeline('group/app', { ref: 'main', status: 'failed', jobs: [{ name: 'build', artifacts: { 'out/a.json': '{"n":3}' } }] });
  sim.addPipeline('group/app', { ref: 'feature', jobs: [{ name: 'build', artifacts: { 'out/a.json': '{"n":4}' } }] });
});
afterAll(() => sim.close());

describe('GET /projects/:id/jobs/artifacts/:ref_name/raw/*artifact_path?job=', () => {
  it('serves the file of the named job in the latest successful pipeline of the ref', async () => {
    expect(await raw('main', 'out/a.json', 'build')).toMatchObject({ status: 200, body: { n: 2 } });
    expect(await raw('feature', 'out/a.json', 'build')).toMatchObject({ status: 200, body: { n: 4 } });
  });

  it('answers 404 without such a pipeline, job (in that pipeline), artifact or file, 400 without job', async () => {
    for (const [ref, path, job] of [['nope', 'out/a.json', 'build'], ['main', 'out/a.json', 'lint'], ['main', 'out/b.json', 'build']] as const) {
      expect(await raw(ref, path, job)).toMatchObject({ status: 404, body: { message: '404 Not found' } });
    }
    expect((await call(sim, `${P}/jobs/artifacts/main/raw/out/a.json`)).status).toBe(400);
    expect((await call(sim, `${P}/jobs/artifacts/main/raw/out/a.json?job=build`, { token: null })).status).toBe(401);
  });
});
