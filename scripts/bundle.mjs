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
// MR_BUNDLE_EXTERNAL=1 keeps node_modules out of the bundle, MR_BUNDLE_OUT=name writes dist/<name>
// instead of dist/bundle (both for measuring a difference only).
import { build } from 'esbuild';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { dirname, join, relative, resolve, sep } from 'node:path';

const distDir = resolve(process.argv[2] ?? 'dist');
const srcDir = join(distDir, 'src');
const outdir = join(distDir, process.env.MR_BUNDLE_OUT ?? 'bundle');
const external = process.env.MR_BUNDLE_EXTERNAL === '1';
// Whitespace and syntax only (default, 'ws'): about 5% less peak RSS and 10% less wall for `mr status`
// than none (5 side-by-side runs, 2026-12-01). Identifiers keep their names, so nothing that reads a function's or
// class's name can change; 'all' (renaming, with keepNames) measured no better. MR_BUNDLE_MINIFY=none to compare.
const minify = process.env.MR_BUNDLE_MINIFY ?? 'ws';

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

/**
 * zod's namespace export carries every error-message locale (about 350 KiB, loaded by every command
 * that reads a topology). mr only ever uses zod's default English messages (it never calls
 * z.config(z.locales.xx())), so in the bundle the locale index offers English alone.
 */
const englishOnlyZod = {
  name: 'english-only-zod',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: join(dirname(args.importer), '../locales/en.js'), namespace: 'zod-en' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-en' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};

/**
 * Each service client package exports every command, paginator and waiter of its service (RDS: 170
 * operations); mr uses a few of each. The adapters reach them only as `sdk.<Name>` on the module that
 * src/aws/factory.ts imports. Here that import() is resolved to a module that re-exports just the
 * names the compiled sources use that way, so (the client packages declare "sideEffects": false)
 * esbuild leaves out the other commands' files and the schemas only they need. Error classes stay:
 * the schemas module registers all of them with the deserializer as a side effect.
 * MR_BUNDLE_ALL_COMMANDS=1 bundles whole clients (to measure the difference).
 *
 * The clients `mr status` reads through (STATUS_CLIENTS) resolve to one such module together, so they
 * and the SDK code only they share land in a few chunks instead of one per subset of clients: each
 * chunk is a module for Node to resolve, fetch and link, and status loaded 49 (measured: about 14 ms
 * less wall for the demo's status with the group, 11 interleaved runs). A command that reads one of
 * them loads all five; those are the commands of a failover, which read them all anyway. A name two of
 * them export fails the build rather than pick one.
 * MR_BUNDLE_GROUP=0 resolves each client on its own (to measure the difference).
 */
const STATUS_CLIENTS = ['@aws-sdk/client-route-53', '@aws-sdk/client-rds', '@aws-sdk/client-elasticache', '@aws-sdk/client-ecs', '@aws-sdk/client-cloudwatch'];
function usedSdkNames(sources) {
  const names = new Set();
  for (const text of sources.values()) for (const m of text.matchAll(/\bsdk\.([A-Za-z_$][\w$]*)/g)) names.add(m[1]);
  return names;
}

/** Every compiled source under dist/src (path -> text), in a stable order. */
async function compiledSources() {
  const out = new Map();
  const walk = async (dir) => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith('.js')) out.set(relative(srcDir, p), await readFile(p, 'utf8'));
    }
  };
  await walk(srcDir);
  return out;
}

/**
 * The build's id (MR_BUILD_ID in the bundle): a hash of every compiled source and of the bundled
 * parser and validator versions. The topology cache (src/config/cached.ts) keys its entries by it, so
 * a build with any other code never trusts an entry an older one validated.
 */
async function buildId(sources) {
  const hash = createHash('sha256');
  for (const [path, text] of sources) hash.update(path).update('\0').update(text).update('\0');
  const requireHere = createRequire(import.meta.url);
  for (const pkg of ['zod', 'yaml']) hash.update(`${pkg}@${requireHere(`${pkg}/package.json`).version}\0`);
  return hash.digest('hex').slice(0, 32);
}

