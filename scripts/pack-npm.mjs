#!/usr/bin/env node
// `npm run pack:npm`: the command-line linter and the language server as an npm package,
// iam-policy-language-tools-<version>.tgz, that `npm install -g` and `npx` run from any folder.
//
// It holds only what runs: the two bins and what scripts/bundle.mjs leaves in dist/ for them,
// which is all of dist/ but the extension's client: their bundles (esbuild puts every
// dependency inside them) and the service catalog's index beside them in dist/catalog (with
// the catalog package's licence). Taking dist/ as the build leaves it, the package follows
// when the bundle ships the catalog another way. Plus README.md (the diagnostics link to its
// sections), LICENSE and a package.json of its own: no dependencies, so installing it fetches
// nothing. The repository's own package.json is the VS Code extension's manifest and stays
// private.
//
//   node scripts/pack-npm.mjs [--destination DIR]   (after `npm run build`; DIR: the repository)
// Prints the tarball's path.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const PACKAGE_NAME = 'iam-policy-language-tools';

/** The bins and what they start; they find the rest of dist/ from there. */
const BINS = { 'iam-policy-lint': 'bin/iam-policy-lint.js', 'iam-policy-language-server': 'bin/iam-policy-language-server.js' };
const ENTRY_POINTS = ['dist/cli/main.js', 'dist/server/main.js'];
/** What the bins load the bundles with (with the V8 code caches the build leaves beside them). */
const BIN_HELPERS = ['bin/load-bundle.js'];
/** dist/'s parts that are the VS Code extension's alone. */
const NOT_PACKED = ['dist/client'];

/** What goes in, relative to the repository (and to the package). */
function files() {
  const dist = fs.existsSync(path.join(REPO, 'dist')) ? fs.readdirSync(path.join(REPO, 'dist')).map((name) => `dist/${name}`) : [];
  return [...Object.values(BINS), ...BIN_HELPERS, ...dist.filter((part) => !NOT_PACKED.includes(part)), 'README.md', 'LICENSE'];
}

function packageJson() {
  const root = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  return {
    name: PACKAGE_NAME,
    version: root.version,
    description:
      'Checks AWS IAM policy documents against the rules IAM enforces: the command-line linter iam-policy-lint (text, JSON, SARIF) and the language server iam-policy-language-server (LSP over stdio) for any editor.',
    license: root.license,
    keywords: ['aws', 'iam', 'policy', 'lint', 'linter', 'lsp', 'language-server', 'sarif'],
    bin: BINS,
    // The bundles target Node 20 and use nothing newer (scripts/bundle.mjs).
    engines: { node: root.engines.node },
    files: ['bin', 'dist'],
  };
}

export function packNpm(destination = REPO) {
  for (const file of [...ENTRY_POINTS, ...Object.values(BINS)]) {
    if (!fs.existsSync(path.join(REPO, file))) throw new Error(`${file} is missing: run \`npm run build\` first (\`npm run pack:npm\` does).`);
  }
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-policy-pack-'));
  try {
    for (const file of files()) fs.cpSync(path.join(REPO, file), path.join(stage, file), { recursive: true });
    fs.writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(packageJson(), null, 2)}\n`);
    fs.mkdirSync(destination, { recursive: true });
    const printed = execFileSync('npm', ['pack', '--json', '--pack-destination', path.resolve(destination)], {
      cwd: stage,
      encoding: 'utf8',
      env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false' },
    });
    const [result] = JSON.parse(printed);
    return { path: path.join(path.resolve(destination), result.filename), files: result.files.map((file) => file.path), size: result.size };
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--destination');
  try {
    const tarball = packNpm(at >= 0 ? process.argv[at + 1] : REPO);
    console.log(`${path.relative(process.cwd(), tarball.path) || tarball.path} (${tarball.files.length} files, ${(tarball.size / 1024 / 1024).toFixed(1)} MB)`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
