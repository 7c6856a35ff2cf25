/**
 * --fix loses nothing, through the real binary: a file never grows past what its fixes
 * explain, fixing twice changes nothing the second time, and a write that fails midway (a real
 * file size limit, RLIMIT_FSIZE) leaves the old text whole. The fixed text replaces the file by
 * a rename, keeping its mode and following a symbolic link to its target.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { randomDocument, seedFromEnvironment } from '../support/mutations';
import { Random } from '../support/random';
import { CLEAN, lint, parseJsonOutput, removeTrees, tree } from './support';

after(removeTrees);

/** 52 bytes that once became 52 KB on one --fix and 53 MB on the next. */
const KEY_WITHOUT_OPENING_QUOTE = '{\n    Version": "2012-10-17",\n    "Statement": []\n}\n';
const KEY_CLOSED_BY_CURLY_QUOTE = '{\n    "Version\u201d: "2012-10-17",\n    "Statement": []\n}\n';

/** A valid policy but for a trailing comma. */
const TRAILING_COMMA = CLEAN.replace('"*" }', '"*", }');

/** A policy of about 39 KB whose ARNs have en dashes (fixable: each becomes "-"). */
const LARGE_FIXABLE = `{"Version": "2012-10-17", "Statement": [\n${Array.from(
  { length: 400 },
  (_, i) => `  {"Sid": "S${i}", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket\u2013${i}/*"}`,
).join(',\n')}\n]}\n`;

describe('--fix never multiplies a file', () => {
  it('leaves a key missing its opening quote as it is, with no phantom trailing comma at 1:1', () => {
    const root = tree({ 'a.iam.json': KEY_WITHOUT_OPENING_QUOTE });
    for (let run = 0; run < 2; run++) {
      const output = parseJsonOutput(lint(['--fix', '-f', 'json', 'a.iam.json'], { cwd: root }));
      assert.equal(fs.readFileSync(path.join(root, 'a.iam.json'), 'utf8'), KEY_WITHOUT_OPENING_QUOTE);
      assert.equal(output.files[0].error, undefined);
      assert.equal(output.summary.fixed, 0);
      assert.ok(!output.files[0].findings.some((item) => item.code === 'json-trailing-comma'), JSON.stringify(output.files[0].findings));
    }
  });

  it('mends a key closed by a curly quote, once; a second --fix changes nothing', () => {
    const root = tree({ 'b.iam.json': KEY_CLOSED_BY_CURLY_QUOTE });
    const first = parseJsonOutput(lint(['--fix', '-f', 'json', 'b.iam.json'], { cwd: root }));
    const fixed = fs.readFileSync(path.join(root, 'b.iam.json'), 'utf8');
    assert.equal(fixed, '{\n    "Version": "2012-10-17",\n    "Statement": []\n}\n');
    assert.equal(first.files[0].fixed?.['disallowed-character'], 1);
    const second = parseJsonOutput(lint(['--fix', '-f', 'json', 'b.iam.json'], { cwd: root }));
    assert.equal(fs.readFileSync(path.join(root, 'b.iam.json'), 'utf8'), fixed);
    assert.equal(second.summary.fixed, 0);
  });

  it('fixes 300 random and mutated policies so that a second --fix changes nothing, and no file grows but by its fixes', (t) => {
    const seed = seedFromEnvironment(90_210);
    t.diagnostic(`seed ${seed} (IAM_POLICY_SEED=${seed} replays it)`);
    const random = new Random(seed);
    const files: Record<string, string> = {};
    // Without NUL (a file with one is binary, not linted); a lone surrogate is written as U+FFFD.
    for (let i = 0; i < 300; i++) files[`p${String(i).padStart(3, '0')}.iam.json`] = randomDocument(random, 8_000).replace(/\u0000/g, '');
    const root = tree(files);
    const first = parseJsonOutput(lint(['--fix', '-f', 'json', '.'], { cwd: root }));
    assert.deepEqual(
      first.files.filter((file) => file.error !== undefined).map((file) => `${file.path}: ${file.error}`),
      [],
    );
    const afterFirst = new Map(Object.keys(files).map((name) => [name, fs.readFileSync(path.join(root, name), 'utf8')]));
    for (const [name, text] of afterFirst) {
      // A safe fix replaces characters and removes commas: one character may become three
      // ("…" is "..."), nothing more.
      assert.ok(text.length <= files[name].length * 3, `${name} grew from ${files[name].length} to ${text.length}`);
    }
    const second = parseJsonOutput(lint(['--fix', '-f', 'json', '.'], { cwd: root }));
    assert.equal(second.summary.fixed, 0);
    for (const [name, text] of afterFirst) assert.equal(fs.readFileSync(path.join(root, name), 'utf8'), text, `${name} changed on the second --fix`);
    assert.ok(first.summary.fixed > 0, 'the documents had something to fix');
  });
});

describe('--fix writes a file whole or not at all', () => {
  it('leaves the old text whole when the write fails midway (a 16 KB file size limit), and says so', () => {
    const root = tree({ 'big.iam.json': LARGE_FIXABLE });
    const file = path.join(root, 'big.iam.json');
    assert.ok(Buffer.byteLength(LARGE_FIXABLE) > 32_768);
    const run = lint(['--fix', 'big.iam.json'], { cwd: root, fileSizeLimit: 16_384 });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /big\.iam\.json: cannot be written back with its fixes, left unchanged: file too large \(a file size limit\) \(EFBIG\)\./);
    assert.equal(fs.readFileSync(file, 'utf8'), LARGE_FIXABLE, 'the file is the old text, whole');
    assert.deepEqual(fs.readdirSync(root), ['big.iam.json'], 'no temporary file is left behind');
    // The report is of the file as it is: its problems are still there.
    assert.match(run.stdout, /big\.iam\.json:2:\d+ error disallowed-character/);
  });

  it('writes the new text whole when the limit allows it', () => {
    const root = tree({ 'big.iam.json': LARGE_FIXABLE });
    const run = lint(['--fix', 'big.iam.json'], { cwd: root, fileSizeLimit: 1_048_576 });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(fs.readFileSync(path.join(root, 'big.iam.json'), 'utf8'), LARGE_FIXABLE.replace(/\u2013/g, '-'));
  });

  it('keeps the file mode', () => {
    const root = tree({ 'f.iam.json': TRAILING_COMMA });
    const file = path.join(root, 'f.iam.json');
    fs.chmodSync(file, 0o640);
    assert.equal(lint(['--fix', 'f.iam.json'], { cwd: root }).code, 0);
    assert.equal(fs.statSync(file).mode & 0o7777, 0o640);
    assert.equal(fs.readFileSync(file, 'utf8'), CLEAN);
  });

  it('follows a symbolic link: the link stays, its target gets the fixes', () => {
    const root = tree({ 'policies/real.json': TRAILING_COMMA });
    fs.symlinkSync(path.join('policies', 'real.json'), path.join(root, 'link.iam.json'));
    assert.equal(lint(['--fix', 'link.iam.json'], { cwd: root }).code, 0);
    assert.ok(fs.lstatSync(path.join(root, 'link.iam.json')).isSymbolicLink(), 'still a link');
    assert.equal(fs.readFileSync(path.join(root, 'policies', 'real.json'), 'utf8'), CLEAN);
    assert.deepEqual(fs.readdirSync(root).sort(), ['link.iam.json', 'policies']);
    assert.deepEqual(fs.readdirSync(path.join(root, 'policies')), ['real.json']);
  });
});
