/**
 * The corpus in test/fixtures/corpus (copied from the team's shared corpus; origins and
 * licences in its SOURCES.md): 1,594 AWS managed policies, all accepted by IAM; 60 problem
 * policies with the expected finding in words; 21 valid controls.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyze } from '../../server/src/policy/analyze';
import { LspTestClient } from '../support/lspClient';
import { FIXTURES } from '../support/paths';

const CORPUS = path.join(FIXTURES, 'corpus');

function read(set: string): Array<{ name: string; file: string; text: string }> {
  const dir = path.join(CORPUS, set);
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({ name, file: path.join(dir, name), text: fs.readFileSync(path.join(dir, name), 'utf8') }));
}

/** The two managed policies whose files are over 131,072 characters (AWS stores them compact). */
const OVERSIZED = new Set(['AWSSupportServiceRolePolicy.json', 'ReadOnlyAccess.json']);

/**
 * The problem cases whose problem is a character, size, name or JSON problem, with the
 * finding expected and the text it must cover.
 */
const EXPECTED: Record<string, Array<{ code: string; at: string }>> = {
  'parliament-not-json.json': [{ code: 'json-syntax', at: 'not' }],
  'docs-two-policy-objects.json': [{ code: 'json-syntax', at: '{ \n      "Statement": {\n         "Effect": "Allow",\n         "Action": "s3:*",\n         "Resource": "arn:aws:s3:::my-bucket/*"\n      }\n    }' }],
  'docs-duplicate-statement-key.json': [{ code: 'json-duplicate-key', at: '"Statement"' }],
  'docs-duplicate-effect-key.json': [{ code: 'json-duplicate-key', at: '"Effect"' }],
  'docs-duplicate-resource-key.json': [{ code: 'json-duplicate-key', at: '"Resource"' }],
  'parliament-sid-not-alphanumeric.json': [{ code: 'invalid-sid', at: 'Statement With Spaces And Special Chars!?' }],
  'parliament-duplicate-sid.json': [{ code: 'duplicate-sid', at: '"stmt"' }],
  'cfnlint-sid-space-and-duplicate.json': [
    { code: 'invalid-sid', at: 'invalid regex' },
    { code: 'duplicate-sid', at: '"Sid1"' },
  ],
};

const errorsOf = (text: string, fileName: string) =>
  analyze(text, { fileName }).findings.filter((item) => item.severity === 'error');

describe('corpus: AWS managed policies', () => {
  const managed = read('managed');

  it('has the 1,594 policies', () => {
    assert.equal(managed.length, 1594);
  });

  it('gives no Error on any, except the size Error on the two files truly over 131,072 characters', () => {
    const wrong: string[] = [];
    for (const { name, text } of managed) {
      const errors = errorsOf(text, name).map((item) => item.code);
      const expected = OVERSIZED.has(name) ? ['document-too-large'] : [];
      if (JSON.stringify(errors) !== JSON.stringify(expected)) wrong.push(`${name}: ${errors.join(', ') || 'none'}`);
    }
    assert.deepEqual(wrong, []);
    for (const name of OVERSIZED) assert.ok(fs.statSync(path.join(CORPUS, 'managed', name)).size > 131_072);
  });
});

describe('corpus: problem policies', () => {
  const invalid = read('invalid');

  it('has the 60 cases, each with its expectation in words', () => {
    assert.equal(invalid.length, 60);
    for (const { file } of invalid) assert.ok(fs.existsSync(file.replace(/\.json$/, '.expected.txt')), file);
  });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name}: ${expected.map((item) => item.code).join(', ')}`, () => {
      const { text } = invalid.find((item) => item.name === name)!;
      const found = analyze(text, { fileName: name }).findings.map((item) => ({ code: item.code, at: text.slice(item.offset, item.offset + item.length) }));
      for (const item of expected) assert.ok(found.some((other) => other.code === item.code && other.at === item.at), `${JSON.stringify(item)} not in ${JSON.stringify(found)}`);
    });
  }

  it('gives no character, size, name or JSON Error to the other cases, whose problems lie elsewhere', () => {
    const hardRules = /^(disallowed-character|document-too-large|empty-document|invalid-sid|duplicate-sid|invalid-arn-entity-name|json-)/;
    const wrong = invalid
      .filter(({ name }) => !(name in EXPECTED))
      .flatMap(({ name, text }) => errorsOf(text, name).filter((item) => hardRules.test(item.code)).map((item) => `${name}: ${item.code}`));
    assert.deepEqual(wrong, []);
  });
});

describe('corpus: valid controls', () => {
  it('gives no Error to any of the 21', () => {
    const valid = read('valid');
    assert.equal(valid.length, 21);
    const wrong = valid.flatMap(({ name, text }) => errorsOf(text, name).map((item) => `${name}: ${item.code} ${item.message}`));
    assert.deepEqual(wrong, []);
  });
});

describe('corpus through the language server', () => {
  let client: LspTestClient;
  before(async () => {
    ({ client } = await LspTestClient.start({ settings: {} }));
  });
  after(() => client.stop());

  it('publishes no Error for any managed policy but the two oversized ones', async () => {
    const wrong: string[] = [];
    for (const { name, text } of read('managed')) {
      const uri = `file:///corpus/managed/${name}`;
      await client.open(uri, text);
      const errors = (await client.settled(uri)).filter((d) => d.severity === 1).map((d) => String(d.code));
      const expected = OVERSIZED.has(name) ? ['document-too-large'] : [];
      if (JSON.stringify(errors) !== JSON.stringify(expected)) wrong.push(`${name}: ${errors.join(', ') || 'none'}`);
      await client.close(uri);
    }
    assert.deepEqual(wrong, []);
  });
});
