// The inspection layer's face: gather the live state (reads only), judge it (pure).
export { gather, fqdn, type GatherOptions } from './gather.js';
export { judge, isHealthy, servingRegions } from './judge.js';
export { readHealthCheck, readHealthChecks, type HealthReadOptions } from './health.js';
export { healthVerdict, HEALTHY_FRACTION } from './verdict.js';
export { observe, firstAnswer, bounded, reasonOf } from './observe.js';
export type * from './types.js';
export { primaryLooksUp } from './primary.js';
