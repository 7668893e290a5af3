// `mr iam-policy [--for read|failover] [--json]`: the least-privilege policy for the topology.
import { ExitCode, UsageError } from '../../io/errors.js';
import { principalOf } from '../../aws/iam.js';
import { policyDocument, policyStatements, readScalableTargets, type PolicyPurpose } from '../../readiness/policy.js';
import type { CommandHandler } from '../types.js';

export const iamPolicy: CommandHandler = async (ctx, _args, opts) => {
  const purpose = (opts.for ?? 'failover') as string;
  if (purpose !== 'read' && purpose !== 'failover') throw new UsageError(`--for must be read or failover (got "${purpose}")`);
  const topology = await ctx.loadTopology();
  const aws = await ctx.aws({ requestTimeoutMs: topology.timeouts.readMs });
  const [me, scalableTargets] = await Promise.all([aws.sts().callerIdentity(), readScalableTargets(topology, aws)]);
  const inputs = { topology, account: me.account, principalArn: principalOf(me.arn), scalableTargets };
  const policy = policyDocument(inputs, purpose as PolicyPurpose);
  const explained = policyStatements(inputs).filter((s) => purpose === 'failover' || s.purpose === 'read');
  ctx.io.resultJson({
    version: 1,
    for: purpose,
    account: me.account,
    policy,
    statements: explained.map(({ Sid, purpose: p, why }) => ({ Sid, purpose: p, why })),
  });
  if (!ctx.io.json) {
    for (const s of explained) ctx.io.info(`${s.Sid} (${s.purpose}): ${s.why}`);
    ctx.io.result(JSON.stringify(policy, null, 2));
  }
  return ExitCode.Ok;
};
