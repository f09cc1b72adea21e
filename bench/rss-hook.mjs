process.on('exit', () => process.stderr.write(`flagops-bench-maxrss-kb=${process.resourceUsage().maxRSS}\n`));
