/**
 * Fault injection. A fault is decided before any routing or state change, so a faulted request never changes
 * state (a failed POST did nothing). `latency` only delays: the request is then served normally.
 */

export type FaultKind = 'status' | 'reset' | 'latency';
/** 409: GitLab's `409 Conflict: Resource lock` (lib/api/api.rb, ActiveRecord::StaleObjectError): nothing saved. */
/** 400: a refusal no retry helps (a write that fails for good half-way through a flag). */
export type FaultStatus = 500 | 502 | 503 | 429 | 409 | 400;

export interface FaultSpec {
  method?: string;
  /** A RegExp tested on the full path (`/api/v4/...`), or an exact path with or without the `/api/v4` prefix. */
  path?: RegExp | string;
  kind: FaultKind;
  status?: FaultStatus;
  /** Seconds, sent as `Retry-After` with 429 (default 1). */
  retryAfter?: number;
  ms?: number;
  /** How many requests this fault hits; unlimited when absent. */
  times?: number;
  /** How many matching requests pass untouched before the fault hits (e.g. 1: the second write fails). */
  skip?: number;
}

export type RandomFaultKind = 'reset' | 'latency' | FaultStatus;

export interface RandomFaultOptions {
  /** Probability (0..1) that a matching request gets a fault. */
  rate: number;
  kinds: RandomFaultKind[];
  seed: number;
  method?: string;
  path?: RegExp | string;
  ms?: number;
  retryAfter?: number;
}

export interface Fault {
  kind: FaultKind;
  status: FaultStatus;
  retryAfter: number;
  ms: number;
}

export interface FaultHandle {
  remove(): void;
  /** How many requests this fault has hit so far. */
  readonly hits: number;
}

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pathMatches(matcher: RegExp | string | undefined, path: string): boolean {
  if (matcher === undefined) return true;
  if (typeof matcher === 'string') return path === matcher || path === `/api/v4${matcher}`;
  matcher.lastIndex = 0;
  return matcher.test(path);
}

function methodMatches(wanted: string | undefined, method: string): boolean {
  return wanted === undefined || wanted.toUpperCase() === method.toUpperCase();
}

interface Entry {
  spec: FaultSpec;
  hits: number;
  passed: number;
}

interface RandomEntry {
  options: RandomFaultOptions;
  next: () => number;
}

export class FaultRegistry {
  private readonly entries: Entry[] = [];
  private readonly randoms: RandomEntry[] = [];
  private count = 0;

  add(spec: FaultSpec): FaultHandle {
    if (spec.kind === 'status' && spec.status === undefined) throw new Error('a status fault needs `status`');
    const entry: Entry = { spec: { ...spec }, hits: 0, passed: 0 };
    this.entries.push(entry);
    return {
      remove: () => {
        const index = this.entries.indexOf(entry);
        if (index >= 0) this.entries.splice(index, 1);
      },
      get hits() {
        return entry.hits;
      },
    };
  }

  random(options: RandomFaultOptions): void {
    if (options.kinds.length === 0) throw new Error('random faults need at least one kind');
    if (options.rate < 0 || options.rate > 1) throw new Error('rate must be within 0..1');
    this.randoms.push({ options: { ...options }, next: prng(options.seed) });
  }

  clear(): void {
    this.entries.splice(0);
    this.randoms.splice(0);
  }

  /** How many faults have been injected. */
  get injected(): number {
    return this.count;
  }

  /** Decides the fault for a request (consuming `times`), or undefined. */
  pick(method: string, path: string): Fault | undefined {
    for (const entry of this.entries) {
      const { spec } = entry;
      if (!methodMatches(spec.method, method) || !pathMatches(spec.path, path)) continue;
      if (spec.times !== undefined && entry.hits >= spec.times) continue;
      if (entry.passed < (spec.skip ?? 0)) {
        entry.passed += 1;
        continue;
      }
      entry.hits += 1;
      this.count += 1;
      return {
        kind: spec.kind,
        status: spec.status ?? 500,
        retryAfter: spec.retryAfter ?? 1,
        ms: spec.ms ?? 50,
      };
    }
    for (const { options, next } of this.randoms) {
      if (!methodMatches(options.method, method) || !pathMatches(options.path, path)) continue;
      const roll = next();
      const which = next();
      if (roll >= options.rate) continue;
      const kind = options.kinds[Math.floor(which * options.kinds.length)] ?? options.kinds[0];
      this.count += 1;
      const base = { retryAfter: options.retryAfter ?? 1, ms: options.ms ?? 50 };
      if (kind === 'reset') return { kind: 'reset', status: 500, ...base };
      if (kind === 'latency') return { kind: 'latency', status: 500, ...base };
      return { kind: 'status', status: kind ?? 500, ...base };
    }
    return undefined;
  }
}
