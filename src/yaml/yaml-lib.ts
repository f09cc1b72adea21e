/**
 * The `yaml` package, loaded on first use: only findings (positions) and file edits need it, and loading it costs
 * about as much as validating a thousand files. Node's module cache keeps it after the first call.
 */
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

export function yamlLib(): typeof import('yaml') {
  return load('yaml') as typeof import('yaml');
}
