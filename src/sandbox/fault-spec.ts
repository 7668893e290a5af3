// The shapes of a fault as an operator asks for it and as the sandbox lists and logs it: their own
// module, so the sandbox's state types (types.ts) and the fault list (fault-list.ts) do not import each other.
import { z } from 'zod';

/** What an operator asks to inject (it arrives as JSON at the control endpoint: checked here). */
export const faultSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('region-down'), region: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('unhealthy'), region: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('route53-down') }).strict(),
  z.object({ kind: z.literal('stranded-changes'), count: z.number().int().min(1).optional() }).strict(),
  z.object({ kind: z.literal('throttle'), service: z.literal('route53'), rate: z.number().positive() }).strict(),
  z.object({ kind: z.literal('latency'), ms: z.number().int().positive(), operation: z.string().min(1).optional() }).strict(),
  // The Aurora global writer endpoint's DNS answer lags the writer by `ms` simulated ms (a large value freezes it).
  z.object({ kind: z.literal('dns-lag'), ms: z.number().int().positive() }).strict(),
  z.object({ kind: z.literal('image-missing'), region: z.string().min(1), repository: z.string().min(1), tag: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('secret-unreplicated'), region: z.string().min(1), secret: z.string().min(1) }).strict(),
  z
    .object({
      kind: z.literal('error'),
      service: z.string().min(1),
      operation: z.string().regex(/^[A-Z][A-Za-z0-9]*$/, 'an operation name such as FailoverGlobalCluster'),
      code: z.string().regex(/^[A-Za-z][A-Za-z0-9.]*$/, 'an error code such as ThrottlingException'),
      // The sandbox answers injected errors with a 4xx or 5xx status (world-schema's injectedErrorSchema).
      status: z.number().int().min(400).max(599).optional(),
      count: z.number().int().min(1).optional(),
    })
    .strict(),
]);
export type FaultSpec = z.infer<typeof faultSpecSchema>;

export interface FaultItem {
  id: string;
  kind: FaultSpec['kind'];
  /** One line for people, e.g. "us-east-1 is down (every call to it gets no answer)". */
  description: string;
  /** Simulated ms since when it holds, where the sandbox keeps that. */
  since?: number;
}

/** One change to the fault list, kept in the state so a run's report can show what was injected when. */
export interface FaultEvent {
  action: 'added' | 'cleared';
  id: string;
  description: string;
  /** Simulated ms. */
  at: number;
  /** Real epoch ms (run records use real time). */
  realAt: number;
}
