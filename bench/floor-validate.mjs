// The floor for `flagops validate`: node start + reading the same files + js-yaml parsing them, no other work.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(join(process.cwd(), 'package.json'));
const yaml = require('js-yaml');
const dir = process.argv[2];
let n = 0;
for (const f of readdirSync(dir, { recursive: true })) {
  if (!String(f).endsWith('.yml')) continue;
  yaml.load(readFileSync(join(dir, f), 'utf8'), { schema: yaml.CORE_SCHEMA });
  n++;
}
if (n === 0) process.exit(3);
