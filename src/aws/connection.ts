// What an adapter holds: a lazily created SDK client for one (service, region), and the two ways to call it.
// AWS source: every SDK v3 response carries $metadata.requestId, the x-amzn-RequestId header
// (https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/handling-exceptions.html); it is what the audit log records.
import { call } from './call.js';
import { type MutateOptions, type MutationCall, type MutationSink, sendMutation } from './mutation.js';
import type { MutationResult } from './types.js';

/** Per-call HTTP options, handed to client.send() as its second argument. */
export interface SendOptions {
  requestTimeout: number;
}

export interface Loaded<Sdk, Client> {
  sdk: Sdk;
  client: Client;
}

export interface Connection<Sdk, Client> {
  readonly service: string;
  readonly region: string;
  /** A read: bounded by the read timeout, so a region that does not answer fails fast. */
  read<T>(operation: string, fn: (sdk: Sdk, client: Client, options: SendOptions) => Promise<T>): Promise<T>;
  /**
   * A mutation, through the choke point (mutation.ts): `build` makes the SDK command, whose input the
   * intent records before `send` sends it (on the client that never retries), and the result records
   * the request id of its answer. A longer bound, because giving up on a call AWS may already have
   * accepted is worse than waiting.
   */
  mutate<Cmd extends { input: object }, T extends MutationResult>(
    sink: MutationSink,
    described: Omit<MutationCall, 'input' | 'service' | 'region' | 'operation'> & { operation: string },
    build: (sdk: Sdk) => Cmd,
    send: (client: Client, command: Cmd, options: SendOptions) => Promise<T>,
    opts?: MutateOptions<T>,
  ): Promise<T>;
}

/** Which client a call goes through: reads keep the SDK's retries, mutations are sent once. */
export type CallPath = 'read' | 'mutate';

export function makeConnection<Sdk, Client>(
  service: string,
  region: string,
  load: (path: CallPath) => Promise<Loaded<Sdk, Client>>,
  timeouts: { readMs: number; mutationMs: number },
): Connection<Sdk, Client> {
  const run = async <T>(operation: string, path: CallPath, timeoutMs: number, fn: (sdk: Sdk, client: Client, options: SendOptions) => Promise<T>) =>
    call(service, region, operation, async () => {
      const { sdk, client } = await load(path);
      return fn(sdk, client, { requestTimeout: timeoutMs });
    });
  return {
    service,
    region,
    read: (operation, fn) => run(operation, 'read', timeouts.readMs, fn),
    mutate: (sink, described, build, send, opts) =>
      sendMutation(
        sink,
        // The service and region are this connection's: the client the command goes through.
        { service: service as MutationCall['service'], region, ...described },
        async () => {
          const { sdk, client } = await call(service, region, described.operation, () => load('mutate'));
          const command = build(sdk);
          return {
            input: command.input,
            send: () => call(service, region, described.operation, () => send(client, command, { requestTimeout: timeouts.mutationMs })),
          };
        },
        opts,
      ),
  };
}

/** The request id of a successful SDK response, for the audit log. */
export function requestIdOf(output: { $metadata?: { requestId?: string } }): string | undefined {
  return output.$metadata?.requestId;
}

/** Dates from the SDK become ISO-8601 strings; the domain types carry no Date objects. */
export function isoOf(value: Date | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return value instanceof Date ? value.toISOString() : value;
}
