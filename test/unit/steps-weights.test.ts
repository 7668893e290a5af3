import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { allZero, between, firstAllZero, gainingRegions, parseWeightsText, stepsProblem, subSteps, targetWeights } from '../../src/steps/weights.js';
import { judgeHealth } from '../../src/steps/health.js';

const A = 'us-east-1';
const B = 'eu-west-1';
const C = 'us-west-2';

describe('targetWeights', () => {
  test('--to moves the whole group total to one region', () => {
    assert.deepEqual(targetWeights({ [A]: 100, [B]: 0, [C]: 0 }, { to: B }), { [A]: 0, [B]: 100, [C]: 0 });
  });
  test('--to on a mixed group keeps the group total', () => {
    assert.deepEqual(targetWeights({ [A]: 30, [B]: 20, [C]: 10 }, { to: C }), { [A]: 0, [B]: 0, [C]: 60 });
  });
  test('--to caps the total at 255 and gives an all-zero group 100', () => {
    assert.deepEqual(targetWeights({ [A]: 200, [B]: 200 }, { to: A }), { [A]: 255, [B]: 0 });
    assert.deepEqual(targetWeights({ [A]: 0, [B]: 0 }, { to: B }), { [A]: 0, [B]: 100 });
  });
  test('--weights sets the named regions and keeps the others', () => {
    assert.deepEqual(targetWeights({ [A]: 100, [B]: 0, [C]: 5 }, { weights: { [A]: 0, [B]: 100 } }), { [A]: 0, [B]: 100, [C]: 5 });
  });
});

describe('never all zero', () => {
  test('allZero', () => {
    assert.equal(allZero({ [A]: 0, [B]: 0 }), true);
    assert.equal(allZero({ [A]: 0, [B]: 1 }), false);
  });
  test('firstAllZero names the group and the percent', () => {
    const from = { g1: { [A]: 100, [B]: 0 }, g2: { [A]: 100, [B]: 0 } };
    const to = { g1: { [A]: 0, [B]: 100 }, g2: { [A]: 0, [B]: 0 } };
    const steps = subSteps(from, to, [50, 100]);
    assert.deepEqual(firstAllZero(steps), { key: 'g2', percent: 100 });
  });
  test('records outside the topology with weight keep a group from being all zero', () => {
    const steps = subSteps({ g: { [A]: 100 } }, { g: { [A]: 0 } }, [100]);
    assert.deepEqual(firstAllZero(steps), { key: 'g', percent: 100 });
    assert.equal(firstAllZero(steps, { g: 10 }), null);
  });
});

describe('stepped shifts', () => {
  test('between rounds per region and lands exactly on the target at 100', () => {
    assert.deepEqual(between({ [A]: 100, [B]: 0 }, { [A]: 0, [B]: 100 }, 10), { [A]: 90, [B]: 10 });
    assert.deepEqual(between({ [A]: 7, [B]: 0 }, { [A]: 0, [B]: 7 }, 50), { [A]: 4, [B]: 4 });
    assert.deepEqual(between({ [A]: 7, [B]: 0 }, { [A]: 0, [B]: 7 }, 100), { [A]: 0, [B]: 7 });
  });
  test('subSteps gives one sub-step per percent and drops ones that change nothing', () => {
    const from = { g: { [A]: 100, [B]: 0 } };
    const to = { g: { [A]: 0, [B]: 100 } };
    const s = subSteps(from, to, [10, 50, 100]);
    assert.deepEqual(
      s.map((x) => x.percent),
      [10, 50, 100],
    );
    assert.deepEqual(
      s.map((x) => x.groups.g[B]),
      [10, 50, 100],
    );
    const tiny = subSteps({ g: { [A]: 1, [B]: 0 } }, { g: { [A]: 0, [B]: 1 } }, [10, 20, 100]);
    assert.deepEqual(
      tiny.map((x) => x.percent),
      [100],
    );
  });
  test('subSteps of a shift already at its target is empty (a no-op)', () => {
    assert.deepEqual(subSteps({ g: { [A]: 0, [B]: 100 } }, { g: { [A]: 0, [B]: 100 } }, [10, 100]), []);
  });
  test('stepsProblem accepts increasing percents ending at 100 and names what is wrong', () => {
    assert.equal(stepsProblem([10, 50, 100]), null);
    assert.equal(stepsProblem([100]), null);
    assert.match(stepsProblem([10, 50]) ?? '', /last percentage must be 100/);
    assert.match(stepsProblem([50, 10, 100]) ?? '', /must increase/);
    assert.match(stepsProblem([0, 100]) ?? '', /1 to 100/);
    assert.match(stepsProblem([10.5, 100]) ?? '', /whole number/);
  });
  test('gainingRegions lists only the regions whose weight grows', () => {
    assert.deepEqual(gainingRegions({ g: { [A]: 100, [B]: 0, [C]: 0 } }, { g: { [A]: 0, [B]: 100, [C]: 0 } }), [B]);
  });
});

describe('text and durations', () => {
  test('parseWeightsText', () => {
    assert.deepEqual(parseWeightsText('us-east-1=0, eu-west-1=100'), { [A]: 0, [B]: 100 });
    assert.match(parseWeightsText('us-east-1') as string, /not region=weight/);
    assert.match(parseWeightsText('us-east-1=1,us-east-1=2') as string, /twice/);
    assert.match(parseWeightsText('') as string, /no region=weight/);
  });
});

describe('health verdict', () => {
  const obs = (ok: number, bad: number) => [
    ...Array.from({ length: ok }, () => ({ checkerRegion: 'us-east-1', status: 'Success: HTTP Status Code 200', healthy: true })),
    ...Array.from({ length: bad }, () => ({ checkerRegion: 'eu-west-1', status: 'Failure: timeout', healthy: false })),
  ];
  test('healthy when more than 18% of checkers report success', () => {
    assert.equal(judgeHealth(B, 'hc', obs(2, 8)).healthy, true); // 20%
    assert.equal(judgeHealth(B, 'hc', obs(1, 7)).healthy, false); // 12.5%
    assert.equal(judgeHealth(B, 'hc', obs(0, 0)).healthy, false);
    assert.match(judgeHealth(B, 'hc', obs(2, 8)).summary, /2 of 10 checkers/);
  });
});
