/**
 * The rollback fast lane run by `flagops pipeline --fast-lane true` (src/pipeline/fast-lane.ts): every target's
 * `flagops apply` in this process, at most `concurrency` at a time, each with its own JSON report; nothing it prints
 * but one line per target. A failure fails nothing here: the child pipeline's job of that target applies it again.
 */
import { performance } from 'node:perf_hooks';
import { pooled, type FastLaneTarget } from '../../pipeline/fast-lane.js';
import type { CliIo } from '../io.js';
import { runApplyCommand, type ApplyCliOptions } from './apply.js';

export interface FastLaneResult {
  target: string;
  outcome: 'applied' | 'failed' | 'skipped';
  /** apply's exit code (0 applied, 1 findings or gates, 2 bad input, 3 a backend or GitLab failed). */
  exit?: number;
  ms?: number;
  report?: string;
  reason?: string;
}

export const FAST_LANE_CONCURRENCY = 16;

export async function runFastLane(options: { config: string; targets: readonly FastLaneTarget[]; io: CliIo; concurrency?: number }): Promise<FastLaneResult[]> {
  const { io } = options;
  return pooled(options.targets, options.concurrency ?? FAST_LANE_CONCURRENCY, async (t): Promise<FastLaneResult> => {
    if (t.skip) return { target: t.label, outcome: 'skipped', reason: t.skip };
    let errors = '';
    // the live snapshot is the child job's to publish; this job's artifacts are the reports
    const env = { ...io.env, FLAGOPS_LANE: 'rollback', FLAGOPS_PUBLISH_LIVE: undefined };
    const sub: CliIo = { ...io, env, stdout: () => undefined, stderr: (text) => void (errors += text) };
    const apply: ApplyCliOptions = { config: options.config, env: [t.env], report: [`json=${t.report}`], quiet: true, format: 'text', ...(t.instance ? { instance: [t.instance] } : {}) };
    const started = performance.now();
    let exit: number;
    try {
      exit = await runApplyCommand('apply', apply, sub);
    } catch (error) {
      // a usage or config error of one target (its backend's token missing, say): that target's child job says it again
      const message = error instanceof Error ? error.message : String(error);
      return { target: t.label, outcome: 'failed', exit: 2, ms: performance.now() - started, reason: message.split('\n')[0]! };
    }
    const ms = performance.now() - started;
    if (exit === 0) return { target: t.label, outcome: 'applied', exit, ms, report: t.report };
    return { target: t.label, outcome: 'failed', exit, ms, report: t.report, reason: errors.trim().split('\n')[0] || `apply exited ${exit}` };
  });
}

export function fastLaneLine(r: FastLaneResult): string {
  const time = r.ms === undefined ? '' : ` in ${(r.ms / 1000).toFixed(1)} s`;
  if (r.outcome === 'applied') return `fast lane: ${r.target} applied${time}\n`;
  const why = r.reason ? `: ${r.reason}` : '';
  return `fast lane: ${r.target} ${r.outcome}${r.exit !== undefined && r.outcome === 'failed' ? ` (exit ${r.exit})` : ''}${time}${why}; its child job applies it\n`;
}
