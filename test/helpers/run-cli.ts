import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main.js';

export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'flagops.cjs');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output. */
export async function cli(args: string[], options: { cwd: string; env?: Record<string, string | undefined>; now?: Date }): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: options.env ?? {},
    cwd: options.cwd,
    isTTY: false,
    now: () => options.now ?? new Date(),
  });
  return { code, stdout, stderr };
}

/** Runs the built bundle as a process (bin/flagops.cjs), as users do. */
export function spawnCli(args: string[], options: { cwd: string; env?: Record<string, string | undefined>; timeoutMs?: number }): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: options.cwd, env: { PATH: process.env.PATH, ...options.env } as NodeJS.ProcessEnv, timeout: options.timeoutMs ?? 20_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
