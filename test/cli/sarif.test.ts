/**
 * --format sarif: the SARIF 2.1.0 log code-scanning services read.
 *
 * Schema validation: set SARIF_SCHEMA to the path of the official sarif-schema-2.1.0.json
 * (the draft-07 edition, as published by OASIS) to validate every log written here against
 * it with Ajv. No npm package ships that file, and files from other repositories are not
 * committed here, so without the variable that one test is skipped and says why; the
 * structural tests below check what code scanning relies on either way.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import Ajv from 'ajv';
import { RULES } from '../../server/src/policy/findings';
import { BROKEN, CLEAN, DUPLICATE_SID, lint, policyWith, removeTrees, tree, VALID_STATEMENT_MEMBERS } from './support';

after(removeTrees);

interface SarifLog {
  $schema: string;
  version: string;
  runs: Array<{
    tool: { driver: { name: string; version: string; rules: Array<{ id: string; shortDescription: { text: string }; defaultConfiguration: { level: string } }> } };
    invocations: Array<{ executionSuccessful: boolean; exitCode: number; toolExecutionNotifications: Array<{ level: string; message: { text: string }; locations?: unknown[] }> }>;
    originalUriBaseIds: Record<string, { uri: string }>;
    columnKind: string;
    results: Array<{
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: Array<{ physicalLocation: { artifactLocation: { uri?: string; uriBaseId?: string; description?: { text: string } }; region: Record<string, number> } }>;
      relatedLocations?: Array<{ id: number; message: { text: string }; physicalLocation: { region: Record<string, number> } }>;
    }>;
  }>;
}

/** Every SARIF log the tests produce, for the schema test. */
const logs: Array<{ name: string; log: unknown }> = [];

function sarif(name: string, args: string[], options: Parameters<typeof lint>[1] = {}): { code: number | null; log: SarifLog; stderr: string } {
  const run = lint(['--format', 'sarif', ...args], options);
  const log = JSON.parse(run.stdout) as SarifLog;
  logs.push({ name, log });
  return { code: run.code, log, stderr: run.stderr };
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
    assert.deepEqual(driver.rules.map((rule) => rule.id), Object.keys(RULES));
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
    assert.deepEqual(run.results[3].relatedLocations!.map((place) => [place.id, place.message.text, place.physicalLocation.region]), [
      [1, 'First use of Sid "A"', { startLine: 4, startColumn: 14, endLine: 4, endColumn: 17 }],
    ]);
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
    assert.deepEqual(invocation.toolExecutionNotifications.map((note) => [note.level, note.message.text]), [
      ['error', 'missing.iam.json: no such file or directory (ENOENT).'],
      ['note', 'f.iam.json: fixed 1 problem (1 json-trailing-comma)'],
    ]);
    const warnings = sarif('max-warnings', ['--max-warnings', '0', 'w.iam.json'], { cwd: fixRoot });
    assert.equal(warnings.code, 1);
    assert.deepEqual(warnings.log.runs[0].invocations[0].toolExecutionNotifications.map((note) => note.message.text), [
      'Too many warnings: 1, more than --max-warnings 0.',
    ]);
  });

  it('writes a valid log for a clean run', () => {
    const { log, code } = sarif('clean', ['policies/ok.iam.json'], { cwd: root });
    assert.equal(code, 0);
    assert.deepEqual(log.runs[0].results, []);
  });
});

describe('SARIF 2.1.0 JSON schema', () => {
  const schemaFile = process.env.SARIF_SCHEMA;
  it(
    'validates every log written above against the official schema',
    { skip: schemaFile === undefined ? 'set SARIF_SCHEMA to the official sarif-schema-2.1.0.json (draft-07) to run it' : false },
    () => {
      const schema = JSON.parse(fs.readFileSync(schemaFile!, 'utf8')) as { $schema?: string };
      assert.match(schema.$schema ?? '', /draft-07/, 'the draft-07 edition of the schema (Ajv\'s default draft)');
      // Formats (uri, date-time) are not checked: that needs ajv-formats, not a dependency here.
      // unicodeRegExp: false because the schema's language pattern has a stray `]` that is
      // a syntax error in a /u regular expression (JSON Schema patterns are ECMA-262 without u).
      const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false });
      const validate = ajv.compile(schema);
      assert.ok(logs.length >= 6, 'the tests above ran first');
      for (const { name, log } of logs) {
        assert.ok(validate(log), `${name}: ${ajv.errorsText(validate.errors, { separator: '\n' })}`);
      }
      // The schema does reject what is not SARIF 2.1.0.
      const wrongLevel = JSON.parse(JSON.stringify(logs[0].log)) as SarifLog;
      wrongLevel.runs[0].results[0].level = 'fatal';
      assert.equal(validate(wrongLevel), false);
      assert.equal(validate({ ...(logs[0].log as SarifLog), version: '2.0.0' }), false);
    },
  );
});
