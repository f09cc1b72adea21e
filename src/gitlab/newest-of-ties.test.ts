import { describe, expect, it } from 'vitest';
import type { Deployment } from './port.js';
import { newestOfTies } from './project-api.js';

const dep = (id: number, times: Partial<Deployment>): Deployment => ({
  id,
  sha: `s${id}`,
  ref: 'main',
  status: 'success',
  environment: 'gprd',
  finishedAt: null,
  createdAt: '2026-01-01T00:00:00Z',
  ...times,
});

describe('newestOfTies (the last of deployments listed by finished_at descending)', () => {
  it('is the first row when it finished alone, whatever the ids after it', () => {
    expect(newestOfTies([dep(3, { updatedAt: '2026-01-02T00:00:00Z' }), dep(9, { updatedAt: '2026-01-01T00:00:00Z' })])?.id).toBe(3);
  });

  it('of rows finished at the same instant (job time, else updated_at), the highest id', () => {
    const t = '2026-01-02T00:00:00Z';
    expect(newestOfTies([dep(4, { updatedAt: t }), dep(6, { updatedAt: t }), dep(5, { updatedAt: t }), dep(8, { updatedAt: '2026-01-01T00:00:00Z' })])?.id).toBe(6);
    expect(newestOfTies([dep(4, { finishedAt: t, updatedAt: 'x' }), dep(7, { finishedAt: t })])?.id).toBe(7);
  });

  it('is null for no rows', () => {
    expect(newestOfTies([])).toBeNull();
  });
});
