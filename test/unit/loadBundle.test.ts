/**
 * bin/load-bundle.js: the bins run their bundle with the V8 code cache made for it, and only
 * for it; a cache that is missing, stale, damaged or from another V8 changes nothing but speed.
 * Each load runs in a Node process of its own, as the bins do.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { SERVER_V8_FLAGS } from '../../server/src/heap';
import { REPO_ROOT } from '../support/paths';

const LOADER = path.join(REPO_ROOT, 'bin', 'load-bundle.js');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-policy-load-bundle-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** Loads `file` in a new Node process: what the bundle printed, then the cache's state. */
function load(file: string, writeCache = false): string[] {
  const run = spawnSync(process.execPath, ['-e', `process.stdout.write(require(${JSON.stringify(LOADER)}).loadBundle(${JSON.stringify(file)}) + '\\n')`], {
    encoding: 'utf8',
    env: { ...process.env, IAM_POLICY_WRITE_CODE_CACHE: writeCache ? '1' : '' },
  });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.trim().split('\n');
}

/** The V8 flags a bin declares (`const V8_FLAGS = [...]`) for its bundle. */
function binFlags(name: string): string[] {
  const declared = /const V8_FLAGS = (\[[^\]]*\]);/.exec(fs.readFileSync(path.join(REPO_ROOT, 'bin', name), 'utf8'));
  assert.ok(declared, `bin/${name} declares V8_FLAGS`);
  return JSON.parse(declared[1].replace(/'/g, '"')) as string[];
}

/** A bundle that uses what `require` gives a module, and prints `word`. */
const bundle = (word: string): string =>
  `const path = require('node:path');\nfunction shout(text) { return text.toUpperCase(); }\nconsole.log(shout(${JSON.stringify(word)}) + ' ' + path.basename(__filename) + ' ' + (module.exports === exports) + ' ' + path.basename(__dirname));\n`;

describe('load-bundle', () => {
  const file = path.join(scratch, 'main.js');

  it('runs a bundle as require would, writes its cache on exit when asked, and uses it next time', () => {
    fs.writeFileSync(file, bundle('first'));
    assert.deepEqual(load(file), [`FIRST main.js true ${path.basename(scratch)}`, 'none']);
    assert.deepEqual(load(file, true), [`FIRST main.js true ${path.basename(scratch)}`, 'none']);
    const cache = fs.readFileSync(`${file}.cache`);
    assert.deepEqual(cache.subarray(0, 20), crypto.createHash('sha1').update(fs.readFileSync(file)).digest());
    assert.deepEqual(load(file), [`FIRST main.js true ${path.basename(scratch)}`, 'accepted']);
    assert.deepEqual(
      fs.readdirSync(scratch).filter((name) => name.endsWith('.tmp')),
      [],
      'no temporary file left',
    );
  });

  it("ignores the cache of another bundle of the same length (V8 would take it: it checks only the source's length)", () => {
    fs.writeFileSync(file, bundle('first'));
    load(file, true);
    fs.writeFileSync(file, bundle('frost'));
    assert.equal(fs.statSync(file).size, Buffer.byteLength(bundle('first')));
    assert.deepEqual(load(file), [`FROST main.js true ${path.basename(scratch)}`, 'stale']);
  });

  it('runs the bundle when V8 refuses a damaged cache', () => {
    fs.writeFileSync(file, bundle('first'));
    load(file, true);
    const cache = fs.readFileSync(`${file}.cache`);
    cache.fill(7, 20 + 8);
    fs.writeFileSync(`${file}.cache`, cache);
    assert.deepEqual(load(file), [`FIRST main.js true ${path.basename(scratch)}`, 'rejected']);
  });

  it('the build leaves a cache of the current server and linter bundles that this Node takes under their flags', () => {
    for (const [part, flags] of [
      ['server', SERVER_V8_FLAGS],
      ['cli', binFlags('iam-policy-lint.js')],
    ] as const) {
      const bundleFile = path.join(REPO_ROOT, 'dist', part, 'main.js');
      const bytes = fs.readFileSync(bundleFile);
      const cache = fs.readFileSync(`${bundleFile}.cache`);
      assert.deepEqual(cache.subarray(0, 20), crypto.createHash('sha1').update(bytes).digest(), `dist/${part}/main.js.cache is of dist/${part}/main.js`);
      // In a process of its own, as the bin starts it: V8 takes a cache only under the flags it was made with.
      const check = `for (const flag of ${JSON.stringify(flags)}) require('node:v8').setFlagsFromString(flag);
const fs = require('node:fs'), vm = require('node:vm'), Module = require('node:module');
const file = ${JSON.stringify(bundleFile)};
const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData: fs.readFileSync(file + '.cache').subarray(20) });
process.stdout.write(String(script.cachedDataRejected));`;
      const run = spawnSync(process.execPath, ['-e', check], { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout, 'false', `V8 takes dist/${part}/main.js.cache under ${JSON.stringify(flags)}`);
    }
  });

  it("the server's bin sets the flags the server's bundle sets; each bin loads its bundle with its flags, and this Node knows each of them", () => {
    assert.deepEqual(binFlags('iam-policy-language-server.js'), [...SERVER_V8_FLAGS]);
    assert.deepEqual(binFlags('iam-policy-lint.js'), ['--no-turbo-inlining']);
    for (const name of ['iam-policy-language-server.js', 'iam-policy-lint.js']) {
      assert.match(fs.readFileSync(path.join(REPO_ROOT, 'bin', name), 'utf8'), /loadBundle\([^;]*, V8_FLAGS\);/, name);
      // V8 does not refuse a flag it does not know: it says so on standard error and goes on.
      const run = spawnSync(process.execPath, ['-e', `for (const flag of ${JSON.stringify(binFlags(name))}) require('node:v8').setFlagsFromString(flag);`], {
        encoding: 'utf8',
      });
      assert.equal(run.status, 0);
      assert.equal(run.stderr, '', `V8 knows every flag of ${name}`);
    }
  });
});
