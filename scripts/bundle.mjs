// Bundles the client and the server with esbuild. Type checking is tsc's job (`tsc -b`);
// this only produces what runs: dist/client/extension.js (inside VS Code) and
// dist/server/main.js (plain Node 20, also started by bin/iam-policy-language-server.js) and
// dist/cli/main.js (the command-line linter, started by bin/iam-policy-lint.js).
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import { makeCatalogIndex } from './catalog-index.mjs';
import { makeCodeCaches } from './code-cache.mjs';

const watch = process.argv.includes('--watch');

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: false,
  minify: false,
  keepNames: true,
  logLevel: 'warning',
  legalComments: 'linked',
  // jsonc-parser's UMD build loads its parts with a require esbuild cannot follow: take the
  // ES module builds where packages have them.
  mainFields: ['module', 'main'],
  // The engine from its TypeScript sources (its package's "source" export condition), not from
  // tsc's CommonJS in engine/out: as ES modules esbuild joins them into one scope, so a call
  // into another of the engine's modules is a plain call, not a read of that module's exports
  // object first, and no import copies a module's exports into a new object at start-up.
  // esbuild takes the "module" condition only while no conditions are given: named here, it
  // keeps choosing the same builds of the other packages as before.
  conditions: ['source', 'module'],
};

const builds = [
  // The engine (iam-policy-engine, engine/) is bundled into each. The service catalog's data is
  // read by the server and the linter (server/src/catalogFiles.ts) from the catalog index,
  // dist/catalog/service-catalog.idx, made below from the catalog package (which is needed only
  // to build). The client's preflight runs the engine without it.
  // The AWS SDK bundled into the client warns, on Node 20, that its releases after January 2027
  // will need Node 22. The release bundled here supports Node 20 (VS Code 1.100's), which a test
  // checks in package-lock.json (test/unit/nodeSupport.test.ts): the notice is for whoever
  // upgrades the SDK, not for the user, so this bundle's copy of the SDK does not print it. Only
  // that one warning: the SDK's own switch for it, in this bundle alone (not the extension
  // host's environment, which other extensions share).
  {
    ...common,
    entryPoints: ['client/src/extension.ts'],
    outfile: 'dist/client/extension.js',
    external: ['vscode'],
    define: { 'process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED': '"true"' },
  },
  // The server and the linter without keepNames: it wraps every function esbuild renames in a
  // call that sets its name, at each creation of a closure too, in the checks' inner loops (a
  // CPU profile of the linter on the managed corpus had 2% of the time there). Internal-error
  // stack traces still name the functions, as esbuild does (analyze2 for a second analyze).
  { ...common, keepNames: false, entryPoints: ['server/src/main.ts'], outfile: 'dist/server/main.js' },
  { ...common, keepNames: false, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli/main.js' },
];

// The catalog index and its licence, in dist/catalog/: the .vsix and the npm package ship it as
// it is. The catalog package itself, which builds before this one shipped under
// dist/node_modules, is removed from there, so no stale copy ships.
await makeCatalogIndex();
fs.rmSync('dist/node_modules', { recursive: true, force: true });

if (watch) {
  for (const options of builds) {
    const context = await esbuild.context(options);
    await context.watch();
  }
  console.log('esbuild: watching client/src and server/src');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  for (const { outfile } of builds) onlyAscii(outfile);
  // The V8 code caches the server and the linter start with (see bin/load-bundle.js).
  await makeCodeCaches();
}

/**
 * Fails the build when a bundle holds a character beyond ASCII. V8 keeps a script's source in
 * memory as long as the script runs, one byte a character when all are ASCII and two bytes
 * otherwise: seven arrows and quotes in comments (which esbuild keeps, and does not escape as it
 * does strings) made the server's 1.2 MB source take 2.5 MB of its heap. In code esbuild writes
 * such characters as escapes; in a comment, write them in ASCII.
 */
function onlyAscii(file) {
  const text = fs.readFileSync(file, 'utf8');
  const found = /[\u0080-\uffff]/.exec(text);
  if (found === null) return;
  const line = text.slice(0, found.index).split('\n').length;
  throw new Error(
    `${file}:${line}: ${JSON.stringify(found[0])} (U+${found[0].codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}) in ${JSON.stringify(text.slice(Math.max(0, found.index - 40), found.index + 20))}: ` +
      'a bundle must be ASCII (V8 keeps a source with any other character at two bytes a character); write it in ASCII in the source comment it comes from.',
  );
}
