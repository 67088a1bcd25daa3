#!/usr/bin/env node
// Thin launcher: the CLI lives in the compiled daemon/cli entry point.
import('../dist/daemon/cli/main.js').then((m) => m.runCli(process.argv.slice(2)));
