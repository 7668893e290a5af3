#!/usr/bin/env node
// Shim: compile cache first (Node >= 22.1 has it; older Node just skips it), then the CLI.
import module from 'node:module';
module.enableCompileCache?.();
await import('../dist/src/cli/main.js');
