// Debian's AWS CLI v2 (a client nobody here wrote) against `mr sandbox serve` on an ephemeral port.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { startMr, waitForOutput } from './run-mr.js';

export const AWS_CLI = '/usr/bin/aws';
/** For `{ skip: awsCliSkip }`: a message where /usr/bin/aws is missing, false where it is there. */
export const awsCliSkip: string | false = existsSync(AWS_CLI) ? false : `${AWS_CLI} is missing (apt-get install awscli); CI installs it`;

const exec = promisify(execFile);

/** An environment in which the AWS CLI reads no profile, pager or endpoint of the machine's own. */
export function awsCliEnv(stateDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_STATE_HOME: stateDir,
    AWS_ACCESS_KEY_ID: 'AKIDAWSCLITEST',
    AWS_SECRET_ACCESS_KEY: 'sandbox-secret',
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    AWS_PAGER: '',
  };
  delete env.AWS_ENDPOINT_URL;
  delete env.AWS_PROFILE;
  return env;
}

/** `aws --endpoint-url <endpoint> --output json route53 <args>`, parsed. */
export function awsRoute53(endpoint: string, env: NodeJS.ProcessEnv) {
  return async (...args: string[]) => JSON.parse((await exec(AWS_CLI, ['--endpoint-url', endpoint, '--output', 'json', 'route53', ...args], { env })).stdout);
}

/** `mr sandbox serve --port 0 [extra]`, resolved once it prints its endpoint; `stop()` ends it. */
export async function serveSandbox(extra: string[], env: NodeJS.ProcessEnv): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  const serve = startMr(['sandbox', 'serve', '--port', '0', ...extra], { env: { XDG_STATE_HOME: env.XDG_STATE_HOME }, killAfterMs: 900_000 });
  const listening = /listening on (http:\/\/127\.0\.0\.1:\d+)/;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`mr sandbox serve printed no endpoint in 30 s: ${serve.output()}`)), 30_000);
  });
  try {
    await Promise.race([waitForOutput(serve, (out) => listening.test(out)), late]);
  } catch (e) {
    serve.child.kill('SIGKILL');
    throw e;
  } finally {
    clearTimeout(timer);
  }
  const stop = async () => {
    serve.child.kill('SIGINT');
    await serve.done;
  };
  return { endpoint: listening.exec(serve.output())![1]!, stop };
}
