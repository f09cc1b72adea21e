/** `flagops verify --env NAME`: the downstream pipeline after an apply, and the rollback when it fails (src/verify). */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { headCommit } from '../../apply/head-commit.js';
import { ConfigError, UsageError } from '../../errors/errors.js';
import { createGit } from '../../git/git.js';
import { createGitlabClient } from '../../gitlab/client.js';
import { formatFindings } from '../../report/text.js';
import { runVerify, type VerifyResult } from '../../verify/run-verify.js';
import { requireConfig } from '../context.js';
import { clientLimits, gitlabTarget } from '../gitlab.js';
import { useColor, type CliIo, type CommonOptions } from '../io.js';
import { reportTargets, writeReports } from '../output.js';

export const VERIFY_FORMATS = ['text', 'json'] as const;

export interface VerifyCliOptions extends CommonOptions {
  env?: string[];
  applyReport?: string;
  project?: string;
}

export async function runVerifyCommand(options: VerifyCliOptions, io: CliIo): Promise<number> {
  const targets = reportTargets(options, VERIFY_FORMATS);
  const config = requireConfig(options, io);
  if (options.env?.length !== 1) throw new UsageError('verify needs exactly one --env NAME: the environment just applied');
  const env = config.environments.find((e) => e.name === options.env![0]);
  if (!env) throw new UsageError(`--env ${options.env[0]}: not an environment of ${options.config} (${config.environments.map((e) => e.name).join(', ')})`);
  const text = (body: string): void => {
    if (targets.stdoutFormat === 'text' && !options.quiet) io.stdout(body);
  };
  if (!env.verify) {
    // no verify section: nothing is started (the template's verify job may run for every environment)
    const renderers = {
      text: () => (options.quiet ? '' : `${env.name} has no verify section in flagops.yml: nothing to verify\n`),
      json: () => `${JSON.stringify({ command: 'verify', ok: true, env: env.name, status: 'not-configured', findings: [] }, null, 2)}\n`,
    };
    writeReports(targets, renderers, io);
    io.stdout(renderers[targets.stdoutFormat as keyof typeof renderers]());
    return 0;
  }
  const gitlab = gitlabTarget(config, io.env, { ...(options.project ? { project: options.project } : {}), needToken: true, scope: 'api' });
  if (!gitlab.port || gitlab.project === undefined) throw new ConfigError('verify needs the flag repository: CI_PROJECT_ID, --project or gitlab.project');
  const downstream = env.verify.tokenEnv ? downstreamClient(config.gitlab!.url!, env.verify.tokenEnv, io.env) : gitlab.port;
  const reportPath = resolve(io.cwd, options.applyReport ?? `flagops-apply-${env.name}.json`);
  let report: string;
  try {
    report = readFileSync(reportPath, 'utf8');
  } catch {
    throw new UsageError(`cannot read the apply report ${reportPath}`, `run flagops apply --env ${env.name} --report json=flagops-apply-${env.name}.json first (the apply job's artifact), or pass --apply-report FILE`);
  }
  const git = createGit({ cwd: config.dir });
  const commit = await headCommit({ vars: io.env, git }).get();
  if (!commit) throw new UsageError('verify needs the applied commit: CI_COMMIT_SHA, or run it in the flag repository');
  const result = await runVerify({
    config,
    env,
    git,
    gitlab: { port: gitlab.port, project: gitlab.project },
    downstream,
    report,
    commit,
    defaultBranch: io.env.CI_DEFAULT_BRANCH || 'main',
    vars: io.env,
    now: io.now,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    client: clientLimits(io.env),
    onStarted: (p) => text(`${env.name}: verification pipeline ${p.webUrl} started for ${env.verify!.project}@${env.verify!.ref}; waiting up to ${env.verify!.timeout}\n`),
  });
  const exit = result.status === 'refused' ? 2 : result.status === 'passed' || result.status === 'nothing-to-verify' ? 0 : 1;
  const renderers = {
    text: () => renderText(result, options, io),
    json: () => `${JSON.stringify(toJson(env.name, result, exit), null, 2)}\n`,
  };
  writeReports(targets, renderers, io);
  io.stdout(renderers[targets.stdoutFormat as keyof typeof renderers]());
  return exit;
}

function downstreamClient(url: string, tokenEnv: string, env: Record<string, string | undefined>) {
  const token = env[tokenEnv];
  if (!token) {
    throw new ConfigError(`$${tokenEnv} is not set: verify needs a token (scope api, Developer in the downstream project) to start and read its pipeline`, {
      hint: `store it as a protected, masked CI/CD variable ${tokenEnv}`,
    });
  }
  return createGitlabClient({ baseUrl: url, token, tokenEnv, ...clientLimits(env) });
}

function renderText(result: VerifyResult, options: VerifyCliOptions, io: CliIo): string {
  const shown = options.quiet ? result.findings.filter((f) => f.severity === 'error') : result.findings;
  const lines = result.rollback.filter((r) => r.outcome === 'rolled-back').map((r) => `  rolled back ${r.flag} in ${r.instance}: ${r.message}\n`);
  if (result.revert) lines.push(`  revert merge request !${result.revert.iid} ${result.revert.webUrl}${result.revert.created ? ' (opened)' : ''}\n`);
  const body = formatFindings(shown, { color: useColor(options, io) });
  return `${options.quiet ? '' : lines.join('')}${body}${body ? '\n' : ''}`;
}

function toJson(env: string, result: VerifyResult, exit: number): unknown {
  return {
    command: 'verify',
    ok: exit === 0,
    env,
    status: result.status,
    ...(result.pipeline ? { pipeline: { id: result.pipeline.id, status: result.pipeline.status, webUrl: result.pipeline.webUrl } } : {}),
    changes: result.changes.map((c) => ({ flag: c.flag, before: c.before ?? null, after: c.after ?? null })),
    rollback: result.rollback,
    ...(result.revert ? { revert: result.revert } : {}),
    findings: result.findings,
  };
}
