// npm run bench [-- SECTION...]: every benchmark (or the sections named), each as a ratio to a baseline measured in
// the same run. Sections: validate, apply, check, pipeline, rings (pipeline, apply and check at ring scale), lanes
// (the critical paths under gitlab-ci-local). --quick: all but the two slowest (the 20-instance ring and lanes).
import { benchCheck, benchCheckRings } from './check.mjs';
import { benchApply } from './apply.mjs';
import { benchLanes } from './lanes.mjs';
import { benchPipeline, benchPipelineRecords, benchPipelineRings } from './pipeline.mjs';
import { benchRingApply } from './ring-apply.mjs';
import { benchValidate } from './validate.mjs';

const SECTIONS = {
  validate: async () => benchValidate(),
  apply: benchApply,
  check: benchCheck,
  pipeline: async () => benchPipeline(),
  rings: async (quick) => {
    benchPipelineRings();
    await benchPipelineRecords();
    if (!quick) await benchRingApply();
    await benchCheckRings();
  },
  lanes: async () => benchLanes(),
};
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const named = args.filter((a) => a !== '--quick');
for (const name of named) {
  if (!(name in SECTIONS)) {
    console.error(`bench: no section '${name}'; one of ${Object.keys(SECTIONS).join(', ')}`);
    process.exit(2);
  }
}
console.log(`flagops benchmarks on node ${process.version}, ${new Date().toISOString()}`);
for (const [name, run] of Object.entries(SECTIONS)) {
  if (named.length > 0 ? !named.includes(name) : quick && name === 'lanes') continue;
  await run(quick);
}
