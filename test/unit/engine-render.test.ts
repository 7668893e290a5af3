import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { renderPlan } from '../../src/engine/render/plan.js';
import { renderSummary } from '../../src/engine/render/summary.js';
import { StageProgress } from '../../src/engine/progress.js';
import { plan, step } from '../helpers/engine-fixtures.js';
import { recordingIo } from '../helpers/recording-io.js';

const style = recordingIo().style;
const p = plan(
  [
    {
      name: 'prepare',
      parallel: true,
      steps: [
        step('scale-api', {
          title: 'Scale demo-euw1/api',
          changes: [{ resource: 'ecs demo-euw1/api', attribute: 'desiredCount', from: 2, to: 6, risk: 'safe' }],
        }),
        step('scale-worker', { title: 'Scale demo-euw1/worker', noop: true, changes: [] }),
      ],
    },
    {
      name: 'switch',
      parallel: false,
      steps: [
        step('switch-db', {
          kind: 'aurora.switchover',
          title: 'Switch over Aurora demo-global to eu-west-1',
          changes: [{ resource: 'aurora global cluster demo-global', attribute: 'writer', from: 'us-east-1', to: 'eu-west-1', risk: 'disruptive' }],
          checks: [
            { name: 'members in sync', passed: true, message: 'all members connected' },
            {
              name: 'target lag under bound',
              passed: false,
              observed: 2400,
              bound: 1000,
              message: 'eu-west-1 lag 2400 ms is above the bound 1000 ms',
              override: '--skip-lag-check',
            },
          ],
        }),
      ],
    },
  ],
  { command: 'failover eu-west-1', playbook: 'failover' },
);

describe('plan rendering', () => {
  test('plain text: one fact per line', () => {
    assert.equal(
      renderPlan(p, { style, table: false }),
      [
        'Plan 20261121T071600Z-abcdef for demo: failover eu-west-1 (playbook failover)',
        'stage prepare (parallel)',
        '  step scale-api (ecs.scale): Scale demo-euw1/api',
        '    change ecs demo-euw1/api desiredCount: 2 -> 6 [safe]',
        '  step scale-worker (ecs.scale): Scale demo-euw1/worker - no-op (already done)',
        'stage switch',
        '  step switch-db (aurora.switchover): Switch over Aurora demo-global to eu-west-1',
        '    change aurora global cluster demo-global writer: us-east-1 -> eu-west-1 [disruptive]',
        '    check ✓ members in sync: all members connected',
        '    check ✗ target lag under bound: eu-west-1 lag 2400 ms is above the bound 1000 ms (observed 2400, bound 1000) [override: --skip-lag-check]',
        `fingerprint ${p.fingerprint}`,
      ].join('\n'),
    );
  });

  // Issue 11 item 6: the summary first, changes per stage fitting 80 columns (wrapped between words),
  // passed checks collapsed to one line per step, failed checks in full.
  test('table: summary first, changes per stage within 80 columns, passed checks collapsed', () => {
    const text = renderPlan(p, { style, table: true });
    assert.equal(
      text,
      [
        'failover us-east-1 -> eu-west-1: 2 changes (1 disruptive, 0 data loss) in 2',
        'stages',
        'Plan 20261121T071600Z-abcdef for demo: failover eu-west-1 (playbook failover)',
        '',
        'Stage prepare (parallel)',
        '  scale-api     Scale demo-euw1/api',
        '                ecs demo-euw1/api desiredCount: 2 -> 6                safe',
        '  scale-worker  Scale demo-euw1/worker - no-op (already done)',
        '',
        'Stage switch',
        '  switch-db     Switch over Aurora demo-global to eu-west-1',
        '                aurora global cluster demo-global writer: us-east-1',
        '                -> eu-west-1                                          disruptive',
        '                ✓ 1 check passed (-v lists them)',
        '                ✗ target lag under bound: eu-west-1 lag 2400 ms is above the',
        '                bound 1000 ms (observed 2400, bound 1000) [override:',
        '                --skip-lag-check]',
        '',
        `fingerprint ${p.fingerprint}`,
      ].join('\n'),
    );
    assert.ok(text.split('\n').every((l) => l.length <= 80 || l.startsWith('fingerprint')));
    // Wider terminal: the change fits on one line.
    assert.match(renderPlan(p, { style, table: true, columns: 160 }), /aurora global cluster demo-global writer: us-east-1 -> eu-west-1 +disruptive/);
    // -v: every check listed.
    assert.match(renderPlan(p, { style, table: true, verbose: true }), /✓ members in sync: all members connected/);
  });
});

