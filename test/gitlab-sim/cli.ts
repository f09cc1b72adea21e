/**
 * Standalone GitLab simulator, for CI jobs run under gitlab-ci-local (bundled by the lead with esbuild into a
 * `.cjs`):
 *
 *   node gitlab-sim.cjs [SEED.json] [--dump FILE] [--port N] [--no-strict]
 *
 * Prints `{"url":"http://127.0.0.1:PORT"}` on stdout once listening, serves until SIGTERM/SIGINT, and writes
 * the snapshot (state with tokens redacted, request log, unexpected requests) to FILE on exit and whenever
 * `GET /-/sim/state` is requested.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { startGitlabSim, type SimSeed, type SimSnapshot } from './index.js';

interface CliArgs {
  seedFile?: string;
  dump?: string;
  port?: number;
  strict: boolean;
}

function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = { strict: true };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--dump') args.dump = argv[++i];
    else if (arg === '--port') args.port = Number(argv[++i]);
    else if (arg === '--no-strict') args.strict = false;
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else if (args.seedFile === undefined) args.seedFile = arg;
    else throw new Error(`unexpected argument ${arg}`);
  }
  if (args.port !== undefined && !Number.isInteger(args.port)) throw new Error('--port needs a number');
  return args;
}

function writeDump(file: string, snapshot: SimSnapshot): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(snapshot, null, 2)}\n`);
  renameSync(tmp, file);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const seed = args.seedFile ? (JSON.parse(readFileSync(args.seedFile, 'utf8')) as SimSeed) : undefined;
  const dump = args.dump;
  const sim = await startGitlabSim({
    ...(seed ? { seed } : {}),
    strict: args.strict,
    ...(args.port !== undefined ? { port: args.port } : {}),
    ...(dump ? { onSnapshot: (snap: SimSnapshot) => writeDump(dump, snap) } : {}),
  });
  process.stdout.write(`${JSON.stringify({ url: sim.url })}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    if (dump) writeDump(dump, sim.snapshot());
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`gitlab-sim: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
