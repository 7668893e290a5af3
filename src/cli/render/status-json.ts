// The `mr status --json` document. Stable: fields are added, never renamed or removed (see
// STATUS-JSON.md beside this file). It is the ObservedState from src/inspect plus the verdict:
//   { version: 1, topology, observedAt, regions, unreachable: {region: reason},
//     route53?, aurora?, elasticache?, ecs?,      // each read is {ok:true,value} | {ok:false,error,unreachable}
//     healthy: boolean, findings: [{severity, region?, message}] }
import type { Finding, ObservedState } from '../../inspect/types.js';
import { isHealthy } from '../../inspect/judge.js';

export type StatusDocument = ObservedState & { healthy: boolean; findings: Finding[] };

export function statusDocument(state: ObservedState, findings: Finding[]): StatusDocument {
  return { ...state, healthy: isHealthy(findings), findings };
}
