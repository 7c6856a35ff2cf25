/**
 * The TextMate grammar (syntaxes/iam-policy.tmLanguage.json), checked with vscode-tmgrammar-test:
 * - assertions/*.iam.json: `// ^^^ scope` assertions under each source line (vscode-tmgrammar-test);
 * - snapshots/*.json + .snap: every token's scopes (vscode-tmgrammar-snap).
 * Both CLIs run as child processes, exactly as a developer runs them; `npm run test:grammar-update`
 * rewrites the snapshots after an intended change. test/grammar/README.md has the details.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createRegistry } from 'vscode-tmgrammar-test/dist/common/index';
import { parseGrammarTestCase } from 'vscode-tmgrammar-test/dist/unit/parsing';
import { REPO_ROOT } from '../support/paths';

const GRAMMAR_TESTS = path.join(REPO_ROOT, 'test', 'grammar');
const ASSERTIONS = path.join(GRAMMAR_TESTS, 'assertions');
const SNAPSHOTS = path.join(GRAMMAR_TESTS, 'snapshots');
const MANIFEST = path.join(REPO_ROOT, 'package.json');
const GRAMMAR = path.join(REPO_ROOT, 'syntaxes', 'iam-policy.tmLanguage.json');
const SCOPE = 'source.json.iam-policy';

/** The tool's own bin entries, so the test runs what `npx vscode-tmgrammar-test` would. */
function toolBin(name: 'vscode-tmgrammar-test' | 'vscode-tmgrammar-snap'): string {
  const manifest = require.resolve('vscode-tmgrammar-test/package.json');
  const bin = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { bin: Record<string, string> }).bin;
  return path.join(path.dirname(manifest), bin[name]);
}

interface ToolRun {
  code: number;
  output: string;
}

