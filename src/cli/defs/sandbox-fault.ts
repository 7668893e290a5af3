import type { CommandDef } from './types.js';

const load = () => import('../commands/sandbox-fault.js');

const where = 'Works on the --sandbox state file (under --state-dir), or on a running `mr sandbox serve` given with --endpoint-url.';

export const sandboxFaultDef: CommandDef = {
  name: 'fault',
  description: 'inject, list and clear faults in the sandbox (game days)',
  subcommands: [
    {
      name: 'add',
      description: 'inject a fault',
      subcommands: [
        {
          name: 'region-down',
          description: 'a whole region goes dark: calls to it get no answer, its application is unhealthy',
          args: [{ name: 'region', description: 'e.g. us-east-1', required: true }],
          load,
          handler: 'addRegionDown',
          helpText: where,
        },
        {
          name: 'unhealthy',
          description: "a region's application fails its health checks (its AWS APIs still answer)",
          args: [{ name: 'region', description: 'e.g. us-east-1', required: true }],
          load,
          handler: 'addUnhealthy',
          helpText: where,
        },
        {
          name: 'route53-down',
          description: 'the Route 53 control plane stops answering (DNS keeps serving)',
          load,
          handler: 'addRoute53Down',
          helpText: where,
        },
        {
          name: 'stranded-changes',
          description: 'Route 53 accepts the next change batches but never applies them (GetChange: NoSuchChange)',
          options: [{ flags: '--count <N>', description: 'how many change batches are stranded', default: '1' }],
          load,
          handler: 'addStrandedChanges',
          helpText: `${where} Models the changes stranded when Route 53 accelerated recovery moves its control plane.`,
        },
        {
          name: 'throttle',
          description: 'throttle a service above a request rate (AWS: Route 53 allows 5 per second)',
          args: [
            { name: 'service', description: 'route53', required: true },
            { name: 'rate', description: 'requests per second', required: true },
          ],
          load,
          handler: 'addThrottle',
          helpText: where,
        },
        {
          name: 'latency',
          description: 'answer calls late',
          args: [{ name: 'ms', description: 'real milliseconds added to each answer', required: true }],
          options: [{ flags: '--operation <Operation>', description: 'only this operation, e.g. GetChange (default: every call)' }],
          load,
          handler: 'addLatency',
          helpText: where,
        },
        {
          name: 'dns-lag',
          description: "the Aurora global writer endpoint's DNS answer follows the writer late (after a switchover it still names the old one)",
          args: [{ name: 'ms', description: 'simulated milliseconds it lags; a large value (86400000) freezes it', required: true }],
          load,
          handler: 'addDnsLag',
          helpText: where,
        },
        {
          name: 'image-missing',
          description: "a container image is missing from a region's ECR registry (replication did not deliver it)",
          args: [
            { name: 'region', description: 'e.g. eu-west-1', required: true },
            { name: 'repository', description: 'e.g. demo/api', required: true },
            { name: 'tag', description: 'e.g. 1.4.2', required: true },
          ],
          load,
          handler: 'addImageMissing',
          helpText: where,
        },
        {
          name: 'secret-unreplicated',
          description: 'a Secrets Manager secret has no replica in a region',
          args: [
            { name: 'region', description: 'e.g. eu-west-1', required: true },
            { name: 'secret', description: 'the secret name, e.g. demo/db-password', required: true },
          ],
          load,
          handler: 'addSecretUnreplicated',
          helpText: where,
        },
        {
          name: 'error',
          description: 'fail the next calls of an operation with an AWS error',
          args: [
            { name: 'service', description: 'route53, rds, elasticache, ecs, monitoring, sts, ecr, secretsmanager or iam', required: true },
            { name: 'Operation', description: 'e.g. FailoverGlobalCluster', required: true },
            { name: 'Code', description: 'e.g. InvalidGlobalClusterStateFault', required: true },
          ],
          options: [
            { flags: '--status <N>', description: 'HTTP status of the error answer, 400-599', default: '400' },
            { flags: '--count <N>', description: 'how many calls fail', default: '1' },
          ],
          load,
          handler: 'addError',
          helpText: where,
        },
      ],
    },
    { name: 'list', description: 'the faults in force, with their ids', load, handler: 'list', helpText: where },
    {
      name: 'clear',
      description: 'clear one fault by id (see list), or all of them',
      args: [{ name: 'id', description: 'e.g. region-down:us-east-1' }],
      options: [{ flags: '--all', description: 'clear every fault' }],
      load,
      handler: 'clear',
      helpText: where,
    },
  ],
};
