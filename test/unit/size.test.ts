import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from 'iam-policy-engine/analyze';
import { POLICY_DOCUMENT_MAX_LENGTH } from 'iam-policy-engine/limits';

/** A valid policy of exactly `length` characters, padded with white space or a long Resource. */
function policyOfLength(length: number, pad: 'space' | 'value'): string {
  const head = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/';
  const tail = '"}]}';
  const room = length - head.length - tail.length;
  if (pad === 'value') return head + 'k'.repeat(room) + tail;
  return head + 'k' + tail + ' '.repeat(room - 1);
}

describe('document size', () => {
  it('accepts exactly 131,072 characters', () => {
    const text = policyOfLength(POLICY_DOCUMENT_MAX_LENGTH, 'value');
    assert.equal(text.length, 131_072);
    // Within the API's limit. (Far over what a managed policy may hold: that quota of the
    // identity kind is a separate rule, of the family quota.)
    assert.deepEqual(
      analyze(text).findings.filter((item) => item.code !== 'managed-policy-size'),
      [],
    );
  });

  it('reports one character over, from the first character past the limit to the end', () => {
    const text = policyOfLength(POLICY_DOCUMENT_MAX_LENGTH + 1, 'value');
    const [item] = analyze(text).findings;
    assert.equal(item.code, 'document-too-large');
    assert.equal(item.severity, 'error');
    assert.equal(item.offset, 131_072);
    assert.equal(item.length, 1);
    assert.match(item.message, /131,073 characters, 1 over IAM's limit of 131,072/);
    assert.match(item.message, /Even without white space it is [\d,]+ characters, [\d,]+ over: split it/);
  });

  it('says when removing white space would bring it under', () => {
    const text = policyOfLength(140_000, 'space');
    const [item] = analyze(text).findings;
    assert.equal(item.code, 'document-too-large');
    assert.equal(item.offset + item.length, text.length);
    assert.match(item.message, /140,000 characters, 8,928 over.*Without white space it is 111 characters, under the limit: minify it\./);
  });

  it('counts an astral character as one character', () => {
    const base = policyOfLength(POLICY_DOCUMENT_MAX_LENGTH, 'value');
    // Replace one "k" by an emoji: two UTF-16 units but one character, so not over.
    const text = base.replace('kk', 'k\u{1F600}'.slice(0, 3));
    assert.equal(text.length, 131_073);
    assert.deepEqual(
      analyze(text).findings.map((item) => item.code),
      ['disallowed-character'],
    );
  });

  it('reports an empty document, and one of only white space', () => {
    assert.deepEqual(
      analyze('').findings.map((item) => item.code),
      ['empty-document'],
    );
    assert.deepEqual(
      analyze(' \n\t ').findings.map((item) => [item.code, item.offset, item.length]),
      [['empty-document', 0, 4]],
    );
  });
});
