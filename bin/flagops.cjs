#!/usr/bin/env node
'use strict';
// Launcher: answers --version without loading the bundle, then runs dist/cli.cjs (bin/run-bundle.cjs).
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${require('../package.json').version}\n`);
} else {
  try {
    require('./run-bundle.cjs').runBundle();
  } catch (error) {
    process.stderr.write(`flagops: cannot start: ${error && error.message}\n  (run npm run build in a source checkout)\n`);
    process.exitCode = 1;
  }
}
