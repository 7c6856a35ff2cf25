/** iam-policy-lint's options, output formats and exit codes, through the real binary. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { REPO_ROOT } from '../support/paths';
import { BROKEN, CLEAN, DUPLICATE_SID, lint, parseJsonOutput, policyWith, removeTrees, tree, VALID_STATEMENT_MEMBERS } from './support';

after(removeTrees);

const ANSI = /\u001b\[/;

describe('iam-policy-lint --help and --version', () => {
  it('prints the usage with every option, exit 0', () => {
    for (const flag of ['--help', '-h']) {
      const run = lint([flag]);
      assert.equal(run.code, 0);
      assert.match(run.stdout, /^Usage: iam-policy-lint \[options\]/);
      for (const option of [
        '--format',
        '--fix',
        '--severity',
        '--max-warnings',
        '--quiet',
        '--config',
        '--stdin-filename',
        '--color',
        '--no-color',
        '--version',
      ]) {
        assert.ok(run.stdout.includes(option), `help mentions ${option}`);
      }
      assert.equal(run.stderr, '');
    }
  });
  it('prints the package version, exit 0', () => {
    const version = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    assert.equal(lint(['--version']).stdout, `${version}\n`);
    assert.equal(lint(['-v']).code, 0);
  });
});

describe('usage errors exit 2 with a reason on standard error', () => {
  const cases: Array<[string[], RegExp]> = [
    [[], /no files given/],
    [['--frobnicate', 'x.json'], /Unknown option '--frobnicate'/],
    [['--format', 'xml', 'x.json'], /--format must be human, json or sarif, not "xml"/],
    [['--severity', 'hint', 'x.json'], /--severity must be error, warning or info, not "hint"/],
    [['--max-warnings', 'many', 'x.json'], /--max-warnings must be a whole number of 0 or more, not "many"/],
    [['--max-warnings=-1', 'x.json'], /--max-warnings must be a whole number of 0 or more, not "-1"/],
    [['--max-warnings'], /argument missing|requires an argument|argument/i],
    [['-', '-'], /- \(standard input\) may be given only once/],
    [['--stdin-filename', 'a.iam.json', 'x.json'], /--stdin-filename names standard input: give - as well/],
  ];
  for (const [args, message] of cases) {
    it(`iam-policy-lint ${args.join(' ')}`, () => {
      const run = lint(args);
      assert.equal(run.code, 2);
      assert.match(run.stderr, message);
      assert.match(run.stderr, /Run iam-policy-lint --help for usage\./);
      assert.equal(run.stdout, '');
    });
  }
});

describe('--format human', () => {
  it('prints file:line:col severity code message, related places, and a summary; exit 1', () => {
    const root = tree({ 'b.iam.json': BROKEN, 'd.iam.json': DUPLICATE_SID });
    const run = lint(['.'], { cwd: root });
    assert.equal(run.code, 1);
    assert.equal(
      run.stdout,
      'b.iam.json:4:15 error invalid-sid Sid "a b" has U+0020 SPACE at position 2: IAM accepts only ASCII letters and digits in a Sid.\n' +
        'b.iam.json:4:81 error json-trailing-comma Trailing comma: IAM accepts strict JSON only; remove the comma.\n' +
        'd.iam.json:5:14 error duplicate-sid Duplicate Sid "A": statement 2 uses the Sid of statement 1, and IAM requires Sids to be unique within a policy.\n' +
        '    d.iam.json:4:14 First use of Sid "A"\n' +
        '3 problems (3 errors, 0 warnings) in 2 of 2 policy files\n',
    );
    assert.equal(run.stderr, '');
  });
  it('prints nothing for clean policies; exit 0', () => {
    const root = tree({ 'ok.iam.json': CLEAN });
    const run = lint(['ok.iam.json'], { cwd: root });
    assert.deepEqual(run, { code: 0, stdout: '', stderr: '' });
  });
  it('colours only when asked or when FORCE_COLOR is set, and never with --no-color or NO_COLOR', () => {
    const root = tree({ 'b.iam.json': BROKEN });
    assert.doesNotMatch(lint(['b.iam.json'], { cwd: root }).stdout, ANSI, 'not a terminal: plain');
    const coloured = lint(['--color', 'b.iam.json'], { cwd: root }).stdout;
    assert.match(coloured, /b\.iam\.json:4:15 \u001b\[31merror\u001b\[39m \u001b\[2minvalid-sid\u001b\[22m Sid/);
    assert.match(lint(['b.iam.json'], { cwd: root, env: { FORCE_COLOR: '1' } }).stdout, ANSI);
    assert.doesNotMatch(lint(['b.iam.json'], { cwd: root, env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stdout, ANSI);
    assert.doesNotMatch(lint(['--color', '--no-color', 'b.iam.json'], { cwd: root }).stdout, ANSI, 'the last one wins');
    assert.match(lint(['--no-color', '--color', 'b.iam.json'], { cwd: root }).stdout, ANSI, 'the last one wins');
  });
  it('shows control and bidirectional characters of file names and messages as code points', () => {
    const root = tree({ 'evil\u202e.iam.json': policyWith(`{"Sid": "a\u202eb", ${VALID_STATEMENT_MEMBERS}}`) });
    const run = lint(['.'], { cwd: root });
    assert.equal(run.code, 1);
    assert.doesNotMatch(run.stdout, /\u202e/);
    assert.match(run.stdout, /^evil<U\+202E>\.iam\.json:1:50 error invalid-sid Sid "a<U\+202E>b" has U\+202E /m);
  });
});

describe('--format json', () => {
  it('gives every file, finding, place and the summary', () => {
    const root = tree({ 'b.iam.json': BROKEN, 'ok.iam.json': CLEAN, 'd.iam.json': DUPLICATE_SID });
    const run = lint(['--format', 'json', '.'], { cwd: root });
    assert.equal(run.code, 1);
    const output = parseJsonOutput(run);
    assert.deepEqual(
      output.files.map((file) => file.path),
      ['b.iam.json', 'd.iam.json', 'ok.iam.json'],
    );
    assert.deepEqual(output.files[0].findings[0], {
      code: 'invalid-sid',
      severity: 'error',
      message: 'Sid "a b" has U+0020 SPACE at position 2: IAM accepts only ASCII letters and digits in a Sid.',
      line: 4,
      column: 15,
      endLine: 4,
      endColumn: 18,
      offset: BROKEN.indexOf('a b'),
      length: 3,
    });
    assert.deepEqual(output.files[1].findings[0].related, [
      { message: 'First use of Sid "A"', line: 4, column: 14, endLine: 4, endColumn: 17, offset: 59, length: 3 },
    ]);
    assert.deepEqual(output.files[2].findings, []);
    assert.deepEqual(output.errors, []);
    assert.deepEqual(output.summary, { files: 3, errors: 3, warnings: 0, infos: 0, hints: 0, fixed: 0, skipped: 0, exitCode: 1 });
    assert.equal(run.stderr, '');
  });
  it('counts lines after CRLF and lone CR, and columns in UTF-16 code units', () => {
    const root = tree({ 'crlf.iam.json': '{\r\n"Statement":\r[{"Sid":"\ud83d\ude00 x"}]}' });
    const finding = parseJsonOutput(lint(['-f', 'json', 'crlf.iam.json'], { cwd: root })).files[0].findings;
    const sid = finding.find((item) => item.code === 'invalid-sid')!;
    assert.deepEqual([sid.line, sid.column, sid.endColumn], [3, 10, 14]);
    const character = finding.find((item) => item.code === 'disallowed-character')!;
    assert.deepEqual([character.line, character.column, character.endColumn, character.length], [3, 10, 12, 2]);
  });
});

describe('--severity, --max-warnings and --quiet', () => {
  // json-trailing-comma lowered to warning, invalid-policy-file-name (info by default) kept:
  // a valid policy but for 3 trailing commas (3 warnings) and its name (1 info).
  const files = {
    '.iam-policy.json': '{"rules": {"json-trailing-comma": "warning"}}',
    'two warnings.iam.json': `{"Version": "2012-10-17", "Statement": [{${VALID_STATEMENT_MEMBERS},},],}`,
  };
  it('fails on errors only by default', () => {
    const root = tree(files);
    const run = lint(['-f', 'json', '.'], { cwd: root });
    const summary = parseJsonOutput(run).summary;
    assert.deepEqual([summary.errors, summary.warnings, summary.infos], [0, 3, 1]);
    assert.equal(run.code, 0);
  });
  it('--severity warning fails on warnings, --severity info on infos too', () => {
    const root = tree(files);
    assert.equal(lint(['--severity', 'warning', '.'], { cwd: root }).code, 1);
    const infoOnly = tree({ '.iam-policy.json': '{}', 'bad name.iam.json': CLEAN });
    assert.equal(lint(['--severity', 'warning', '.'], { cwd: infoOnly }).code, 0);
    assert.equal(lint(['--severity', 'info', '.'], { cwd: infoOnly }).code, 1);
    assert.match(lint(['--severity', 'info', '.'], { cwd: infoOnly }).stdout, /bad name\.iam\.json:1:1 info invalid-policy-file-name /);
  });
  it('--max-warnings N fails when there are more than N warnings', () => {
    const root = tree(files);
    const over = lint(['--max-warnings', '2', '.'], { cwd: root });
    assert.equal(over.code, 1);
    assert.match(over.stderr, /too many warnings: 3, more than --max-warnings 2\./);
    assert.equal(lint(['--max-warnings', '3', '.'], { cwd: root }).code, 0);
    assert.equal(lint(['--max-warnings=0', '.'], { cwd: root }).code, 1);
  });
  it('--quiet shows errors only, and what it hides does not count', () => {
    const root = tree({ ...files, 'err.iam.json': BROKEN });
    const run = lint(['--quiet', '--max-warnings', '0', '.'], { cwd: root });
    assert.equal(run.code, 1);
    assert.doesNotMatch(run.stdout, /:\d+:\d+ (warning|info) /);
    assert.match(run.stdout, /^1 problem \(1 error, 0 warnings\) in 1 of 2 policy files$/m);
    assert.match(run.stdout, /err\.iam\.json:4:15 error invalid-sid/);
    assert.doesNotMatch(run.stderr, /too many warnings/);
    const quietClean = tree(files);
    assert.deepEqual(lint(['-q', '--severity', 'warning', '.'], { cwd: quietClean }), { code: 0, stdout: '', stderr: '' });
  });
});
