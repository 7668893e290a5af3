// The playbook file: stages of steps, parameters filled from the command line. The one source of
// truth for its shape; `mr config schema --playbook` prints it as JSON Schema.
import { z } from 'zod';

export const stepKinds = [
  'ecs.scale',
  'ecs.fence',
  'aurora.switchover',
  'aurora.failover',
  'redis.failover',
  'route53.shift',
  'gate.health',
  'gate.lag',
  'approval',
  'wait',
] as const;

/** `{{ name }}` anywhere in a string value; names are parameter names. */
export const placeholderPattern = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

const paramName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'letters, digits and underscores, not starting with a digit');

export const paramSchema = z
  .strictObject({
    type: z.enum(['region', 'string', 'number']).describe('region: must be one of the topology\'s regions'),
    required: z.boolean().default(false),
    default: z.union([z.string(), z.number()]).optional(),
    description: z.string().optional(),
  })
  .superRefine((p, ctx) => {
    if (p.default === undefined) return;
    if (p.type === 'number' && typeof p.default !== 'number') ctx.addIssue({ code: 'custom', path: ['default'], message: 'a number parameter needs a number default' });
    if (p.type !== 'number' && typeof p.default !== 'string') ctx.addIssue({ code: 'custom', path: ['default'], message: `a ${p.type} parameter needs a string default` });
  });

export const stepSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes')
    .describe('unique in the playbook; resume and reports name steps by it'),
  kind: z.enum(stepKinds),
  with: z.record(z.string(), z.unknown()).default({}).describe('the step\'s parameters; string values may use {{ param }}'),
  skipWhen: z
    .literal('route53-unreachable')
    .optional()
    .describe("leave the step out of the run, saying so, when Route 53's control plane (us-east-1) does not answer; the rest of the run goes on"),
});

export const stageSchema = z.strictObject({
  name: z.string().min(1),
  parallel: z.boolean().default(false).describe('run the steps of this stage at the same time'),
  steps: z.array(stepSchema).min(1),
});

export const playbookSchema = z
  .strictObject({
    version: z.literal(1),
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes'),
    description: z.string().optional(),
    params: z.record(paramName, paramSchema).default({}),
    region: z
      .string()
      .optional()
      .describe('the region the run acts from (where the caller identity is read); an unplanned failover names its target, e.g. "{{ target }}"'),
    stages: z.array(stageSchema).min(1),
  })
  .superRefine((pb, ctx) => {
    for (const { name } of placeholders(pb.region)) {
      if (!(name in pb.params)) ctx.addIssue({ code: 'custom', path: ['region'], message: `{{ ${name} }} is not a declared parameter` });
    }
    const seen = new Map<string, string>();
    pb.stages.forEach((stage, si) =>
      stage.steps.forEach((step, ti) => {
        const where = ['stages', si, 'steps', ti];
        const first = seen.get(step.id);
        if (first) ctx.addIssue({ code: 'custom', path: [...where, 'id'], message: `step id "${step.id}" is already used in stage "${first}"` });
        else seen.set(step.id, stage.name);
        for (const { path, name } of placeholders(step.with)) {
          if (!(name in pb.params)) {
            ctx.addIssue({ code: 'custom', path: [...where, 'with', ...path], message: `{{ ${name} }} is not a declared parameter (declared: ${Object.keys(pb.params).join(', ') || 'none'})` });
          }
        }
      }),
    );
  });

export type Playbook = z.output<typeof playbookSchema>;
export type PlaybookStep = z.output<typeof stepSchema>;
export type PlaybookParam = z.output<typeof paramSchema>;

/** Every `{{ name }}` in a value (strings, and the keys and values of maps and lists), with its path. */
export function placeholders(value: unknown, path: (string | number)[] = []): { path: (string | number)[]; name: string }[] {
  if (typeof value === 'string') return [...value.matchAll(placeholderPattern)].map((m) => ({ path, name: m[1] }));
  if (Array.isArray(value)) return value.flatMap((v, i) => placeholders(v, [...path, i]));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [...placeholders(k, [...path, k]), ...placeholders(v, [...path, k])]);
  }
  return [];
}

/** The JSON Schema of a playbook file, for editors and `mr config schema --playbook`. */
export function playbookJsonSchema(): unknown {
  return z.toJSONSchema(playbookSchema, { io: 'input', unrepresentable: 'any' });
}
