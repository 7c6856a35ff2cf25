/**
 * iam-policy-lint --jobs: files linted on worker threads give exactly what one thread gives,
 * in the same order, through the real binary (real threads, real files).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { BROKEN, CLEAN, DUPLICATE_SID, lint, MANAGED_CORPUS, removeTrees, tree } from './support';

after(removeTrees);

describe('iam-policy-lint --jobs', () => {
  it('is in the help', () => {
    assert.match(lint(['--help']).stdout, /-j, --jobs <N>/);
  });

  for (const value of ['0', 'two', '257', '-1']) {
    it(`--jobs ${value} is a usage error`, () => {
      const run = lint([`--jobs=${value}`, 'x.json']);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /--jobs must be a whole number from 1 to 256/);
      assert.equal(run.stdout, '');
    });
  }

  it('reports the managed corpus on 3 threads exactly as on one, in the same order', () => {
    // With hints, without them (the threads send back only what is reported), errors only.
    for (const args of [
      ['--hints', '--format', 'human'],
      ['--format', 'json'],
      ['--quiet', '--format', 'sarif'],
    ]) {
      const one = lint(['--jobs', '1', ...args, MANAGED_CORPUS]);
      const three = lint(['--jobs', '3', ...args, MANAGED_CORPUS]);
      assert.equal(one.code, 1);
      assert.equal(three.code, one.code);
      assert.equal(three.stderr, one.stderr);
      // Enough output that the files' order shows.
      assert.ok(one.stdout.length > 10_000, `${args.join(' ')}: output of one thread`);
      assert.equal(three.stdout, one.stdout, `${args.join(' ')}: output`);
    }
  });

  it('fixes files on threads as on one, and reports them in order', () => {
    // 300 files, so that the run uses its threads: broken ones (a trailing comma, fixed),
    // clean ones, and ones with an error --fix leaves.
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) {
      const name = `p${String(i).padStart(3, '0')}.iam.json`;
      files[name] = i % 3 === 0 ? BROKEN : i % 3 === 1 ? CLEAN : DUPLICATE_SID;
    }
    const oneRoot = tree(files);
    const threeRoot = tree(files);
    const one = lint(['--fix', '--jobs', '1', '.'], { cwd: oneRoot });
    const three = lint(['--fix', '--jobs', '3', '.'], { cwd: threeRoot });
    assert.equal(one.code, 1);
    assert.equal(three.code, one.code);
    assert.equal(three.stderr, one.stderr);
    assert.equal(three.stdout, one.stdout);
    assert.match(one.stdout, /^p000\.iam\.json: fixed/m);
    for (const name of Object.keys(files)) {
      const fixed = fs.readFileSync(path.join(threeRoot, name), 'utf8');
      assert.equal(fixed, fs.readFileSync(path.join(oneRoot, name), 'utf8'), name);
      if (files[name] === BROKEN) assert.notEqual(fixed, BROKEN, `${name} was fixed`);
    }
  });
});
