/** Which files iam-policy-lint reads, standard input, and what it does with bad input. */
import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { BROKEN, CLEAN, lint, parseJsonOutput, removeTrees, tree } from './support';

after(removeTrees);

const paths = (run: ReturnType<typeof lint>): string[] => parseJsonOutput(run).files.map((file) => file.path);

describe('operands', () => {
  const layout = {
    'policies/a.iam.json': CLEAN,
    'policies/b.policy.json': CLEAN,
    'policies/UPPER.IAM.JSON': CLEAN,
    'policies/generic.json': CLEAN,
    'policies/package.json': '{"name": "not-a-policy", "nested": {"Statement": []}}',
    'policies/readme.md': '# not JSON',
    'policies/deep/er/c.iam.json': CLEAN,
    'policies/.github/d.iam.json': CLEAN,
    'policies/node_modules/x.iam.json': BROKEN,
    'policies/.git/y.iam.json': BROKEN,
    '.iam-policy.json': '{}',
  };
  it('walks directories for *.iam.json, *.policy.json and *.json with a top-level Statement key', () => {
    const root = tree(layout);
    const run = lint(['-f', 'json', 'policies'], { cwd: root });
    assert.equal(run.code, 0);
    assert.deepEqual(paths(run), [
      'policies/.github/d.iam.json',
      'policies/UPPER.IAM.JSON',
      'policies/a.iam.json',
      'policies/b.policy.json',
      'policies/deep/er/c.iam.json',
      'policies/generic.json',
    ]);
    assert.equal(parseJsonOutput(run).summary.skipped, 1, 'package.json is not a policy');
  });
  it('lints a file named explicitly as a policy, whatever its name or content', () => {
    const root = tree({ ...layout, 'notes.txt': '{"name": "x"}' });
    const run = lint(['-f', 'json', 'notes.txt', 'policies/package.json', 'policies/node_modules/x.iam.json'], { cwd: root });
    assert.deepEqual(paths(run), ['notes.txt', 'policies/package.json', 'policies/node_modules/x.iam.json']);
    assert.equal(run.code, 1);
    const codes = Object.fromEntries(parseJsonOutput(run).files.map((file) => [file.path, file.findings.map((item) => item.code)]));
    assert.deepEqual(codes['policies/node_modules/x.iam.json'], ['invalid-sid', 'json-trailing-comma'], 'the file in node_modules was named, so it was linted');
    // Judged as a policy, content and all: no Statement, and "name" is no element of one.
    assert.deepEqual(codes['notes.txt'], ['missing-statement', 'missing-version', 'unknown-element']);
  });
  it('expands glob patterns, filtered like directories, in operand order without duplicates', () => {
    const root = tree(layout);
    // Patterns are case-sensitive: UPPER.IAM.JSON does not match *.json.
    assert.deepEqual(paths(lint(['-f', 'json', 'policies/*.json'], { cwd: root })), ['policies/a.iam.json', 'policies/b.policy.json', 'policies/generic.json']);
    assert.deepEqual(paths(lint(['-f', 'json', 'policies/**/*.iam.json'], { cwd: root })), [
      'policies/.github/d.iam.json',
      'policies/a.iam.json',
      'policies/deep/er/c.iam.json',
    ]);
    assert.deepEqual(paths(lint(['-f', 'json', 'policies/b.policy.json', 'policies/{a,b}.*.json', 'policies'], { cwd: root })).slice(0, 3), [
      'policies/b.policy.json',
      'policies/a.iam.json',
      'policies/.github/d.iam.json',
    ]);
    // An absolute pattern; paths outside the working directory are shown absolute.
    assert.deepEqual(paths(lint(['-f', 'json', path.join(root, 'policies', 'deep', '**', '*.json')], { cwd: tree({}) })), [
      path.join(root, 'policies/deep/er/c.iam.json'),
    ]);
  });
  it('reports an operand that names nothing, lints the others, and exits 2', () => {
    const root = tree({ 'b.iam.json': BROKEN, 'ok.iam.json': CLEAN });
    const run = lint(['missing.iam.json', 'b.iam.json', 'nothing/*.json', 'ok.iam.json'], { cwd: root });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^iam-policy-lint: missing\.iam\.json: no such file or directory \(ENOENT\)\.$/m);
    assert.match(run.stderr, /^iam-policy-lint: nothing\/\*\.json: no files match this pattern\.$/m);
    assert.match(run.stdout, /^b\.iam\.json:4:15 error invalid-sid/m);
    const json = parseJsonOutput(lint(['-f', 'json', 'missing.iam.json', 'ok.iam.json'], { cwd: root }));
    assert.deepEqual(
      json.files.map((file) => file.path),
      ['ok.iam.json'],
    );
    assert.deepEqual(json.errors, ['missing.iam.json: no such file or directory (ENOENT).']);
    assert.equal(json.summary.exitCode, 2);
  });
  it('reports a file it cannot read and goes on', () => {
    const root = tree({ 'locked.iam.json': CLEAN, 'b.iam.json': BROKEN });
    fs.chmodSync(path.join(root, 'locked.iam.json'), 0o000);
    const run = lint(['locked.iam.json', 'b.iam.json'], { cwd: root, unprivileged: true });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /locked\.iam\.json: cannot be read: permission denied \(EACCES\)\./);
    assert.match(run.stdout, /b\.iam\.json:4:15/);
  });
  it('says so when a directory holds no policy, exit 0', () => {
    const root = tree({ 'package.json': '{"name": "x"}', 'readme.md': '#' });
    const run = lint(['.'], { cwd: root });
    assert.deepEqual(run, {
      code: 0,
      stdout: '',
      stderr: 'iam-policy-lint: no policy files found (1 JSON file without a top-level "Statement" key skipped).\n',
    });
  });
});

