// Every command mr knows, as data. To register a group: write src/cli/defs/<group>.ts exporting a
// CommandDef whose `load` imports its handler module lazily, e.g.
//
//   export const auroraDef: CommandDef = {
//     name: 'aurora', description: 'Aurora global database',
//     subcommands: [{ name: 'switchover', description: '...', args: [{ name: 'region', description: '...', required: true }],
//                     options: [{ flags: '-y, --yes', description: '...' }],
//                     load: () => import('../commands/aurora.js'), handler: 'switchover', handlesSignal: true }],
//   };
//
// then add one import and one entry to `commandDefs` below. Keep def files free of other imports
// (types only): `mr --help` imports all of them and must stay fast and load no SDK.
import type { CommandDef } from './types.js';
import { statusDef } from './status.js';
import { healthDef } from './health.js';
import { configDef } from './config.js';
import { sandboxDef } from './sandbox.js';
import { auroraDef } from './aurora.js';
import { redisDef } from './redis.js';
import { trafficDef } from './traffic.js';
import { ecsDef } from './ecs.js';
import { auditDef } from './audit.js';
import { failoverDef } from './failover.js';
import { runDef } from './run.js';
import { applyDef } from './apply.js';
import { resumeDef } from './resume.js';
import { lockDef } from './lock.js';
import { reportDef } from './report.js';
import { checkDef } from './check.js';
import { iamPolicyDef } from './iam-policy.js';
import { initDef } from './init.js';

export type { CommandDef, ArgDef, OptionDef } from './types.js';

export const commandDefs: CommandDef[] = [
  statusDef,
  healthDef,
  configDef,
  sandboxDef,
  auroraDef,
  redisDef,
  trafficDef,
  ecsDef,
  auditDef,
  failoverDef,
  runDef,
  applyDef,
  resumeDef,
  lockDef,
  reportDef,
  checkDef,
  iamPolicyDef,
  initDef,
];