describe('summary rendering', () => {
  test('each step with its outcome and duration, the run id and where the records are', () => {
    const text = renderSummary(
      {
        runId: '20261121T071600Z-abcdef',
        outcome: 'partial',
        steps: [
          { id: 'scale-api', kind: 'ecs.scale', stage: 'capacity', status: 'succeeded', durationMs: 20500, mutations: 1 },
          { id: 'scale-worker', kind: 'ecs.scale', stage: 'capacity', status: 'skipped', mutations: 0 },
          {
            id: 'switch-db',
            kind: 'aurora.switchover',
            stage: 'data',
            status: 'failed',
            durationMs: 750,
            mutations: 1,
            error: 'rds SwitchoverGlobalCluster in us-east-1: InvalidGlobalClusterStateFault: busy',
          },
          { id: 'shift', kind: 'route53.shift', stage: 'traffic', status: 'pending', mutations: 0 },
        ],
        auditLog: '/state/audit/demo.ndjson',
        runRecord: '/state/runs/20261121T071600Z-abcdef.json',
      },
      style,
    );
    assert.equal(
      text,
      [
        '✓ scale-api     ecs.scale          succeeded               20.5s',
        '- scale-worker  ecs.scale          skipped (already done)',
        '✗ switch-db     aurora.switchover  failed                  750ms',
        '    rds SwitchoverGlobalCluster in us-east-1: InvalidGlobalClusterStateFault: busy',
        '· shift         route53.shift      not run',
        'run 20261121T071600Z-abcdef: stopped part way; resumable',
        'audit log: /state/audit/demo.ndjson',
        'run record: /state/runs/20261121T071600Z-abcdef.json',
      ].join('\n'),
    );
  });
});

describe('stage progress', () => {
  test('on a terminal: one spinner line per step, cut to the screen width; a lone step has no mark of its own', () => {
    const io = recordingIo({ interactive: true });
    let t = 0;
    const progress = new StageProgress(io, 'db', [step('switch-db', { title: 'Switch over Aurora demo-global to eu-west-1' })], () => t);
    progress.start('switch-db');
    t = 1500;
    progress.detail('switch-db', 'writer us-east-1, status switching-over, pending to eu-west-1, '.repeat(3));
    t = 62_000;
    progress.end('switch-db', 'succeeded');
    progress.finish();
    const texts = io.log.flatMap((r) => (r.kind === 'spinner' && r.text ? [`${r.event}: ${r.text}`] : []));
    assert.equal(texts[0], 'start: Switch over Aurora demo-global to eu-west-1');
    assert.equal(texts[1], 'update: Switch over Aurora demo-global to eu-west-1 0ms');
    assert.match(texts[2], /^update: Switch over Aurora demo-global to eu-west-1 1\.5s {2}writer us-east-1, status switching-over, pendin…$/);
    assert.equal(texts[2].length - 'update: '.length, 98);
    assert.match(texts.at(-1)!, /^succeed: Switch over Aurora demo-global to eu-west-1 1m02s {2}writer/);
  });

  test('piped: a line when a step starts, when its detail changes, and when it ends', () => {
    const io = recordingIo();
    let t = 0;
    const progress = new StageProgress(io, 'prepare', [step('a', { title: 'Scale a' }), step('b', { title: 'Scale b' })], () => t);
    progress.start('a');
    progress.start('b');
    progress.detail('a', 'running 1/6');
    progress.detail('a', 'running 1/6');
    t = 2000;
    progress.end('a', 'succeeded');
    progress.end('b', 'failed', 'ServiceNotActiveException');
    progress.finish();
    assert.deepEqual(io.log, [
      { kind: 'info', text: '▸ Scale a' },
      { kind: 'info', text: '▸ Scale b' },
      { kind: 'info', text: '  a: running 1/6' },
      { kind: 'success', text: 'Scale a (2.0s)' },
      { kind: 'error', text: 'Scale b (2.0s): ServiceNotActiveException' },
    ]);
  });
});
