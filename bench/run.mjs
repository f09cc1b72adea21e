// npm run bench: every benchmark, each as a ratio to a baseline measured in the same run.
// `npm run bench -- validate check`: only those.
import { benchCheck } from './check.mjs';
import { benchApply } from './apply.mjs';
import { benchPipeline } from './pipeline.mjs';
import { benchValidate } from './validate.mjs';

const BENCHES = { validate: benchValidate, apply: benchApply, check: benchCheck, pipeline: benchPipeline };
const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !Object.hasOwn(BENCHES, name));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}
console.log(`flagops benchmarks on node ${process.version}, ${new Date().toISOString()}`);
for (const [name, bench] of Object.entries(BENCHES)) if (asked.length === 0 || asked.includes(name)) await bench();
