#!/usr/bin/env node
// Shim: compile cache first (Node >= 22.1 has it; older Node just skips it), then the CLI's bundled
// build, which `npm run build` writes (scripts/bundle.mjs). The unbundled dist/src/cli/main.js is not
// a fallback: a missing bundle is a broken build and should fail loudly.
import module from 'node:module';
module.enableCompileCache?.();
await import('../dist/bundle/main.js');
