// The floor for `flagops validate`: node start + listing the folders (one readdir each, file types from the
// listing, no stat per entry) + reading each file + js-yaml parsing it, no other work.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(join(process.cwd(), 'package.json'));
const yaml = require('js-yaml');
let n = 0;
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (entry.name.endsWith('.yml')) {
      yaml.load(readFileSync(path, 'utf8'), { schema: yaml.CORE_SCHEMA });
      n++;
    }
  }
};
walk(process.argv[2]);
if (n === 0) process.exit(3);