const usedSdkExports = (names) => ({
  name: 'used-sdk-exports',
  setup(b) {
    const requireHere = createRequire(import.meta.url);
    const grouped = process.env.MR_BUNDLE_GROUP !== '0';
    b.onResolve({ filter: /^@aws-sdk\/client-[a-z0-9-]+$/ }, (args) => {
      if (args.kind !== 'dynamic-import' || !args.importer.startsWith(srcDir + sep)) return undefined;
      const path = grouped && STATUS_CLIENTS.includes(args.path) ? STATUS_CLIENTS.join('+') : args.path;
      return { path, namespace: 'mr-sdk', pluginData: { resolveDir: args.resolveDir } };
    });
    b.onLoad({ filter: /.*/, namespace: 'mr-sdk' }, (args) => {
      const owner = new Map();
      const lines = args.path.split('+').map((pkg) => {
        // The package's CommonJS build answers which names it exports; the bundle takes them from its ESM build.
        const exported = new Set(Object.keys(requireHere(requireHere.resolve(pkg, { paths: [args.pluginData.resolveDir] }))));
        const wanted = [...names].filter((n) => exported.has(n)).sort();
        for (const n of wanted) {
          if (owner.has(n)) throw new Error(`bundle: ${n} is exported by both ${owner.get(n)} and ${pkg}; they cannot share one module`);
          owner.set(n, pkg);
        }
        return `export { ${wanted.join(', ')} } from ${JSON.stringify(pkg)};`;
      });
      return { contents: lines.join('\n'), loader: 'js', resolveDir: args.pluginData.resolveDir };
    });
  },
});

/**
 * Each client's schemas module registers every modeled error of its service with the deserializer
 * (RDS: 150, with their classes: 120 KiB of the 411 KiB status loads in one chunk, about 15 ms of CPU to
 * compile and run at each start). mr names a few of them (its code compares error codes as strings);
 * here only those registrations stay, with the services' base exceptions, and esbuild drops the
 * classes nothing else reaches. Kept: an error whose shape name or query-protocol code (awsQueryError)
 * is a word of the compiled sources.
 * What changes for the others, per @aws-sdk/core's ProtocolLib.getErrorSchemaOrThrowBaseException: the
 * error arrives as the service's base exception (RDSServiceException, ...) named by the code on the
 * wire, with its message, HTTP status and fault, instead of a class of its own named by its shape. So
 * an unnamed RDS fault reads "StorageQuotaExceeded" (the code the RDS API reference lists) where the
 * unbundled build says "StorageQuotaExceededFault". None of these services' errors carries the
 * retryable trait, so the SDK's retries see no difference. test/e2e/bundle-errors.test.ts checks both
 * kinds end to end. MR_BUNDLE_ALL_ERRORS=1 keeps every registration (to compare).
 */
const namedErrorsOnly = (sources) => ({
  name: 'named-errors-only',
  setup(b) {
    const words = new Set();
    for (const text of sources.values()) for (const m of text.matchAll(/[A-Za-z][A-Za-z0-9]*/g)) words.add(m[0]);
    b.onLoad({ filter: /[\\/]@aws-sdk[\\/]client-[a-z0-9-]+[\\/]dist-es[\\/]schemas[\\/]schemas_0\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const codes = new Map();
      for (const m of text.matchAll(/export var (\w+)\$ = \[-3, \w+, \w+,\s*\{ \[_aQE\]: \[`([^`]+)`/g)) codes.set(m[1], m[2]);
      const named = (cls) => cls.endsWith('ServiceException') || words.has(cls) || words.has(codes.get(cls) ?? cls);
      const contents = text.replace(/^\w+\.registerError\(\w+\$, (\w+)\);$/gm, (line, cls) => (named(cls) ? line : ''));
      return { contents, loader: 'js' };
    });
  },
});

const sources = await compiledSources();
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
  define: { MR_BUILD_ID: JSON.stringify(await buildId(sources)) },
  banner: { js: "import { createRequire as __mrCreateRequire } from 'node:module'; const require = __mrCreateRequire(import.meta.url);" },
  chunkNames: 'chunk-[hash]',
  metafile: true,
  legalComments: 'none',
  minifyWhitespace: minify !== 'none',
  minifySyntax: minify !== 'none',
  minifyIdentifiers: minify === 'all',
  keepNames: minify === 'all',
  logLevel: 'warning',
  plugins: [
    keepModuleUrls,
    englishOnlyZod,
    ...(process.env.MR_BUNDLE_ALL_ERRORS === '1' ? [] : [namedErrorsOnly(sources)]),
    ...(process.env.MR_BUNDLE_ALL_COMMANDS === '1' ? [] : [usedSdkExports(usedSdkNames(sources))]),
  ],
});
// Next to the bundle, not in it (it is not shipped): which sources each chunk holds, for the startup test.
await writeFile(join(distDir, 'bundle.meta.json'), JSON.stringify(result.metafile));
