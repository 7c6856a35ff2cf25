import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findNodeAtOffset, getNodeValue, parseTree } from 'jsonc-parser';
import { minifiedLength, minify, parseJson } from 'iam-policy-engine/json';
import { findings as allFindings, messages as allMessages } from '../support/engine';

const findings = (text: string) => allFindings(text, { families: ['json', 'characters'] });
const messages = (text: string) => allMessages(text, { families: ['json', 'characters'] });

describe('strict JSON', () => {
  it('reports a comment where it is', () => {
    assert.deepEqual(findings('{\n  // allow reads\n  "Statement": []\n}'), [{ code: 'json-comment', at: '// allow reads' }]);
    assert.deepEqual(findings('{"Statement": /* x */ []}'), [{ code: 'json-comment', at: '/* x */' }]);
  });

  it('reports a trailing comma at the comma', () => {
    assert.deepEqual(findings('{"Statement": [1, 2,], "Version": "2012-10-17",\n}'), [
      { code: 'json-trailing-comma', at: ',' },
      { code: 'json-trailing-comma', at: ',' },
    ]);
    const text = '{"Statement": [],}';
    const [item] = parseJson(text).problems;
    assert.equal(item.offset, text.lastIndexOf(','));
  });

  it('reports the second of duplicate keys and points at the first', () => {
    const text = '{"Statement": {"Effect": "Deny", "Effect": "Allow"}}';
    assert.deepEqual(findings(text), [{ code: 'json-duplicate-key', at: '"Effect"' }]);
    const [problem] = parseJson(text).problems;
    assert.equal(problem.firstOffset, text.indexOf('"Effect"'));
    assert.equal(problem.offset, text.lastIndexOf('"Effect"'));
  });

  it('reports syntax errors where they are, with a message saying what was expected', () => {
    assert.deepEqual(findings('{"Statement": [] "Version": "2012-10-17"}'), [{ code: 'json-syntax', at: '"Version"' }]);
    assert.match(messages('{"Statement": [] "Version": "2012-10-17"}')[0], /Comma expected between properties/);
    assert.deepEqual(findings('not json'), [{ code: 'json-syntax', at: 'not' }]);
    assert.deepEqual(findings('{"Statement": []}\n{"Statement": []}'), [{ code: 'json-syntax', at: '{"Statement": []}' }]);
    // Text after the root: marked up to the white space that ends the document, not over it.
    const after = '{"Statement": []}\n{"Statement": [ ]} \t\r\n  \n';
    const [extra] = parseJson(after).problems;
    assert.deepEqual([extra.offset, extra.length], [after.indexOf('\n') + 1, '{"Statement": [ ]}'.length]);
    const bare = '{}x';
    assert.deepEqual(
      parseJson(bare).problems.map((item) => [item.offset, item.length]),
      [[2, 1]],
    );
    assert.deepEqual(
      findings("{'Statement': []}").map((item) => item.code),
      ['json-syntax'],
    );
    assert.deepEqual(findings('{"Statement": [01]}'), [{ code: 'json-syntax', at: '01' }]);
    assert.deepEqual(findings('{"Statement": ["a\\x"]}'), [{ code: 'json-syntax', at: '\\x' }]);
    assert.deepEqual(
      findings('{"Statement": ["tab\there"]}').map((item) => item.code),
      ['json-syntax'],
    );
  });

  it('reports an unterminated document at its end', () => {
    const text = '{"Statement": [{"Effect": "Allow"}';
    const [item] = parseJson(text).problems;
    assert.equal(item.kind, 'syntax');
    assert.equal(item.offset, text.length - 1);
    assert.match(item.message, /Closing bracket \] expected at the end of the document/);
    assert.match(parseJson('{"Statement": {"Effect": "Allow"}').problems[0].message, /Closing brace \} expected/);
  });

  it('gives one error, not a cascade, for unquoted or curly-quoted keys and values', () => {
    assert.equal(parseJson('{Statement: []}').problems.length, 1);
    assert.equal(parseJson('{"Effect": Allow, "Action": "s3:*"}').problems.length, 1);
    // Typographic quotes are left to the character check, which reports them with a fix.
    const curly = parseJson('{\u201cEffect\u201d: \u201cAllow"}');
    assert.deepEqual(curly.problems, []);
    assert.equal(JSON.stringify(getNodeValue(curly.root!)), '{"Effect":"Allow"}');
    assert.deepEqual(
      findings('{\u201cStatement\u201d: []}').map((item) => item.code),
      ['disallowed-character', 'disallowed-character'],
    );
    assert.deepEqual(findings("{'Statement': []}"), [{ code: 'json-syntax', at: "'Statement'" }]);
  });

  it('builds the same tree as jsonc-parser for valid JSON', () => {
    const text = '{"Version": "2012-10-17", "Statement": [{"Sid": "a\\"b\\u00e9", "N": -1.5e3, "B": [true, false, null], "O": {}}]}';
    const ours = parseJson(text).root!;
    const theirs = parseTree(text)!;
    assert.deepEqual(getNodeValue(ours), getNodeValue(theirs));
    assert.equal(JSON.stringify(getNodeValue(ours)), JSON.stringify(JSON.parse(text)));
    for (let offset = 0; offset < text.length; offset++) {
      const a = findNodeAtOffset(ours, offset);
      const b = findNodeAtOffset(theirs, offset);
      assert.deepEqual([a?.type, a?.offset, a?.length], [b?.type, b?.offset, b?.length], `offset ${offset}`);
    }
  });

  it('handles nesting 100,000 deep without overflowing the stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const parsed = parseJson(deep);
    assert.equal(parsed.depth, 100_000);
    assert.deepEqual(parsed.problems, []);
    assert.equal(parseJson('['.repeat(100_000)).problems.length, 1);
  });

  it('minifies without touching string values, and refuses when the JSON is broken', () => {
    assert.equal(minify('{ "a b" : [ 1 , "x  y" ] }\n'), '{"a b":[1,"x  y"]}');
    assert.equal(minify('{"a": 1 2}'), undefined);
    assert.equal(minify('{"a": 1} // c'), undefined);
  });

  it('counts the minified length from the tree, as minify would give it', () => {
    for (const text of ['{ "a b" : [ 1 , "x  y", {}, [ ], true, null ] }\n', '{"a": [1, 2,], }', '[]', '"s"', '{"a": {"b": {"c": [1, [2, [3]]]}}}']) {
      assert.equal(minifiedLength(parseJson(text)), minify(text)?.length, text);
    }
    assert.equal(minifiedLength(parseJson('{"a": 1 2}')), undefined);
  });
});
