// Startup cost: importing the factory, and creating adapters, must load no @aws-sdk module; the first call
// of a service loads that service's package only. Checked in a fresh process, by the CommonJS module cache
// (the SDK packages are CommonJS, so every one of their files lands there when loaded).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { distRoot } from '../helpers/paths.js';

const run = promisify(execFile);

const probe = (factoryUrl: string) => `
import { createRequire } from 'node:module';
const Module = createRequire(import.meta.url)('module');
const sdkFiles = () => Object.keys(Module._cache).filter((k) => k.includes('@aws-sdk'));
const { createAws } = await import(${JSON.stringify(factoryUrl)});
const afterImport = sdkFiles().length;
// Port 1 on loopback refuses connections, so the call fails fast without any network.
const aws = createAws({ endpointUrl: 'http://127.0.0.1:1', credentials: { accessKeyId: 'AKIDSANDBOX', secretAccessKey: 'sandbox-secret' }, maxAttempts: 1, requestTimeoutMs: 1000 });
const sts = aws.sts('us-east-1');
aws.rds('us-east-1');
aws.route53();
const afterAdapters = sdkFiles().length;
let error;
try { await sts.callerIdentity(); } catch (e) { error = { code: e.code, unreachable: e.details?.unreachable, name: e.name }; }
const files = sdkFiles();
aws.destroy();
process.stdout.write(JSON.stringify({
  afterImport,
  afterAdapters,
  sts: files.some((k) => k.includes('client-sts')),
  rds: files.some((k) => k.includes('client-rds')),
  route53: files.some((k) => k.includes('client-route-53')),
  error,
}));
`;

test('importing the factory and creating adapters loads no SDK; the first call loads only its service, silently', async () => {
  const factoryUrl = pathToFileURL(join(distRoot, 'src/aws/factory.js')).href;
  const env = { ...process.env };
  delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
  const { stdout, stderr } = await run(process.execPath, ['--input-type=module', '-e', probe(factoryUrl)], { cwd: distRoot, env, timeout: 30_000 });
  // Nothing from the SDK reaches the terminal (on Node 20 it would print a NodeVersionSupportWarning).
  assert.equal(stderr, '');
  const result = JSON.parse(stdout);
  assert.equal(result.afterImport, 0);
  assert.equal(result.afterAdapters, 0);
  assert.equal(result.sts, true);
  assert.equal(result.rds, false);
  assert.equal(result.route53, false);
  assert.deepEqual(result.error, { code: 'ECONNREFUSED', unreachable: true, name: 'AwsCallError' });
});
