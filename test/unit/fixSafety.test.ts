/**
 * Nothing is lost by a fix: the parser never points outside the text, applying edits refuses
 * what lies outside the text or overlaps, and a fix offered as safe (fix-all, fix on save,
 * --fix) never leaves the document parsing worse than it found it.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from 'iam-policy-engine/analyze';
import { applyEdits, fixAll } from 'iam-policy-engine/fixes';

/** A key missing its opening quote: the parser once reported a trailing comma at offset -1. */
const KEY_WITHOUT_OPENING_QUOTE = '{\n    Version": "2012-10-17",\n    "Statement": []\n}\n';
/** A key closed by a typographic quote: the same, and the fix escaped the quote. */
const KEY_CLOSED_BY_CURLY_QUOTE = '{\n    "Version\u201d: "2012-10-17",\n    "Statement": []\n}\n';

const jsonProblems = (text: string): number => analyze(text).parsed.problems.length;

describe('findings stay inside the text', () => {
  for (const [name, text] of [
    ['a key missing its opening quote', KEY_WITHOUT_OPENING_QUOTE],
    ['a key closed by a curly quote', KEY_CLOSED_BY_CURLY_QUOTE],
  ]) {
    it(`for ${name}, and a trailing comma is reported only at a comma before a closer`, () => {
      const analysis = analyze(text);
      for (const item of [...analysis.findings, ...analysis.parsed.problems]) {
        assert.ok(item.offset >= 0 && item.offset + item.length <= text.length, `${JSON.stringify(item)} is outside the text`);
      }
      assert.deepEqual(
        analysis.findings.filter((item) => item.code === 'json-trailing-comma'),
        [],
      );
    });
  }

  it('reports a trailing comma only right before the closer, not one that something follows', () => {
    const commas = (text: string): string[] =>
      analyze(text)
        .findings.filter((item) => item.code === 'json-trailing-comma')
        .map((item) => `${item.offset}:${text.charAt(item.offset)}`);
    assert.deepEqual(commas('{"Statement": [1, 2,]}'), ['19:,']);
    assert.deepEqual(commas('{"Statement": [1,,]}'), ['17:,']);
    // Something stands after the comma, or no comma at all: no trailing comma to remove.
    assert.deepEqual(commas('{"Statement": [1, :]}'), []);
    assert.deepEqual(commas('{"a": 1, [2] }'), []);
    assert.deepEqual(commas('{"a": 1 : }'), []);
  });
});

describe('applying edits', () => {
  it('applies edits in place, touching ones and insertions at one place in the order given', () => {
    assert.equal(
      applyEdits('abcdef', [
        { offset: 4, length: 2, newText: 'X' },
        { offset: 0, length: 1, newText: '' },
        { offset: 1, length: 3, newText: 'Y' },
      ]),
      'YX',
    );
    assert.equal(
      applyEdits('ab', [
        { offset: 1, length: 0, newText: '1' },
        { offset: 1, length: 0, newText: '2' },
      ]),
      'a12b',
    );
    assert.equal(applyEdits('ab', [{ offset: 2, length: 0, newText: '!' }]), 'ab!');
    assert.equal(applyEdits('ab', []), 'ab');
  });

  it('refuses an edit outside the text instead of copying text (the file that multiplied)', () => {
    for (const edit of [
      { offset: -1, length: 1, newText: '' },
      { offset: 2, length: 1, newText: '' },
      { offset: 3, length: 0, newText: 'x' },
      { offset: 0, length: -1, newText: '' },
      { offset: 0.5, length: 0, newText: '' },
      { offset: Number.NaN, length: 0, newText: '' },
    ]) {
      assert.throws(() => applyEdits('ab', [edit]), RangeError, JSON.stringify(edit));
    }
  });

  it('refuses overlapping edits', () => {
    assert.throws(
      () =>
        applyEdits('abcdef', [
          { offset: 1, length: 3, newText: 'x' },
          { offset: 2, length: 0, newText: 'y' },
        ]),
      /overlaps/,
    );
    assert.throws(
      () =>
        applyEdits('abcdef', [
          { offset: 0, length: 6, newText: '' },
          { offset: 5, length: 1, newText: '' },
        ]),
      /overlaps/,
    );
  });
});