describe('standard input', () => {
  it('lints - as <stdin>', () => {
    const run = lint(['-'], { input: BROKEN });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^<stdin>:4:15 error invalid-sid /m);
    assert.deepEqual(lint(['-'], { input: CLEAN }), { code: 0, stdout: '', stderr: '' });
  });
  it('takes its name, name check and configuration from --stdin-filename', () => {
    const root = tree({ 'team/.iam-policy.json': '{"rules": {"json-trailing-comma": "off"}}' });
    const run = lint(['--stdin-filename', 'team/bad name.iam.json', '--severity', 'info', '-'], { cwd: root, input: BROKEN });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^team\/bad name\.iam\.json:1:1 info invalid-policy-file-name /m);
    assert.match(run.stdout, /^team\/bad name\.iam\.json:4:15 error invalid-sid /m);
    assert.doesNotMatch(run.stdout, /json-trailing-comma/, 'the configuration next to the name applies');
  });
  it('is linted together with files', () => {
    const root = tree({ 'b.iam.json': BROKEN });
    assert.deepEqual(paths(lint(['-f', 'json', 'b.iam.json', '-'], { cwd: root, input: CLEAN })), ['b.iam.json', '<stdin>']);
  });
});

describe('input that is not a policy does not stop the run', () => {
  it('reports binary and non-UTF-8 files (exit 2) and lints the rest', () => {
    const root = tree({
      'binary.iam.json': Buffer.from([0x7b, 0x00, 0x01, 0x02, 0xff, 0x7d]),
      'latin1.iam.json': Buffer.from('{"Statement": [{"Sid": "caf\xe9"}]}', 'latin1'),
      'b.iam.json': BROKEN,
    });
    const run = lint(['-f', 'json', '.'], { cwd: root });
    assert.equal(run.code, 2);
    const output = parseJsonOutput(run);
    assert.deepEqual(
      output.files.map((file) => [file.path, file.error]),
      [
        ['b.iam.json', undefined],
        ['binary.iam.json', 'is a binary file (it holds NUL bytes): not linted.'],
        ['latin1.iam.json', 'is not UTF-8 text: not linted (policy files are read as UTF-8).'],
      ],
    );
    assert.match(run.stderr, /^iam-policy-lint: binary\.iam\.json: is a binary file/m);
  });
  it('survives deep nesting, huge files and garbage', () => {
    const root = tree({
      'deep.iam.json': '['.repeat(200_000),
      'objects.iam.json': '{"a":'.repeat(100_000),
      'garbage.iam.json': '}{][,:"\\'.repeat(20_000),
      'huge.iam.json': Buffer.alloc(9 * 1024 * 1024, 0x20),
      'huge-generic.json': Buffer.alloc(9 * 1024 * 1024, 0x20),
      'empty.iam.json': '',
    });
    const run = lint(['-f', 'json', '.'], { cwd: root });
    assert.equal(run.code, 1, run.stderr);
    const byPath = new Map(parseJsonOutput(run).files.map((file) => [file.path, file]));
    assert.deepEqual([...byPath.keys()].sort(), ['deep.iam.json', 'empty.iam.json', 'garbage.iam.json', 'huge.iam.json', 'objects.iam.json']);
    assert.deepEqual(
      byPath.get('huge.iam.json')!.findings.map((item) => [item.code, item.line, item.column]),
      [['document-too-large', 1, 1]],
    );
    assert.match(
      byPath.get('huge.iam.json')!.findings[0].message,
      /^The file is 9,437,184 bytes, far over IAM's limit of 131,072 characters; it was not parsed\.$/,
    );
    assert.deepEqual(
      byPath.get('empty.iam.json')!.findings.map((item) => item.code),
      ['empty-document'],
    );
    for (const file of byPath.values()) assert.ok(file.findings.length > 0 && file.error === undefined, file.path);
  });
  it('reads files of every size whole, one after another, and stops reading a pipe past the limit', () => {
    // Files are read into one buffer that grows (64 KB, doubled up to the 8 MB limit) and is
    // reused by the next file: a 3 MB policy between two small ones, and one of 100 KB.
    const padded = (size: number): string => CLEAN.replace('{', `{${' '.repeat(size - CLEAN.length)}`);
    const root = tree({ 'a.iam.json': BROKEN, 'b.iam.json': padded(3_000_000), 'c.iam.json': BROKEN, 'd.iam.json': padded(100_000) });
    const fifo = path.join(root, 'pipe.iam.json');
    execFileSync('mkfifo', [fifo]);
    // A writer of 9 MB into the pipe, in its own process: the linter reads it while it writes.
    const writer = spawn(process.execPath, ['-e', `require('fs').writeFileSync(${JSON.stringify(fifo)}, Buffer.alloc(9 * 1024 * 1024, 0x20))`], {
      stdio: 'ignore',
    });
    try {
      const run = lint(['-f', 'json', 'a.iam.json', 'b.iam.json', 'c.iam.json', 'd.iam.json', 'pipe.iam.json'], { cwd: root });
      const byPath = new Map(parseJsonOutput(run).files.map((file) => [file.path, file]));
      const codes = (name: string): string[] => byPath.get(name)!.findings.map((item) => item.code);
      assert.deepEqual(codes('a.iam.json'), codes('c.iam.json'));
      assert.ok(codes('a.iam.json').length > 0);
      // The whole 3 MB were read: the size the engine counts is the file's.
      assert.match(byPath.get('b.iam.json')!.findings[0].message, /^The policy document is 3,000,000 characters/);
      assert.deepEqual(codes('d.iam.json'), []);
      assert.deepEqual(codes('pipe.iam.json'), ['document-too-large']);
      assert.match(byPath.get('pipe.iam.json')!.findings[0].message, /^The file is over 8,388,608 bytes, far over IAM's limit/);
    } finally {
      writer.kill();
    }
  });
  it('never prints the policies themselves', () => {
    const secret = 'arn:aws:s3:::CANARY-7f3a9c/*';
    const root = tree({ 'b.iam.json': BROKEN.replace('"*"', JSON.stringify(secret)).replace('"a b"', '"a \u201c"') });
    for (const format of ['human', 'json', 'sarif']) {
      const run = lint(['-f', format, '--severity', 'info', 'b.iam.json', '-'], { cwd: root, input: `{"Resource": "${secret}",}` });
      assert.equal(run.code, 1);
      assert.ok(!run.stdout.includes('CANARY') && !run.stderr.includes('CANARY'), format);
    }
  });
});
