/**
 * The downstream pipeline of verification: started with `POST /projects/:id/pipeline` (the changed flags as
 * variables), then read with `GET /projects/:id/pipelines/:id` with backoff until it finishes or the timeout is over.
 * The clock and the sleep are passed in, so the waiting is tested without waiting.
 */
import type { GitlabPort, Pipeline, ProjectRef } from '../gitlab/port.js';

/** Ci::HasStatus::COMPLETED_STATUSES (app/models/concerns/ci/has_status.rb) — a pipeline in one of them is done. */
const FINISHED = new Set(['success', 'failed', 'canceled', 'skipped']);

export type DownstreamOutcome = 'success' | 'failed' | 'canceled' | 'timeout';

export interface DownstreamResult {
  outcome: DownstreamOutcome;
  pipeline: Pipeline;
  /** How long it was waited for, in ms. */
  waitedMs: number;
}

/** Pure: the wait before read number `attempt` (1-based): 2, 4, 8, 15, then 30 s. */
export function pollDelay(attempt: number): number {
  return [2_000, 4_000, 8_000, 15_000][attempt - 1] ?? 30_000;
}

export async function runDownstream(options: {
  port: GitlabPort;
  project: ProjectRef;
  ref: string;
  variables: readonly { key: string; value: string }[];
  timeoutMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Told once the pipeline exists (its URL goes to the job log at once). */
  onStarted?: (pipeline: Pipeline) => void;
}): Promise<DownstreamResult> {
  const started = options.now();
  let pipeline = await options.port.createPipeline(options.project, { ref: options.ref, variables: options.variables });
  options.onStarted?.(pipeline);
  for (let attempt = 1; !FINISHED.has(pipeline.status); attempt += 1) {
    const left = started + options.timeoutMs - options.now();
    if (left <= 0) return { outcome: 'timeout', pipeline, waitedMs: options.now() - started };
    await options.sleep(Math.min(pollDelay(attempt), left));
    pipeline = await options.port.getPipeline(options.project, pipeline.id);
  }
  const outcome: DownstreamOutcome = pipeline.status === 'success' ? 'success' : pipeline.status === 'failed' ? 'failed' : 'canceled';
  return { outcome, pipeline, waitedMs: options.now() - started };
}
