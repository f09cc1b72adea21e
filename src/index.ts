/** flagops as a library: the same pieces the CLI uses. */
export { runCli } from './cli/main.js';
export { loadConfig } from './config/load-config.js';
export type { FlagopsConfig, EnvironmentConfig, BackendConfig } from './config/types.js';
export { validateFlags, checkDocuments } from './rules/run-rules.js';
export type { Finding, Severity } from './model/finding.js';
export * from './model/state.js';
export { parseYamlBytes, parseYamlText } from './yaml/bounded-parse.js';
export { createFileBackend, planFile, readStateFile } from './backends/file/file-backend.js';
export { createGitlabClient } from './gitlab/client.js';
