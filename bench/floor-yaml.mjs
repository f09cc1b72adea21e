// The floor for `flagops pipeline`: node start + parsing flagops.yml (js-yaml, as flagops reads it) and the child
// pipeline it produced, and writing the child back out with the library flagops writes it with (`yaml`) — no other work.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(join(process.argv[2], 'package.json'));
const jsYaml = require('js-yaml');
const { stringify } = require('yaml');
jsYaml.load(readFileSync(process.argv[3], 'utf8'));
const child = jsYaml.load(readFileSync(process.argv[4], 'utf8'));
writeFileSync(process.argv[5], stringify(child, { lineWidth: 0 }));
