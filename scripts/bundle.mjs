// The bundled build of the CLI (issue 14, item 3): esbuild over the compiled dist/src (tsc's output),
// into dist/bundle/. bin/mr.js runs dist/bundle/main.js.
//
// Why: Node 20 spends most of `mr status`'s start loading the SDK's CommonJS builds from ESM (the
// CJS export scan, one file at a time). The bundle resolves the SDK's ESM builds (`module` field and
// export condition) and puts them in a few files.
//
// - splitting: every dynamic import() (command modules, each service's SDK client, the sandbox) stays
//   its own chunk, loaded on first use, so `--version` and `--help` load no SDK code
//   (test/e2e/startup.test.ts checks that against dist/bundle.meta.json).
// - Files read next to the code (the bundled worlds, the help cache, playbooks/, package.json) are
//   found as before: in each module, import.meta.url is rewritten to the URL that module has in
//   dist/src, so every `new URL('./x', import.meta.url)` still points into dist/src (which ships).
// - The dependencies stay in package.json: the bundle is a build output under dist/, never committed.
//
// Usage: node scripts/bundle.mjs [distDir]   (default: dist; a private build passes its .dist-* folder)
// MR_BUNDLE_EXTERNAL=1 keeps node_modules out of the bundle (for measuring the difference only).
import { build } from 'esbuild';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';

const distDir = resolve(process.argv[2] ?? 'dist');
const srcDir = join(distDir, 'src');
const outdir = join(distDir, 'bundle');
const external = process.env.MR_BUNDLE_EXTERNAL === '1';

/** import.meta.url as the module would see it unbundled, computed from the chunk's own URL (all chunks sit in outdir). */
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, async (args) => {
      if (!args.path.startsWith(srcDir + sep)) return undefined;
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return { contents: text, loader: 'js' };
      const rel = relative(outdir, args.path).split(sep).join('/');
      return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`), loader: 'js' };
    });
  },
};

await rm(outdir, { recursive: true, force: true });
const result = await build({
  // Metafile paths are relative to this: the folder that holds the build (the repo, for dist/).
  absWorkingDir: resolve(distDir, '..'),
  entryPoints: { main: join(srcDir, 'cli/main.js') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  // The SDK's ESM builds (dist-es), not its CommonJS ones: `module` in package.json and in export maps.
  mainFields: ['module', 'main'],
  conditions: ['module'],
  packages: external ? 'external' : undefined,
  // CommonJS code inside the bundle (commander, some SDK dependencies) calls require() for builtins.
  banner: { js: "import { createRequire as __mrCreateRequire } from 'node:module'; const require = __mrCreateRequire(import.meta.url);" },
  chunkNames: 'chunk-[hash]',
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [keepModuleUrls],
});
// Next to the bundle, not in it (it is not shipped): which sources each chunk holds, for the startup test.
await writeFile(join(distDir, 'bundle.meta.json'), JSON.stringify(result.metafile));
