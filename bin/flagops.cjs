#!/usr/bin/env node
'use strict';
// Launcher: answers --version without loading the bundle, then hands over to dist/cli.mjs.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${require('../package.json').version}\n`);
} else {
  import('../dist/cli.mjs').catch((error) => {
    process.stderr.write(`flagops: cannot start: ${error && error.message}\n  (run npm run build in a source checkout)\n`);
    process.exitCode = 1;
  });
}
