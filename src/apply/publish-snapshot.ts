/**
 * Writes the live state an apply or status run read — with what apply then changed — as the job artifact
 * `.flagops/live/<env>.json` (DESIGN §6), for `check` to show the live plan on merge requests. Only when
 * $FLAGOPS_PUBLISH_LIVE is `true` (the CI template's apply and status jobs set it).
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LiveState } from '../backends/types.js';
import type { FlagState } from '../model/state.js';
import { SNAPSHOT_VERSION, snapshotPath, type LiveSnapshot } from '../model/live-snapshot.js';
import type { EnvResult } from './apply-types.js';

export function liveAfterRun(live: LiveState, result: EnvResult | undefined): Record<string, FlagState> {
  const flags = new Map([...live].map(([name, flag]) => [name, flag.state]));
  for (const r of result?.results ?? []) {
    if (r.outcome !== 'applied') continue;
    const planned = result!.plan.flags.find((f) => f.flag === r.flag);
    if (!planned) continue;
    if (planned.desired === undefined) flags.delete(r.flag);
    else flags.set(r.flag, planned.desired);
  }
  return Object.fromEntries([...flags].sort(([a], [b]) => a.localeCompare(b)));
}

export function writeSnapshot(args: { dir: string; env: string; readAt: Date; flags: Record<string, FlagState>; commit?: string; jobUrl?: string }): string {
  const snapshot: LiveSnapshot = {
    snapshotVersion: SNAPSHOT_VERSION,
    environment: args.env,
    readAt: args.readAt.toISOString(),
    ...(args.commit ? { commit: args.commit } : {}),
    ...(args.jobUrl ? { jobUrl: args.jobUrl } : {}),
    flags: args.flags,
  };
  const path = join(args.dir, snapshotPath(args.env));
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(snapshot, null, 2)}\n`);
  renameSync(tmp, path);
  return path;
}
