// Small builders of plans and steps for engine tests.
import { fingerprint } from '../../src/engine/fingerprint.js';
import type { Plan, PlannedStage, PlannedStep } from '../../src/engine/types.js';

export function step(id: string, over: Partial<PlannedStep> = {}): PlannedStep {
  return { id, kind: 'ecs.scale', title: `Scale ${id}`, params: {}, changes: [], checks: [], noop: false, data: {}, observed: {}, ...over };
}

export function plan(steps: PlannedStep[] | PlannedStage[], over: Partial<Plan> = {}): Plan {
  const stages: PlannedStage[] =
    steps.length > 0 && 'steps' in steps[0] ? (steps as PlannedStage[]) : [{ name: 'main', parallel: false, steps: steps as PlannedStep[] }];
  return {
    version: 1,
    id: '20261121T071600Z-abcdef',
    createdAt: '2026-11-21T07:16:00.000Z',
    topology: 'demo',
    command: 'test',
    stages,
    fingerprint: fingerprint(stages),
    ...over,
  };
}
