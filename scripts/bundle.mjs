// Bundles the client and the server with esbuild. Type checking is tsc's job (`tsc -b`);
// this only produces what runs: dist/client/extension.js (inside VS Code) and
// dist/server/main.js (plain Node 20, also started by bin/iam-policy-language-server.js) and
// dist/cli/main.js (the command-line linter, started by bin/iam-policy-lint.js).
import * as esbuild from 'esbuild';

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
};

const builds = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client/extension.js', external: ['vscode'] },
  { ...common, entryPoints: ['server/src/main.ts'], outfile: 'dist/server/main.js' },
  { ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli/main.js' },
];

if (watch) {
  for (const options of builds) {
    const context = await esbuild.context(options);
    await context.watch();
  }
  console.log('esbuild: watching client/src and server/src');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
