import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { awsRegionNames, unknownRegions } from '../../src/aws/regions.js';
import { closest, didYouMean } from '../../src/util/closest.js';

describe('region names from the SDK partition table', () => {
  test('the table is read from the SDK and holds every partition', async () => {
    const names = await awsRegionNames();
    assert.ok(names, 'the SDK partition table was found');
    for (const r of ['us-east-1', 'eu-west-1', 'ap-southeast-1', 'cn-north-1', 'us-gov-west-1']) assert.ok(names.has(r), r);
    assert.ok(names.size > 30, `${names.size} regions`);
  });

  test('a typo is named with the nearest region; a name near none may be newer than the SDK', async () => {
    assert.deepEqual(await unknownRegions(['us-east-1', 'eu-west-1']), []);
    const [typo, far] = await unknownRegions(['us-esat-1', 'zz-nowhere-9']);
    assert.equal(typo!.near, 'us-east-1');
    assert.equal(typo!.message, '"us-esat-1" is not an AWS region; did you mean us-east-1?');
    assert.equal(far!.near, undefined);
    assert.match(far!.message, /not a region this version of mr's AWS SDK knows/);
  });

  test('closest stays within a third of the word', () => {
    assert.equal(closest('eu-wset-1', ['us-east-1', 'eu-west-1']), 'eu-west-1');
    assert.equal(closest('mars', ['us-east-1']), undefined);
    assert.equal(didYouMean('us-west-3', ['us-west-2', 'us-east-1']), '; did you mean us-west-2?');
    assert.equal(didYouMean('x', ['us-west-2']), '');
  });
});
