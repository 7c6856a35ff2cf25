import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from 'iam-policy-engine/analyze';
import { type Code } from 'iam-policy-engine/findings';
import { enabledCodes, RULES } from 'iam-policy-engine/rules';
import { applyEdits, fixAll, fixesFor, validPolicyFileName } from 'iam-policy-engine/fixes';
import { POLICY_DOCUMENT_MAX_LENGTH } from 'iam-policy-engine/limits';

/** Applies the preferred fix of the first finding with `code`, returns the new text. */
function applyPreferred(text: string, code: Code, fileName?: string): { title: string; text: string } {
  const analysis = analyze(text, { fileName });
  const item = analysis.findings.find((candidate) => candidate.code === code);
  assert.ok(item, `no ${code} finding in ${JSON.stringify(text)}`);
  const fix = fixesFor(text, analysis, item, fileName).find((candidate) => candidate.isPreferred);
  assert.ok(fix, `no preferred fix for ${code}`);
  return { title: fix.title, text: applyEdits(text, fix.edits) };
}

/** The codes of the hard-rule families these fixes mend (the grammar is tested elsewhere). */
const codesOf = (text: string): string[] =>
  analyze(text)
    .findings.filter((item) => ['characters', 'json', 'names', 'size'].includes(RULES[item.code].family))
    .map((item) => item.code);
const first = (analysis: ReturnType<typeof analyze>, code: Code) => analysis.findings.find((item) => item.code === code)!;

describe('fixing disallowed characters', () => {
  it('replaces curly quotes used as JSON quotes with straight ones', () => {
    const text = '{\u201cStatement\u201d: [], "Version": "2012-10-17"}';
    const first = applyPreferred(text, 'disallowed-character');
    assert.equal(first.title, 'Replace U+201C LEFT DOUBLE QUOTATION MARK with "');
    const all = applyEdits(text, fixAll(text, analyze(text)));
    assert.equal(all, '{"Statement": [], "Version": "2012-10-17"}');
    assert.deepEqual(codesOf(all), []);
  });

  it('escapes a curly double quote inside a string value, keeping the JSON valid', () => {
    const text = '{"Statement": [], "Id": "say \u201chi\u201d"}';
    const fixed = applyEdits(text, fixAll(text, analyze(text)));
    assert.equal(fixed, '{"Statement": [], "Id": "say \\"hi\\""}');
    assert.deepEqual(codesOf(fixed), []);
  });

  it('replaces single quotes, dashes, ellipsis and odd spaces; removes zero-width characters', () => {
    const text = '{"Statement": [], "Id": "it\u2019s\u2014a\u2026b\u2003c\u200bd\u00a0e"}';
    const fixed = applyEdits(text, fixAll(text, analyze(text)));
    assert.equal(fixed, '{"Statement": [], "Id": "it\'s-a...b cd\u00a0e"}');
  });

  it('turns a line separator into a line feed between tokens', () => {
    const text = '{"Statement": [],\u2028"Id": "x"}';
    assert.equal(applyPreferred(text, 'disallowed-character').text, '{"Statement": [],\n"Id": "x"}');
  });

  it('offers only removal for a character without an ASCII equivalent, and fix-all leaves it', () => {
    const text = '{"Statement": [], "Id": "ok \u{1F600}"}';
    const analysis = analyze(text);
    const fixes = fixesFor(text, analysis, first(analysis, 'disallowed-character'));
    assert.deepEqual(
      fixes.map((fix) => [fix.title, fix.isPreferred ?? false]),
      [['Remove U+1F600 (no ASCII equivalent)', false]],
    );
    assert.equal(applyEdits(text, fixes[0].edits), '{"Statement": [], "Id": "ok "}');
    assert.deepEqual(fixAll(text, analysis), []);
  });

  it('offers a fix-all action when there are several', () => {
    const text = '{"Statement": [], "Id": "\u2018a\u2019", "Version": "2012\u201310\u201317"}';
    const analysis = analyze(text);
    const titles = fixesFor(text, analysis, first(analysis, 'disallowed-character')).map((fix) => fix.title);
    assert.ok(titles.includes('Fix all disallowed characters with ASCII equivalents'));
  });
});

