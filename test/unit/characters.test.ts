import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findings as allFindings, messages as allMessages, type TestOptions } from '../support/engine';

const only: TestOptions = { families: ['characters', 'json'] };
const findings = (text: string) => allFindings(text, only);
const messages = (text: string) => allMessages(text, only);

const sid = (value: string): string =>
  `{"Version": "2012-10-17", "Statement": [{"Sid": "${value}", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}`;

describe('disallowed characters', () => {
  it('reports a curly quote and names it', () => {
    const text = '{"Version": "2012-10-17", "Statement": [{"Effect": \u201cAllow", "Action": "s3:*", "Resource": "*"}]}';
    const found = findings(text).filter((item) => item.code === 'disallowed-character');
    assert.deepEqual(found, [{ code: 'disallowed-character', at: '\u201c' }]);
    assert.match(
      messages(text)[0],
      /^Disallowed character U\+201C LEFT DOUBLE QUOTATION MARK: IAM allows only tab, line feed, carriage return and U\+0020 to U\+00FF\.$/,
    );
  });

  it('reports each maximal run once', () => {
    const text = `{"Statement": [], "Id": "a\u200b\u200bb\u2014c"}`;
    assert.deepEqual(findings(text), [
      { code: 'disallowed-character', at: '\u200b\u200b' },
      { code: 'disallowed-character', at: '\u2014' },
    ]);
    assert.match(messages(text)[0], /^2 disallowed characters: U\+200B ZERO WIDTH SPACE\./);
  });

  it('counts an astral character as one', () => {
    const text = `{"Statement": [], "Id": "\u{1F600}"}`;
    assert.deepEqual(findings(text), [{ code: 'disallowed-character', at: '\u{1F600}' }]);
    assert.ok(messages(text)[0].startsWith('Disallowed character U+1F600: '));
  });

  it('reports control characters, U+2028 and the byte order mark', () => {
    assert.deepEqual(findings('\ufeff{"Statement": []}'), [{ code: 'disallowed-character', at: '\ufeff' }]);
    assert.deepEqual(
      findings('{"Statement": []}\u2028').map((item) => item.code),
      ['disallowed-character'],
    );
    assert.deepEqual(
      findings('{"Statement":\u3000[]}').map((item) => item.code),
      ['disallowed-character'],
    );
    // A no-break space is in IAM's set, but it is not JSON white space.
    assert.deepEqual(
      findings('{"Statement":\u00a0[]}').map((item) => item.code),
      ['json-syntax'],
    );
    const withNull = findings('{"Statement": [], "Id": "a\u0000b"}').map((item) => item.code);
    assert.ok(withNull.includes('disallowed-character'));
  });

  it('allows Latin-1: é, ÿ, no-break space, and tab, line feed, carriage return', () => {
    assert.deepEqual(
      findings(sid('Caf\u00e9\u00ff')).filter((item) => item.code === 'disallowed-character'),
      [],
    );
    assert.deepEqual(findings('{\r\n\t"Statement": [],\r\n\t"Id": "\u00a0x"\r\n}'), []);
  });
});
