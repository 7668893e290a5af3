// The sandbox's simulated durations (seconds) that the model tests pin: the world schema's defaults,
// written out so that a changed default shows up as a failing model test rather than a silent shift.
import type { Durations } from '../../src/sandbox/contract.js';

export const DURATIONS: Durations = {
  auroraSwitchover: 60,
  auroraFailover: 45,
  datastoreFailover: 50,
  dnsPropagation: 30,
  taskStart: 20,
  healthCheckInterval: 10,
  rdsPromote: 240,
  rdsCreateReplica: 900,
};
