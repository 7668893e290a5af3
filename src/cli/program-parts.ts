// What every command (not --version, not the cached --help) needs, behind the one import() main.ts
// makes: commander, the command table, the program and the command runner. One import rather than
// one per module: each import() is an entry of the bundle, and every set of entries that shares code
// becomes a chunk of its own for Node to resolve and link (scripts/bundle.mjs).
export { CommanderError } from 'commander';
export { commandDefs } from './defs/index.js';
export { buildProgram } from './program.js';
export { reportError, runCommand } from './lazy.js';
export { buildIo } from '../io/io.js';
