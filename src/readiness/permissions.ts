// Whether the caller may do what a failover does: iam:SimulatePrincipalPolicy over the failover policy
// (policy.ts). When the simulation itself is denied or fails, that is "could not check", never a pass.
import { principalOf } from '../aws/iam.js';
import { policyStatements } from './policy.js';
import { anyScalableTarget } from './capacity.js';
import type { ReadinessFinding, ReadinessKind } from './types.js';

export const permissionsKind: ReadinessKind = {
  name: 'permissions',
  applies: () => true,
  async check(ctx, target) {
    const principal = principalOf(ctx.callerArn);
    const result = await ctx.memo('permissions', async () => {
      const scalableTargets = await anyScalableTarget(ctx);
      const statements = policyStatements({ topology: ctx.topology, account: ctx.account, principalArn: principal, scalableTargets }).filter(
        (s) => s.Sid !== 'CheckOwnPermissions',
      );
      const actions = [...new Set(statements.flatMap((s) => s.Action))].sort();
      const resources = [...new Set(statements.flatMap((s) => s.Resource))].sort();
      // One simulation for every (action, resource) pair; only the pairs the policy grants are judged.
      const wanted = new Set(statements.flatMap((s) => s.Action.flatMap((a) => s.Resource.map((r) => `${a} ${r}`))));
      try {
        const decisions = await ctx.aws.iam().simulatePrincipalPolicy(principal, actions, resources);
        const denied = decisions.filter((d) => wanted.has(`${d.action} ${d.resource}`) && d.decision !== 'allowed');
        return { ok: true as const, denied };
      } catch (e) {
        return { ok: false as const, error: (e as Error).message };
      }
    });
    if (!result.ok) {
      return [
        {
          target,
          resource: `permissions of ${principal}`,
          problem: `could not check: ${result.error}`,
          fix: 'allow iam:SimulatePrincipalPolicy on this principal (mr iam-policy --for read)',
          kind: 'could-not-check',
        },
      ];
    }
    // Group the denials per action: one line each, naming the resources.
    const byAction = new Map<string, { resources: string[]; decision: string }>();
    for (const d of result.denied) {
      const entry = byAction.get(d.action) ?? { resources: [], decision: d.decision };
      entry.resources.push(d.resource);
      byAction.set(d.action, entry);
    }
    return [...byAction.entries()].map(([action, d]): ReadinessFinding => ({
      target,
      resource: `permission ${action}`,
      problem: `${principal} may not call it (${d.decision === 'explicitDeny' ? 'explicitly denied' : 'not allowed'}) on ${d.resources.join(', ')}`,
      fix: 'grant it (mr iam-policy --for failover prints the policy)',
      kind: 'not-ready',
    }));
  },
};
