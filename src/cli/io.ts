/** What a command may touch of the outside world; the tests pass their own. */
export interface CliIo {
  stdout: (text: string) => void;
  /** stdout for bytes already encoded (UTF-8), where the writer takes them; else text goes to `stdout`. */
  stdoutBytes?: (bytes: Uint8Array) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** stdout is a terminal (for colour and progress). */
  isTTY: boolean;
  now: () => Date;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stdoutBytes: (bytes) => process.stdout.write(bytes),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stdout.isTTY),
    now: () => new Date(),
  };
}

export interface CommonOptions {
  config: string;
  format?: string;
  output?: string;
  report?: string[];
  quiet?: boolean;
  color?: boolean;
}

export function useColor(options: CommonOptions, io: CliIo): boolean {
  if (options.color === false) return false;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR) return true;
  return io.isTTY || io.env.CI === 'true';
}
