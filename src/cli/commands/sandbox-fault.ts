// mr sandbox fault add|list|clear: game-day faults, on the --sandbox state file or a running
// `mr sandbox serve` (--endpoint-url). Parses the words into a fault; the sandbox checks it
// against its world (unknown region, unknown id: exit 2).
import { UsageError } from '../../io/errors.js';
import type { FaultItem, FaultSpec } from '../../sandbox/fault-list.js';
import type { FaultControl } from '../../sandbox/fault-control.js';
import type { CommandContext, CommandHandler } from '../types.js';
import { checkEndpointUrl, sandboxWorld } from '../context.js';
import { sandboxStatePath } from '../../sandbox/bundled.js';

async function target(ctx: CommandContext): Promise<FaultControl> {
  const { stateFileFaults, endpointFaults } = await import('../../sandbox/fault-control.js');
  if (ctx.globals.sandbox) {
    const world = sandboxWorld(ctx.globals);
    return stateFileFaults(sandboxStatePath(ctx.stateDir, world.name), world.world);
  }
  const endpoint = checkEndpointUrl(ctx.globals.endpointUrl);
  if (endpoint) return endpointFaults(endpoint);
  throw new UsageError('mr sandbox fault needs --sandbox (the in-process sandbox) or --endpoint-url <url of mr sandbox serve>');
}

function count(what: string, text: string | undefined, opts: { min: number; max?: number; integer: boolean }): number {
  const n = Number(text);
  const ok =
    text !== undefined &&
    text.trim() !== '' &&
    Number.isFinite(n) &&
    n >= opts.min &&
    (opts.max === undefined || n <= opts.max) &&
    (!opts.integer || Number.isInteger(n));
  if (!ok) {
    const range = opts.max === undefined ? `at least ${opts.min}` : `${opts.min}-${opts.max}`;
    throw new UsageError(`Invalid ${what} ${JSON.stringify(text ?? '')}: expected ${opts.integer ? 'a whole number' : 'a number'}, ${range}`);
  }
  return n;
}

function render(ctx: CommandContext, items: FaultItem[], headline: string): number {
  if (ctx.io.json) {
    ctx.io.resultJson({ faults: items });
    return 0;
  }
  const lines = items.length
    ? items.map((i) => `  ${i.id.padEnd(Math.max(...items.map((x) => x.id.length)))}  ${i.description}`)
    : ['  (no faults: the sandbox world is healthy)'];
  ctx.io.result([headline, ...lines].join('\n'));
  return 0;
}

function adder(build: (args: string[], opts: Record<string, unknown>) => FaultSpec): CommandHandler {
  return async (ctx, args, opts) => {
    const spec = build(args, opts);
    const control = await target(ctx);
    const items = await control.add(spec);
    return render(ctx, items, `Fault added (${control.where}). Faults now:`);
  };
}

export const addRegionDown = adder((a) => ({ kind: 'region-down', region: a[0]! }));
export const addUnhealthy = adder((a) => ({ kind: 'unhealthy', region: a[0]! }));
export const addRoute53Down = adder(() => ({ kind: 'route53-down' }));
export const addStrandedChanges = adder((_a, o) => ({
  kind: 'stranded-changes',
  count: count('--count', String(o.count ?? '1'), { min: 1, max: 1_000, integer: true }),
}));
export const addThrottle = adder((a) => {
  if (a[0] !== 'route53')
    throw new UsageError(`Invalid service ${JSON.stringify(a[0] ?? '')} to throttle: only route53 (the sandbox models its account-wide rate limit)`);
  return { kind: 'throttle', service: 'route53', rate: count('rate', a[1], { min: 0.1, integer: false }) };
});
export const addLatency = adder((a, o) => {
  const op = typeof o.operation === 'string' ? o.operation : undefined;
  if (op !== undefined && !/^[A-Z][A-Za-z0-9]*$/.test(op))
    throw new UsageError(`Invalid --operation ${JSON.stringify(op)}: expected an operation name such as GetChange`);
  return { kind: 'latency', ms: count('latency', a[0], { min: 1, max: 600_000, integer: true }), ...(op ? { operation: op } : {}) };
});
export const addDnsLag = adder((a) => ({ kind: 'dns-lag', ms: count('lag', a[0], { min: 1, max: 31_536_000_000, integer: true }) }));
export const addImageMissing = adder((a) => ({ kind: 'image-missing', region: a[0]!, repository: a[1]!, tag: a[2]! }));
export const addSecretUnreplicated = adder((a) => ({ kind: 'secret-unreplicated', region: a[0]!, secret: a[1]! }));
export const addError = adder((a, o) => {
  const [service, operation, code] = a as [string, string, string];
  if (!/^[A-Z][A-Za-z0-9]*$/.test(operation))
    throw new UsageError(`Invalid Operation ${JSON.stringify(operation)}: expected an operation name such as FailoverGlobalCluster`);
  if (!/^[A-Za-z][A-Za-z0-9.]*$/.test(code))
    throw new UsageError(`Invalid Code ${JSON.stringify(code)}: expected an AWS error code such as ThrottlingException`);
  return {
    kind: 'error',
    service,
    operation,
    code,
    status: count('--status', String(o.status ?? '400'), { min: 400, max: 599, integer: true }),
    count: count('--count', String(o.count ?? '1'), { min: 1, max: 1_000_000, integer: true }),
  };
});

export const list: CommandHandler = async (ctx) => {
  const control = await target(ctx);
  return render(ctx, await control.list(), `Faults in force (${control.where}):`);
};

export const clear: CommandHandler = async (ctx, args, opts) => {
  const id = args[0];
  if (opts.all === true && id) throw new UsageError('mr sandbox fault clear: give a fault id or --all, not both');
  if (opts.all !== true && !id) throw new UsageError('mr sandbox fault clear: give a fault id (see mr sandbox fault list) or --all');
  const control = await target(ctx);
  const items = await control.clear(opts.all === true ? null : id!);
  return render(ctx, items, `${opts.all === true ? 'Every fault cleared' : `Fault ${id} cleared`} (${control.where}). Faults now:`);
};
