/**
 * Read-after-write (DESIGN §5). Each written flag is first judged by its last write's own response (GitLab's
 * Features API answers the feature after the change): a response that is not the desired state is a failure at
 * once. Then the environment is read back once; a flag that reads back otherwise while its write's response
 * agreed may be an answer from another web process's cache (up to a minute, `Backend.readCacheMs`), so the
 * environment is read again with backoff until that window has passed, and only then is it a failure.
 */
import type { Backend, LiveFlag, LiveState, WriteEcho } from '../backends/types.js';
import type { FlagPlan } from '../plan/build-plan.js';

/** Time, injected: tests advance a clock instead of waiting. */
export interface ReadBackClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: ReadBackClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Backoff between re-reads: 1 s, 2 s, 4 s … capped at 15 s, never past the end of the cache window. */
export function nextDelay(attempt: number, remainingMs: number): number {
  return Math.max(0, Math.min(1000 * 2 ** attempt, 15_000, remainingMs));
}

export interface Disagreement {
  flag: string;
  after: LiveFlag | undefined;
  /** `response`: the write's own answer already disagreed; `read-back`: only the reads did, until the window ended. */
  source: 'response' | 'read-back';
}

export interface ReadBackInput {
  backend: Backend;
  written: readonly FlagPlan[];
  /** Each flag's last write's answer, when the backend gives one. */
  echoes: ReadonlyMap<string, WriteEcho>;
  clock: ReadBackClock;
  /** When the last write ended (clock time): the cache window counts from it. */
  wroteAt: number;
  /** Reads the whole environment (errors propagate to the caller). */
  read: () => Promise<LiveState>;
}

const converged = (backend: Backend, f: FlagPlan, live: LiveFlag | undefined) =>
  backend.plan(f.flag, live, f.desired).length === 0;

export async function readBack(input: ReadBackInput): Promise<Disagreement[]> {
  const { backend, clock } = input;
  const out: Disagreement[] = [];
  let pending: FlagPlan[] = [];
  for (const f of input.written) {
    const echo = input.echoes.get(f.flag);
    const answered = echo ? await echo.live() : undefined;
    if (echo && !converged(backend, f, answered)) out.push({ flag: f.flag, after: answered, source: 'response' });
    else pending.push(f);
  }
  if (pending.length === 0) return out;
  const windowEnd = input.wroteAt + (backend.readCacheMs ?? 0);
  for (let attempt = 0; ; attempt += 1) {
    const live = await input.read();
    const wrong = pending.filter((f) => !converged(backend, f, live.get(f.flag)));
    const remaining = windowEnd - clock.now();
    if (wrong.length === 0 || remaining <= 0) {
      out.push(...wrong.map((f) => ({ flag: f.flag, after: live.get(f.flag), source: 'read-back' as const })));
      return out;
    }
    pending = wrong;
    await clock.sleep(nextDelay(attempt, remaining));
  }
}