/** Runs a CLI of the tool with the extension manifest (which names the grammar) as its configuration. */
function runTool(name: 'vscode-tmgrammar-test' | 'vscode-tmgrammar-snap', args: string[]): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [toolBin(name), '--config', MANIFEST, ...args],
      { cwd: REPO_ROOT, env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`;
        if (!error) return resolve({ code: 0, output });
        if (typeof error.code === 'number') return resolve({ code: error.code, output });
        if (error.signal) return resolve({ code: -1, output: `${name} stopped by ${error.signal} (timed out?)\n${output}` });
        reject(error);
      },
    );
  });
}

const listFiles = (dir: string, suffix: string): string[] =>
  fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(suffix))
    .sort()
    .map((name) => path.join(dir, name));

const assertionFiles = listFiles(ASSERTIONS, '.json');
const snapshotCases = listFiles(SNAPSHOTS, '.json');

/**
 * Assertion lines whose shape the tool's parser would choke on. Its assertion regex backtracks
 * exponentially on some malformed lines (a second ` - `, a stray character after a long scope
 * name), which hangs the run instead of failing it; this check is linear, so a typo fails fast.
 */
function malformedAssertionLines(): string[] {
  const problems: string[] = [];
  for (const file of assertionFiles) {
    fs.readFileSync(file, 'utf8')
      .split(/\r?\n/)
      .forEach((line, index) => {
        if (index === 0 || !line.startsWith('//')) return;
        const body = line.slice(2);
        // The tool's own test for "this is an assertion line".
        if (!/^\s*(?:\^|<~*-+)/.test(body)) return;
        const rest = body.replace(/^\s*<~*-+/, '').replace(/^[\s^]+/, '');
        const words = rest.split(/\s+/).filter((word) => word !== '');
        const wellFormed =
          words.some((word) => word !== '-') &&
          words.filter((word) => word === '-').length <= 1 &&
          words.every((word) => word === '-' || /^\w[-\w.]*$/.test(word));
        if (!wellFormed) problems.push(`${path.relative(REPO_ROOT, file)}:${index + 1}: ${line}`);
      });
  }
  return problems;
}

/** Every scope name the grammar can produce (rule and capture names; a name may hold several scopes). */
function grammarScopes(): Set<string> {
  const scopes = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'name' || key === 'contentName') && typeof value === 'string') {
        value.split(/\s+/).forEach((scope) => scopes.add(scope));
      } else {
        visit(value);
      }
    }
  };
  visit((JSON.parse(fs.readFileSync(GRAMMAR, 'utf8')) as { repository: unknown }).repository);
  return scopes;
}

/** The scopes that assertion files require, the ones they exclude, and how many assertions there are. */
function assertedScopes(): { required: Set<string>; excluded: Set<string>; count: number } {
  const required = new Set<string>();
  const excluded = new Set<string>();
  let count = 0;
  for (const file of assertionFiles) {
    const testCase = parseGrammarTestCase(fs.readFileSync(file, 'utf8'));
    assert.equal(testCase.metadata.scope, SCOPE, `${file}: header names the wrong grammar`);
    for (const line of testCase.assertions) {
      for (const assertion of line.scopeAssertions) {
        count++;
        assertion.scopes.forEach((scope) => required.add(scope));
        assertion.exclude.forEach((scope) => excluded.add(scope));
      }
    }
  }
  return { required, excluded, count };
}

/** The scopes recorded in the .snap files (lines `#   ^^^ scope scope ...`). */
function snapshotScopes(): Set<string> {
  const scopes = new Set<string>();
  for (const snap of listFiles(SNAPSHOTS, '.snap')) {
    for (const line of fs.readFileSync(snap, 'utf8').split('\n')) {
      const match = /^#\s*\^+ (.*)$/.exec(line);
      if (match) match[1].split(/\s+/).forEach((scope) => scopes.add(scope));
    }
  }
  return scopes;
}

describe('grammar fixtures', () => {
  it('exist, and every snapshot case has a .snap file (without one the tool would write it and pass)', () => {
    assert.ok(assertionFiles.length >= 5, `assertion files in ${ASSERTIONS}`);
    assert.ok(snapshotCases.length >= 3, `snapshot cases in ${SNAPSHOTS}`);
    const missing = snapshotCases.filter((file) => !fs.existsSync(`${file}.snap`));
    assert.deepEqual(missing, [], 'run `npm run test:grammar-update` and review the new .snap files');
    const orphans = listFiles(SNAPSHOTS, '.snap').filter((snap) => !fs.existsSync(snap.slice(0, -'.snap'.length)));
    assert.deepEqual(orphans, [], '.snap files whose source file is gone');
  });

  it('have well-formed assertion lines: `^^^ scopes` or `<- scopes`, then at most one ` - excluded scopes`', () => {
    assert.deepEqual(malformedAssertionLines(), []);
  });

  it('assert every scope the grammar defines, and the snapshots contain every one too', (t) => {
    assert.deepEqual(malformedAssertionLines(), [], 'see the test above');
    const defined = grammarScopes();
    const { required, excluded, count } = assertedScopes();
    assert.deepEqual(
      [...defined].filter((scope) => !required.has(scope)),
      [],
      'scopes no assertion requires',
    );
    // An excluded scope that the grammar never produces would make its assertion pass vacuously.
    const unknown = [...required, ...excluded].filter((scope) => !defined.has(scope) && scope !== SCOPE);
    assert.deepEqual(unknown, [], 'asserted scopes the grammar never produces');
    assert.ok(count >= 200, `only ${count} assertions`);
    t.diagnostic(`${count} assertions in ${assertionFiles.length} files cover all ${defined.size} scopes`);
    const snapped = snapshotScopes();
    assert.deepEqual(
      [...defined].filter((scope) => !snapped.has(scope)),
      [],
      'scopes no snapshot shows',
    );
  });
});

describe('grammar', { concurrency: true }, () => {
  // The last two tests are controls: the same tools on copies with one deliberately wrong
  // expectation must fail, so a passing run means the expectations were really checked.
  let scratch = '';
  before(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-grammar-test-'));
  });
  after(() => {
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('passes every assertion in test/grammar/assertions', async () => {
    assert.deepEqual(malformedAssertionLines(), [], 'the tool could hang on these lines');
    const run = await runTool('vscode-tmgrammar-test', assertionFiles);
    assert.equal(run.code, 0, run.output);
    for (const file of assertionFiles) {
      assert.match(run.output, new RegExp(`✓ .*${path.basename(file).replace(/\./g, '\\.')} run successful`), run.output);
    }
  });

  it('matches every snapshot in test/grammar/snapshots', async () => {
    const run = await runTool('vscode-tmgrammar-snap', ['--scope', SCOPE, ...snapshotCases]);
    assert.equal(run.code, 0, run.output);
    assert.doesNotMatch(run.output, /Generating snapshot|Updating snapshot/, run.output);
    for (const file of snapshotCases) {
      assert.match(run.output, new RegExp(`✓ .*${path.basename(file).replace(/\./g, '\\.')} run successfully`), run.output);
    }
  });

  it('control: the assertion tool reports an expectation that does not hold', async () => {
    const source = fs.readFileSync(path.join(ASSERTIONS, 'values.iam.json'), 'utf8');
    const wrong = source.replace(/constant\.language\.effect\.deny\.iam-policy$/m, 'constant.language.effect.allow.iam-policy');
    assert.notEqual(wrong, source);
    const file = path.join(scratch, 'wrong-expectation.iam.json');
    fs.writeFileSync(file, wrong);
    const run = await runTool('vscode-tmgrammar-test', [file]);
    assert.notEqual(run.code, 0, run.output);
    assert.match(run.output, /missing required scopes: constant\.language\.effect\.allow\.iam-policy/);
  });

  it('control: the snapshot tool reports a snapshot that differs, without rewriting it', async () => {
    const name = 'home-folders.iam.json';
    const snap = fs.readFileSync(path.join(SNAPSHOTS, `${name}.snap`), 'utf8');
    const wrong = snap.replace(/keyword\.operator\.wildcard\.iam-policy$/m, 'keyword.operator.condition.iam-policy');
    assert.notEqual(wrong, snap);
    fs.copyFileSync(path.join(SNAPSHOTS, name), path.join(scratch, name));
    fs.writeFileSync(path.join(scratch, `${name}.snap`), wrong);
    const run = await runTool('vscode-tmgrammar-snap', ['--scope', SCOPE, path.join(scratch, name)]);
    assert.notEqual(run.code, 0, run.output);
    assert.match(run.output, /ERROR in test case/);
    assert.equal(fs.readFileSync(path.join(scratch, `${name}.snap`), 'utf8'), wrong);
  });
});

describe('grammar on long lines', () => {
  // A minified policy is one long line. Rules that rescan the line (captures with patterns,
  // unanchored searches that retry at every position) made these take 3 to 9 s each; linear
  // rules take a few milliseconds. The budget is generous so that only a quadratic rule fails it.
  const repeat = (text: string, times: number): string => text.repeat(times);
  const lines: Record<string, string> = {
    'many colons in an ARN': `{"Resource": "arn:aws:s3:${repeat(':', 20_000)}"}`,
    'many ${ with defaults': `{"Resource": "${repeat("${a, '", 3_000)}"}`,
    'many variables in one ARN field': `{"Resource": "arn:${repeat('a${b}', 4_000)}"}`,
    'a long Action array': `{"Action": [${repeat('"s3:Get*", "arn:aws:s3:::b/${aws:username}", ', 500)}"*"]}`,
    'an unterminated string': `{"Sid": "${repeat('ab\\n', 5_000)}`,
  };

  it('tokenizes 20,000-character lines in linear time', async (t) => {
    const grammar = await createRegistry([{ path: GRAMMAR, scopeName: SCOPE }]).loadGrammar(SCOPE);
    assert.ok(grammar, 'the grammar loads');
    let total = 0;
    for (const [what, line] of Object.entries(lines)) {
      const start = performance.now();
      const result = grammar.tokenizeLine(line, null);
      const elapsed = performance.now() - start;
      total += elapsed;
      assert.equal(result.stoppedEarly, false, what);
      assert.ok(result.tokens.length > 1, what);
      t.diagnostic(`${what}: ${line.length} characters, ${elapsed.toFixed(0)} ms`);
    }
    assert.ok(total < 3_000, `${total.toFixed(0)} ms for ${Object.keys(lines).length} long lines`);
  });
});
