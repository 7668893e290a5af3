// Who is running: the STS caller ARN (the identity CloudTrail will show), the OS user and host.
import { hostname, userInfo } from 'node:os';
import type { Aws, Region } from '../aws/types.js';
import { isAwsCallError } from '../aws/errors.js';
import type { Actor } from '../audit/types.js';

/**
 * STS is called in `region`, never elsewhere, so a run that avoids a failed region stays away from
 * it. When STS does not answer, the run still proceeds (its calls will carry the same credentials
 * into CloudTrail); the actor says why its ARN is missing.
 */
export async function resolveActor(aws: Aws, region: Region): Promise<Actor> {
  let arn: string;
  try {
    arn = (await aws.sts(region).callerIdentity()).arn;
  } catch (e) {
    arn = `unknown (${isAwsCallError(e) ? e.code : (e as Error).message})`;
  }
  return { arn, osUser: osUser(), host: hostname() };
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}
