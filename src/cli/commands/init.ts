// `mr init --regions r1,r2 [--zone z] [--name n] [--out f] [--force]`: discover and write the topology.
import { access, writeFile } from 'node:fs/promises';
import { ExitCode, UsageError } from '../../io/errors.js';
import { discoverTopology, type Chooser } from '../../readiness/discover.js';
import type { CommandHandler } from '../types.js';

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
/** Discovery lists whole zones and every cluster: a longer bound than a status read. */
const INIT_TIMEOUT_MS = 10_000;

export const init: CommandHandler = async (ctx, _args, opts) => {
  const regions =
    typeof opts.regions === 'string'
      ? opts.regions
          .split(',')
          .map((r) => r.trim())
          .filter(Boolean)
      : [];
  if (regions.length === 0) throw new UsageError('mr init needs --regions, e.g. --regions us-east-1,eu-west-1');
  const bad = regions.find((r) => !REGION.test(r));
  if (bad) throw new UsageError(`--regions: "${bad}" is not a region name such as us-east-1`);
  if (new Set(regions).size !== regions.length) throw new UsageError('--regions: a region is named twice');
  const out = typeof opts.out === 'string' ? opts.out : 'mr.config.yaml';
  const exists = await access(out).then(
    () => true,
    () => false,
  );
  if (exists && opts.force !== true) throw new UsageError(`${out} exists; mr init does not overwrite it without --force`);
  const choose: Chooser = async (question, candidates) => {
    if (!ctx.io.interactive) return undefined;
    const picked = await ctx.io.select(
      question,
      candidates.map((c, i) => ({ name: c.label, value: String(i) })),
    );
    return candidates[Number(picked)]!.value;
  };
  const aws = await ctx.aws({ requestTimeoutMs: INIT_TIMEOUT_MS });
  const spinner = ctx.io.interactive && !ctx.io.json ? ctx.io.spinner(`reading ${regions.join(', ')}`) : undefined;
  let text: string;
  try {
    text = await discoverTopology(aws, {
      regions,
      zone: typeof opts.zone === 'string' ? opts.zone : undefined,
      name: typeof opts.name === 'string' ? opts.name : undefined,
      choose: spinner ? async (q, c) => (spinner.stop(), choose(q, c)) : choose,
    });
  } finally {
    spinner?.stop();
  }
  await writeFile(out, text, { flag: opts.force === true ? 'w' : 'wx' });
  ctx.io.resultJson({ version: 1, written: out, regions });
  ctx.io.success(`wrote ${out}: check it with mr config validate ${out}, then mr --config ${out} status`);
  return ExitCode.Ok;
};
