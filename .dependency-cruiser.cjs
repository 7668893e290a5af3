// The layering of ../shared/DESIGN.md, checked by `npm run lint:deps` (part of `npm test`).
//
//   cli -> playbooks -> engine | inspect -> steps -> aws -> io | config | audit -> util
//   cli -> readiness -> inspect (mr check and mr iam-policy)
//
// Arrows point down only; a layer may skip layers below it (the sandbox is checked by its own
// two rules, so each wrong import reports one rule). engine and inspect are peers and do
// not import each other. io, config and audit are leaves: they import only src/util and the error
// vocabulary in src/io/errors.ts (every layer may throw a UsageError and get exit 2). src/util
// imports nothing of src. The sandbox is a separate program that shares only the leaves: it
// imports nothing of the CLI's layers (so a wrong reading of AWS in src/aws cannot be echoed by
// the sandbox and pass), and only the CLI imports it. Only src/aws and src/sandbox import the SDK.
//
// Type-only imports count (tsPreCompilationDeps): a type is part of the contract between layers.

/** A path regex for these folders of src/. */
const under = (...folders) => `^src/(${folders.join('|')})/`;

const ERRORS = '^src/io/errors\\.ts$';

/** One rule: `from` may not import `to` (except the error vocabulary, which every layer may use). */
const forbid = (name, comment, from, to) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from },
  to: { path: to, pathNot: ERRORS },
});

module.exports = {
  forbidden: [
    forbid(
      'aws-not-up',
      'src/aws is the bottom of the CLI: it imports only the leaves and the SDK',
      under('aws'),
      under('cli', 'playbooks', 'engine', 'inspect', 'steps', 'readiness'),
    ),
    forbid(
      'steps-not-up',
      'steps import aws and the leaves; the contract they implement lives in src/steps',
      under('steps'),
      under('cli', 'playbooks', 'engine', 'inspect', 'readiness'),
    ),
    forbid(
      'engine-not-up',
      'the engine runs steps; it does not know the CLI, playbook files or inspect',
      under('engine'),
      under('cli', 'playbooks', 'inspect'),
    ),
    forbid(
      'inspect-not-up',
      'inspect gathers and judges state; it does not know the CLI, playbooks or the engine',
      under('inspect'),
      under('cli', 'playbooks', 'engine', 'readiness'),
    ),
    forbid(
      'readiness-not-up',
      'readiness (mr check, mr iam-policy) builds on inspect; it does not know the CLI, playbooks or the engine',
      under('readiness'),
      under('cli', 'playbooks', 'engine'),
    ),
    forbid('playbooks-not-up', 'playbooks compile files into a run spec for the engine; only the CLI is above them', under('playbooks'), under('cli')),
    forbid(
      'leaves-import-leaves-only',
      'io, config and audit are leaves: only src/util and src/io/errors.ts below them',
      under('io', 'config', 'audit'),
      under('cli', 'playbooks', 'engine', 'inspect', 'steps', 'aws'),
    ),
    {
      name: 'leaves-not-sideways',
      comment: 'one leaf does not import another (src/io/errors.ts excepted)',
      severity: 'error',
      from: { path: under('io', 'config', 'audit') },
      to: { path: under('io', 'config', 'audit'), pathNot: ['^src/$1/', ERRORS] },
    },
    {
      name: 'util-imports-nothing',
      comment: 'src/util is below every layer, so it imports nothing of src',
      severity: 'error',
      from: { path: under('util') },
      to: { path: '^src/', pathNot: under('util') },
    },
    forbid(
      'sandbox-separate',
      'the sandbox shares only the leaves with the CLI (io, util, config, audit)',
      under('sandbox'),
      under('cli', 'playbooks', 'engine', 'inspect', 'steps', 'aws'),
    ),
    {
      name: 'only-cli-imports-sandbox',
      comment: 'the CLI loads the sandbox behind --sandbox and `mr sandbox`; nothing else in src knows it',
      severity: 'error',
      from: { path: '^src/', pathNot: under('cli', 'sandbox') },
      to: { path: under('sandbox') },
    },
    {
      name: 'sdk-only-in-aws',
      comment: 'nothing outside src/aws and src/sandbox imports the AWS SDK (types included)',
      severity: 'error',
      from: { path: '^src/', pathNot: under('aws', 'sandbox') },
      to: { path: 'node_modules/@(aws-sdk|smithy)/' },
    },
    {
      name: 'no-circular',
      comment: 'no import circles, within a folder or across folders',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-unresolvable',
      comment: 'an import the checker cannot resolve would slip past every rule above',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