describe('fixing the size', () => {
  it('minifies when that brings the document under the limit, keeping strings', () => {
    const statement = '{\n      "Effect": "Allow",\n      "Action": "s3:GetObject",\n      "Resource": "arn:aws:s3:::a  b/*"\n    }';
    const statements = Array.from({ length: 1200 }, () => statement).join(',\n    ');
    const text = `{\n  "Version": "2012-10-17",\n  "Statement": [\n    ${statements}\n  ]\n}\n`;
    assert.ok(text.length > POLICY_DOCUMENT_MAX_LENGTH);
    const { title, text: fixed } = applyPreferred(text, 'document-too-large');
    assert.match(title, /^Minify the document \([\d,]+ characters, under the limit\)$/);
    assert.ok(fixed.length <= POLICY_DOCUMENT_MAX_LENGTH);
    assert.deepEqual(JSON.parse(fixed), JSON.parse(text));
    assert.deepEqual(codesOf(fixed), []);
  });

  it('offers nothing when even the minified document is too large', () => {
    const text = `{"Statement": [], "Id": "${'x'.repeat(POLICY_DOCUMENT_MAX_LENGTH)}"}`;
    const analysis = analyze(text);
    assert.deepEqual(fixesFor(text, analysis, first(analysis, 'document-too-large')), []);
  });
});

describe('fixing names', () => {
  it('drops what is not a letter or digit from a Sid', () => {
    const text = '{"Statement": [{"Sid": "Allow read-only!"}]}';
    assert.equal(applyPreferred(text, 'invalid-sid').text, '{"Statement": [{"Sid": "Allowreadonly"}]}');
  });

  it('keeps the new Sid unique', () => {
    const text = '{"Statement": [{"Sid": "AB"}, {"Sid": "A B"}]}';
    assert.equal(applyPreferred(text, 'invalid-sid').text, '{"Statement": [{"Sid": "AB"}, {"Sid": "AB2"}]}');
    const duplicate = '{"Statement": [{"Sid": "S"}, {"Sid": "S"}, {"Sid": "S2"}]}';
    assert.equal(applyPreferred(duplicate, 'duplicate-sid').text, '{"Statement": [{"Sid": "S"}, {"Sid": "S3"}, {"Sid": "S2"}]}');
  });

  it('names a Sid of only punctuation after its statement', () => {
    assert.equal(applyPreferred('{"Statement": [{}, {"Sid": "!!"}]}', 'invalid-sid').text, '{"Statement": [{}, {"Sid": "Statement2"}]}');
  });

  it('renames the file to a valid policy name, keeping its suffix', () => {
    assert.equal(validPolicyFileName('/w/my policy (v2).iam.json'), 'my-policy-v2.iam.json');
    assert.equal(validPolicyFileName('/w/\u00e9t\u00e9.policy.json'), 't.policy.json');
    assert.equal(validPolicyFileName('/w/fine.iam.json'), undefined);
    const analysis = analyze('{"Statement": []}', { fileName: '/w/a b.json' });
    const [fix] = fixesFor('{"Statement": []}', analysis, first(analysis, 'invalid-policy-file-name'), '/w/a b.json');
    assert.deepEqual([fix.title, fix.renameTo], ['Rename the file to a-b.json', 'a-b.json']);
  });
});

describe('fixing JSON', () => {
  it('removes a comment, with its line when it stands alone', () => {
    assert.equal(applyPreferred('{\n  // note\n  "Statement": []\n}', 'json-comment').text, '{\n  "Statement": []\n}');
    assert.equal(applyPreferred('{"Statement": []  /* x */}', 'json-comment').text, '{"Statement": []}');
  });

  it('removes a trailing comma, and all of them with fix-all', () => {
    assert.equal(applyPreferred('{"Statement": [1,],}', 'json-trailing-comma').text, '{"Statement": [1],}');
    const text = '{"Statement": [1,],}';
    assert.equal(applyEdits(text, fixAll(text, analyze(text))), '{"Statement": [1]}');
  });
});

describe('fix-all with rule settings', () => {
  // Curly quotes and an en dash (disallowed-character) and two trailing commas.
  const text = '{\u201cStatement\u201d: [1,], "Version": "2012\u201310\u201317",}';

  it('fixes everything safe when no set of fixable codes is given (the language server)', () => {
    assert.equal(applyEdits(text, fixAll(text, analyze(text))), '{"Statement": [1], "Version": "2012-10-17"}');
  });

  it('fixes only the codes it is given, so a rule set to off is not fixed', () => {
    const analysis = analyze(text);
    const withoutCommas = enabledCodes({ rules: { 'json-trailing-comma': 'off' } });
    assert.equal(applyEdits(text, fixAll(text, analysis, withoutCommas)), '{"Statement": [1,], "Version": "2012-10-17",}');
    const withoutCharacters = enabledCodes({ rules: { 'disallowed-character': 'off', 'json-trailing-comma': 'warning' } });
    assert.equal(applyEdits(text, fixAll(text, analysis, withoutCharacters)), '{\u201cStatement\u201d: [1], "Version": "2012\u201310\u201317"}');
    assert.deepEqual(fixAll(text, analysis, new Set()), []);
  });
});
