#!/usr/bin/env node
// Thin launcher: the CLI lives in the compiled daemon/cli entry point.
// `hook` runs on every agent hook call, so it skips the dispatcher and loads
// as little as possible; it must exit 0 even if the build is missing.
const argv = process.argv.slice(2);
if (argv[0] === 'hook') import('../dist/daemon/cli/hook.js').then((m) => m.main(argv.slice(1))).catch(() => {});
else import('../dist/daemon/cli/main.js').then((m) => m.runCli(argv));
