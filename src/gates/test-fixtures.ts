/**
 * Fixture builders for the gate tests (not part of the package): a plain environment, a flag change and a gate
 * context, each completed from an overrides object, and a GitLab port that answers only what a test provides.
 * The defaults are deliberately dull; a test spells out inline what it is about.
 */
import type { EnvironmentConfig } from '../config/types.js';
import { GitlabError, type ErrorKind } from '../errors/errors.js';
import type { GitlabPort } from '../gitlab/port.js';
import type { FlagChange, GateContext } from './types.js';

/** `production` (index 2, promoted from `staging`, file backend, drift: fail) with no gate configured. */
export function envConfig(over: Partial<EnvironmentConfig> = {}): EnvironmentConfig {
  const name = over.name ?? 'production';
  const backend = over.backend ?? { type: 'file', path: `/${name}.json` };
  return {
    name,
    index: 2,
    backend,
    instances: [{ name, backend }],
    ring: false,
    after: 'staging',
    drift: 'fail',
    ...over,
  };
}

/** A rollout of `my_flag` (flags/my_flag.yml, or flags/<flag>.yml) in production from `false` to `true`, at 4:3. */
export function flagChange(over: Partial<FlagChange> = {}): FlagChange {
  const flag = over.flag ?? 'my_flag';
  return {
    flag,
    file: `flags/${flag}.yml`,
    env: 'production',
    before: false,
    after: true,
    defaultEnabled: false,
    kind: 'rollout',
    line: 4,
    column: 3,
    desiredByEnv: {},
    ...over,
  };
}

/** Checks `env` (default: `envConfig()`) at 2026-11-21 12:00 UTC; the environments are `[env]` unless given. */
export function gateContext(over: Partial<GateContext> = {}): GateContext {
  const env = over.env ?? envConfig();
  return { now: new Date('2026-11-21T12:00:00Z'), environments: [env], ...over, env };
}

/** Only the port methods a test provides, each call logged to `calls`; any other call fails the test. */
export function strictPort(methods: Partial<GitlabPort>, calls: string[] = []): GitlabPort {
  return new Proxy({ baseUrl: 'https://gitlab.example.com', ...methods } as GitlabPort, {
    get(target, prop: string) {
      if (prop === 'baseUrl') return target.baseUrl;
      const fn = (target as unknown as Record<string, unknown>)[prop];
      if (typeof fn !== 'function') throw new Error(`unexpected port call: ${prop}`);
      return (...args: unknown[]) => {
        calls.push(`${prop} ${JSON.stringify(args)}`);
        return (fn as (...a: unknown[]) => unknown)(...args);
      };
    },
  });
}

/** The error the GitLab client throws for a failed `GET /x` answered with `status`. */
export function gitlabError(kind: ErrorKind, message: string, status: number): GitlabError {
  return new GitlabError(kind, message, { status, method: 'GET', path: '/x' });
}
