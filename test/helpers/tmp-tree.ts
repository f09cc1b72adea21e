import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';

/** Writes files (path → content) into a fresh temp folder, removed after the test. */
export function useTmpTree(): (files: Record<string, string | Uint8Array>) => string {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return (files) => {
    const dir = mkdtempSync(join(tmpdir(), 'flagops-test-'));
    made.push(dir);
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    return dir;
  };
}

export const THREE_FILE_ENVS = `environments:
  - name: dev
    backend: { type: file, path: state/dev.json }
  - name: staging
    backend: { type: file, path: state/staging.json }
  - name: production
    backend: { type: file, path: state/production.json }
`;
