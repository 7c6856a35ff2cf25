/** The configuration file and --fix, through the real binary. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { BROKEN, CLEAN, lint, parseJsonOutput, policyWith, removeTrees, tree } from './support';

after(removeTrees);

describe('.iam-policy.json', () => {
  it('applies the nearest configuration file above each policy', () => {
    const root = tree({
      '.iam-policy.json': '{"rules": {"json-trailing-comma": "warning"}}',
      'team/.iam-policy.json': '{"rules": {"json-trailing-comma": "off", "invalid-sid": "info"}}',
      'top.iam.json': BROKEN,
      'team/sub/low.iam.json': BROKEN,
    });
    const output = parseJsonOutput(lint(['-f', 'json', '.'], { cwd: root }));
    const severities = Object.fromEntries(output.files.map((file) => [file.path, file.findings.map((item) => `${item.code}:${item.severity}`)]));
    assert.deepEqual(severities, {
      'team/sub/low.iam.json': ['invalid-sid:info'],
      'top.iam.json': ['invalid-sid:error', 'json-trailing-comma:warning'],
    });
  });
  it('applies maxNumberOfProblems from the file; without it the CLI shows every problem', () => {
    // Five statements on five buckets (the same statement five times would be redundant-statement too).
    const many = policyWith(
      ...[1, 2, 3, 4, 5].map((n) => `{"Sid": "a b${n}", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket${n}/*"}`),
    );
    const capped = tree({ '.iam-policy.json': '{"maxNumberOfProblems": 2}', 'p.iam.json': many });
    const findings = parseJsonOutput(lint(['-f', 'json', '.'], { cwd: capped })).files[0].findings;
    assert.deepEqual(
      findings.map((item) => item.code),
      ['invalid-sid', 'invalid-sid', 'too-many-problems'],
    );
    // The cap is named where it was set: the CLI has no iamPolicy.maxNumberOfProblems setting.
    assert.equal(findings[2].message, `3 more problems not shown (maxNumberOfProblems in ${path.join(capped, '.iam-policy.json')} is 2).`);
    const uncapped = tree({ 'p.iam.json': many });
    assert.equal(parseJsonOutput(lint(['-f', 'json', '.'], { cwd: uncapped })).files[0].findings.length, 5);
  });
  it('--config FILE overrides the files found by walking up', () => {
    const root = tree({
      '.iam-policy.json': '{"rules": {"invalid-sid": "off"}}',
      'ci.json': '{"rules": {"json-trailing-comma": "off"}}',
      'p.iam.json': BROKEN,
    });
    assert.deepEqual(
      parseJsonOutput(lint(['-f', 'json', 'p.iam.json'], { cwd: root })).files[0].findings.map((item) => item.code),
      ['json-trailing-comma'],
    );
    assert.deepEqual(
      parseJsonOutput(lint(['-f', 'json', '--config', 'ci.json', 'p.iam.json'], { cwd: root })).files[0].findings.map((item) => item.code),
      ['invalid-sid'],
    );
    assert.deepEqual(
      parseJsonOutput(lint(['-f', 'json', '-c', 'ci.json', 'p.iam.json'], { cwd: root })).files[0].findings.map((item) => item.code),
      ['invalid-sid'],
    );
  });
  it('an invalid --config is a usage error: exit 2, nothing linted', () => {
    const root = tree({ 'bad.json': '{"rules": {"json-coment": "warn"}}', 'p.iam.json': BROKEN });
    const run = lint(['--config', 'bad.json', 'p.iam.json'], { cwd: root });
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr, `iam-policy-lint: ${path.join(root, 'bad.json')}: rules: unknown rule code "json-coment" (did you mean "json-comment"?).\n`);
    const missing = lint(['--config', 'nowhere.json', 'p.iam.json'], { cwd: root });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nowhere\.json: cannot be read: no such file or directory \(ENOENT\)\./);
  });
  it('an invalid configuration file is reported once, its files are not linted, the others are; exit 2', () => {
    const root = tree({
      'bad/.iam-policy.json': '{"rules": {"invalid-sid": "warn"}, "maxNumberOfProblems": 0}',
      'bad/a.iam.json': BROKEN,
      'bad/b.iam.json': BROKEN,
      'good/c.iam.json': BROKEN,
    });
    const run = lint(['.'], { cwd: root });
    assert.equal(run.code, 2);
    const config = path.join(root, 'bad', '.iam-policy.json');
    assert.equal(
      run.stderr,
      `iam-policy-lint: ${config}: rules.invalid-sid: "warn" is not a severity (did you mean "warning"?); use "off", "error", "warning" or "info".\n` +
        `iam-policy-lint: ${config}: "maxNumberOfProblems" must be a whole number of at least 1, not 0.\n` +
        `iam-policy-lint: ${config}: 2 files were not linted because of these errors.\n`,
    );
    assert.match(run.stdout, /^good\/c\.iam\.json:4:15 error invalid-sid/m);
    assert.doesNotMatch(run.stdout, /^bad\//m);
    const json = parseJsonOutput(lint(['-f', 'json', '.'], { cwd: root }));
    assert.equal(json.errors.length, 3);
    assert.deepEqual(
      json.files.map((file) => file.path),
      ['good/c.iam.json'],
    );
  });
  it('is not linted as a policy itself', () => {
    // Read only for the policies below it: here there are none, so its mistake is not reported.
    const root = tree({ '.iam-policy.json': '{"rules": {}, "Statement": 1}' });
    assert.deepEqual(lint(['.'], { cwd: root }), { code: 0, stdout: '', stderr: 'iam-policy-lint: no policy files found.\n' });
    const ok = tree({ '.iam-policy.json': '{"rules": {}}', 'p.iam.json': CLEAN });
    assert.deepEqual(
      parseJsonOutput(lint(['-f', 'json', '.'], { cwd: ok })).files.map((file) => file.path),
      ['p.iam.json'],
    );
  });
});

describe('--fix', () => {
  // Typographic quotes around "Version" and en dashes in its value (4 disallowed-character,
  // which also make the Version "2012–10–17" an invalid-version) and 3 trailing commas.
  // The parser reads typographic quotes as string delimiters and leaves them to the
  // character check, so they are not a json-syntax error as well.
  const fixable =
    '{\n  \u201cVersion\u201d: "2012\u201310\u201317",\n  "Statement": [\n    { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", },\n  ],\n}\n';
  const fixed = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*" }\n  ]\n}\n';

  it('applies the safe fixes in place, says what changed, and lints the fixed text', () => {
    const root = tree({ 'f.iam.json': fixable, 'b.iam.json': BROKEN, 'ok.iam.json': CLEAN });
    const old = new Date('2020-01-01T00:00:00Z');
    fs.utimesSync(path.join(root, 'ok.iam.json'), old, old);
    const run = lint(['--fix', '.'], { cwd: root });
    assert.equal(fs.readFileSync(path.join(root, 'f.iam.json'), 'utf8'), fixed);
    assert.equal(fs.readFileSync(path.join(root, 'b.iam.json'), 'utf8'), BROKEN.replace('"*", }', '"*" }'));
    assert.equal(fs.statSync(path.join(root, 'ok.iam.json')).mtimeMs, old.getTime(), 'a file without fixes is not written');
    assert.equal(
      run.stdout,
      'b.iam.json: fixed 1 problem (1 json-trailing-comma)\n' +
        'b.iam.json:4:15 error invalid-sid Sid "a b" has U+0020 SPACE at position 2: IAM accepts only ASCII letters and digits in a Sid.\n' +
        'f.iam.json: fixed 8 problems (4 disallowed-character, 1 invalid-version, 3 json-trailing-comma)\n' +
        '1 problem (1 error, 0 warnings) in 1 of 3 policy files\n' +
        'Fixed 9 problems.\n',
    );
    assert.equal(run.code, 1, 'b.iam.json still has an error');
    assert.deepEqual(lint(['--fix', 'f.iam.json'], { cwd: root }), { code: 0, stdout: '', stderr: '' }, 'nothing left to fix');
  });
  it('reports the fixes in JSON', () => {
    const root = tree({ 'f.iam.json': fixable });
    const output = parseJsonOutput(lint(['--fix', '-f', 'json', 'f.iam.json'], { cwd: root }));
    assert.deepEqual(output.files[0].fixed, { 'disallowed-character': 4, 'invalid-version': 1, 'json-trailing-comma': 3 });
    assert.deepEqual(output.files[0].findings, []);
    assert.equal(output.summary.fixed, 8);
    assert.equal(output.summary.exitCode, 0);
  });
  it('with -, writes the fixed document to standard output and the report to standard error', () => {
    const run = lint(['--fix', '-'], { input: fixable });
    assert.equal(run.stdout, fixed);
    assert.equal(run.stderr, '<stdin>: fixed 8 problems (4 disallowed-character, 1 invalid-version, 3 json-trailing-comma)\nFixed 8 problems.\n');
    assert.equal(run.code, 0);
    const unchanged = lint(['--fix', '-f', 'json', '-'], { input: BROKEN });
    assert.equal(unchanged.code, 1);
    assert.equal(unchanged.stdout, BROKEN.replace('"*", }', '"*" }'));
    assert.equal(JSON.parse(unchanged.stderr).files[0].findings[0].code, 'invalid-sid');
    assert.deepEqual(lint(['--fix', '-'], { input: CLEAN }), { code: 0, stdout: CLEAN, stderr: '' });
  });
  it('does not fix what the configuration turns off, nor count it as fixed', () => {
    const root = tree({ '.iam-policy.json': '{"rules": {"json-trailing-comma": "off"}}', 'b.iam.json': BROKEN });
    const old = new Date('2020-01-01T00:00:00Z');
    fs.utimesSync(path.join(root, 'b.iam.json'), old, old);
    const run = lint(['--fix', 'b.iam.json'], { cwd: root });
    assert.equal(fs.readFileSync(path.join(root, 'b.iam.json'), 'utf8'), BROKEN, 'the trailing comma stays');
    assert.equal(fs.statSync(path.join(root, 'b.iam.json')).mtimeMs, old.getTime(), 'nothing to write');
    assert.equal(
      run.stdout,
      'b.iam.json:4:15 error invalid-sid Sid "a b" has U+0020 SPACE at position 2: IAM accepts only ASCII letters and digits in a Sid.\n' +
        '1 problem (1 error, 0 warnings) in 1 of 1 policy file\n',
    );
    // invalid-version off: the characters are still fixed, but the summary counts only
    // problems the configuration reports.
    const quiet = tree({ '.iam-policy.json': '{"rules": {"invalid-version": "off"}}', 'f.iam.json': fixable });
    const output = parseJsonOutput(lint(['--fix', '-f', 'json', 'f.iam.json'], { cwd: quiet }));
    assert.equal(fs.readFileSync(path.join(quiet, 'f.iam.json'), 'utf8'), fixed);
    assert.deepEqual(output.files[0].fixed, { 'disallowed-character': 4, 'json-trailing-comma': 3 });
    assert.equal(output.summary.fixed, 7);
  });
  it('reports a file it cannot write back, exit 2', () => {
    const root = tree({ 'f.iam.json': fixable });
    fs.chmodSync(path.join(root, 'f.iam.json'), 0o444);
    const run = lint(['--fix', 'f.iam.json'], { cwd: root, unprivileged: true });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /f\.iam\.json: cannot be written back with its fixes, left unchanged: permission denied \(EACCES\)\./);
    assert.equal(fs.readFileSync(path.join(root, 'f.iam.json'), 'utf8'), fixable);
  });
});