describe('safe fixes leave the document parsing at least as well', () => {
  it('makes a curly quote that closes a key a straight one, so the document parses', () => {
    const fixed = applyEdits(KEY_CLOSED_BY_CURLY_QUOTE, fixAll(KEY_CLOSED_BY_CURLY_QUOTE, analyze(KEY_CLOSED_BY_CURLY_QUOTE)));
    assert.equal(fixed, '{\n    "Version": "2012-10-17",\n    "Statement": []\n}\n');
    assert.equal(jsonProblems(fixed), 0);
    // The same for a value closed by one, before the comma.
    const value = '{"Version": "2012-10-17\u201d, "Statement": []}';
    assert.equal(applyEdits(value, fixAll(value, analyze(value))), '{"Version": "2012-10-17", "Statement": []}');
  });

  it('still escapes a curly quote inside a string', () => {
    const text = '{"Version": "2012-10-17", "Statement": [], "Id": "say \u201chi\u201d now"}';
    assert.equal(applyEdits(text, fixAll(text, analyze(text))), '{"Version": "2012-10-17", "Statement": [], "Id": "say \\"hi\\" now"}');
  });

  it('leaves a dash outside a string alone unless it is a minus sign', () => {
    const text = '{"Version": "2012-10-17", "Statement": [\u2014], "Id": "a\u2014b"}';
    const edits = fixAll(text, analyze(text));
    // The dash in the string is fixed; the one between brackets has no meaning as "-".
    assert.equal(applyEdits(text, edits), '{"Version": "2012-10-17", "Statement": [\u2014], "Id": "a-b"}');
    const minus = '{"a": \u22121}';
    assert.equal(applyEdits(minus, fixAll(minus, analyze(minus))), '{"a": -1}');
  });

  it('leaves out the edits that would make the document parse worse, and makes the others', () => {
    // `"x”, "` reads as one string whose curly quote looks like its intended end: replaced by a
    // straight quote it would open a string to the end of the line. The en dash is fine.
    const text = '{"Id": "x\u201d, ", "Version": "2012\u201310-17", "Statement": []}';
    const before = jsonProblems(text);
    const edits = fixAll(text, analyze(text));
    const fixed = applyEdits(text, edits);
    assert.ok(jsonProblems(fixed) <= before, `${jsonProblems(fixed)} JSON problems after, ${before} before`);
    assert.equal(fixed, '{"Id": "x\u201d, ", "Version": "2012-10-17", "Statement": []}');
  });

  it('checks what only looks harmless: a key renamed into a duplicate, a character after a backslash', () => {
    // Fixing the en dash would make the two keys equal: a duplicate key, a JSON problem.
    const keys = '{"Version": "2012-10-17", "Statement": [], "a\u2013b": 1, "a-b": 2}';
    assert.deepEqual(fixAll(keys, analyze(keys)), []);
    // Removing the zero-width space would make the backslash escape the closing quote.
    const escape = '{"Version": "2012-10-17", "Statement": [], "Id": "a\\\u200b"}';
    assert.deepEqual(fixAll(escape, analyze(escape)), []);
    // The same characters in a plain string value are fixed.
    const plain = '{"Version": "2012-10-17", "Statement": [], "Id": "a\u2013b\u200b"}';
    assert.equal(applyEdits(plain, fixAll(plain, analyze(plain))), '{"Version": "2012-10-17", "Statement": [], "Id": "a-b"}');
  });

  it('never leaves more JSON problems, on the documents that once did worse', () => {
    for (const text of [
      '{"Statement": [1 \u2014 2]}',
      '{"Effect": "Allow"\u2014"Action": "s3:*"}',
      '{"a": \u201cb\u201d\u2014 }',
      '{"a\u201d: \u201cb", "c": [\u2026]}',
      KEY_CLOSED_BY_CURLY_QUOTE,
      KEY_WITHOUT_OPENING_QUOTE,
    ]) {
      const fixed = applyEdits(text, fixAll(text, analyze(text)));
      assert.ok(jsonProblems(fixed) <= jsonProblems(text), `${JSON.stringify(text)} -> ${JSON.stringify(fixed)}`);
    }
  });
});
