// Every step kind, by name: the engine looks steps up here.
import type { StepImpl, StepKind } from '../engine/types.js';
import { approval } from './approval.js';
import { auroraFailover } from './aurora-failover.js';
import { auroraSwitchover } from './aurora-switchover.js';
import { ecsFence } from './ecs-fence.js';
import { ecsScale } from './ecs-scale.js';
import { gateHealth } from './gate-health.js';
import { gateLag } from './gate-lag.js';
import { redisFailover } from './redis-failover.js';
import { route53Shift } from './route53-shift.js';
import { wait } from './wait.js';

export const stepImpls: Record<StepKind, StepImpl> = {
  'ecs.scale': ecsScale,
  'ecs.fence': ecsFence,
  'aurora.switchover': auroraSwitchover,
  'aurora.failover': auroraFailover,
  'redis.failover': redisFailover,
  'route53.shift': route53Shift,
  'gate.health': gateHealth,
  'gate.lag': gateLag,
  approval,
  wait,
};

export const stepKinds = Object.keys(stepImpls) as StepKind[];
