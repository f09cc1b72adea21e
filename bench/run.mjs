// npm run bench: every benchmark, each as a ratio to a baseline measured in the same run.
import { benchCheck } from './check.mjs';
import { benchApply } from './apply.mjs';
import { benchPipeline } from './pipeline.mjs';
import { benchValidate } from './validate.mjs';

console.log(`flagops benchmarks on node ${process.version}, ${new Date().toISOString()}`);
benchValidate();
await benchApply();
await benchCheck();
benchPipeline();
