// The playbook file: stages of steps, parameters filled from the command line. The one source of
// truth for its shape; `mr config schema --playbook` prints it as JSON Schema.
import { z } from 'zod';
import type { StepDef } from '../steps/contract.js';
import { stepDefs, stepKinds } from '../steps/index.js';

/** `{{ name }}` anywhere in a string value; names are parameter names. */
export const placeholderPattern = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

const paramName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'letters, digits and underscores, not starting with a digit');

export const paramSchema = z
  .strictObject({
    type: z.enum(['region', 'string', 'number']).describe("region: must be one of the topology's regions"),
    required: z.boolean().default(false),
    default: z.union([z.string(), z.number()]).optional(),
    description: z.string().optional(),
  })
  .superRefine((p, ctx) => {
    if (p.default === undefined) return;
    if (p.type === 'number' && typeof p.default !== 'number')
      ctx.addIssue({ code: 'custom', path: ['default'], message: 'a number parameter needs a number default' });
    if (p.type !== 'number' && typeof p.default !== 'string')
      ctx.addIssue({ code: 'custom', path: ['default'], message: `a ${p.type} parameter needs a string default` });
  });

const stepId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes')
  .describe('unique in the playbook; resume and reports name steps by it');
const skipWhen = z
  .literal('route53-unreachable')
  .optional()
  .describe("leave the step out of the run, saying so, when Route 53's control plane (us-east-1) does not answer; the rest of the run goes on");

/** The keys a step kind takes: at load time values may still be `{{ param }}`, so only the keys are checked here. */
function withKeys(def: StepDef): z.ZodType<Record<string, unknown>> {
  const keys = Object.keys(def.params({ regions: [] }).shape);
  const shape = Object.fromEntries(keys.map((k) => [k, z.unknown().optional()]));
  return z.strictObject(shape, {
    error: (iss) => (iss.code === 'unrecognized_keys' ? `${def.kind} does not take "${iss.keys[0]}" (it takes ${keys.join(', ') || 'nothing'})` : undefined),
  });
}

/** For editors: each key typed as the step kind types it, or a `{{ param }}` placeholder. */
function withTypes(def: StepDef): z.ZodType<Record<string, unknown>> {
  const placeholder = z
    .string()
    .regex(/\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}/)
    .describe('a {{ param }} placeholder, filled from --var');
  const { shape } = def.params({ regions: [] });
  return z.strictObject(Object.fromEntries(Object.entries(shape).map(([k, f]) => [k, z.union([f, placeholder])])));
}

function stepOf<K extends string>(def: StepDef<K>, withBlock: (def: StepDef) => z.ZodType<Record<string, unknown>>) {
  return z.strictObject({
    id: stepId,
    kind: z.literal(def.kind),
    with: withBlock(def).default({}).describe("the step's parameters; string values may use {{ param }}"),
    skipWhen,
  });
}

// One object per step kind, told apart by `kind`: the registry (src/steps/index.ts) is the list.
function stepUnion(withBlock: (def: StepDef) => z.ZodType<Record<string, unknown>>) {
  const [first, ...rest] = stepDefs.map((d) => stepOf(d, withBlock));
  return z.discriminatedUnion('kind', [first, ...rest], {
    error: (iss) => (iss.code === 'invalid_union' ? `unknown step kind ${JSON.stringify(iss.input)}: expected one of ${stepKinds.join(', ')}` : undefined),
  });
}

export const stepSchema = stepUnion(withKeys);

const stageOf = <S extends z.ZodType>(step: S) =>
  z.strictObject({
    name: z.string().min(1),
    parallel: z.boolean().default(false).describe('run the steps of this stage at the same time'),
    steps: z.array(step).min(1),
  });

export const stageSchema = stageOf(stepSchema);

const playbookOf = <S extends z.ZodType>(stage: S) =>
  z.strictObject({
    version: z.literal(1),
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes'),
    description: z.string().optional(),
    params: z.record(paramName, paramSchema).default({}),
    region: z
      .string()
      .optional()
      .describe('the region the run acts from (where the caller identity is read); an unplanned failover names its target, e.g. "{{ target }}"'),
    stages: z.array(stage).min(1),
  });

export const playbookSchema = playbookOf(stageSchema).superRefine((pb, ctx) => {
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
          ctx.addIssue({
            code: 'custom',
            path: [...where, 'with', ...path],
            message: `{{ ${name} }} is not a declared parameter (declared: ${Object.keys(pb.params).join(', ') || 'none'})`,
          });
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
  return z.toJSONSchema(playbookOf(stageOf(stepUnion(withTypes))), { io: 'input', unrepresentable: 'any' });
}
