import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkEntityArn } from 'iam-policy-engine/checks/names';
import { findings as allFindings, messages as allMessages, policyWith, type TestOptions } from '../support/engine';

const names = (options: TestOptions = {}): TestOptions => ({ ...options, families: ['names'] });
const findings = (text: string, options?: TestOptions) => allFindings(text, names(options));
const messages = (text: string, options?: TestOptions) => allMessages(text, names(options));

const twoStatements = (first: string, second: string): string =>
  `{"Version": "2012-10-17", "Statement": [` +
  `{"Sid": "${first}", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},` +
  `{"Sid": "${second}", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}]}`;

describe('Sid', () => {
  it('accepts letters and digits, and an empty Sid', () => {
    assert.deepEqual(findings(twoStatements('AllowRead1', 'AllowWrite2')), []);
    // IAM takes two empty Sids (an empty Sid is no Sid); each only gets the suggestion to drop it.
    assert.deepEqual(findings(twoStatements('', '')), [
      { code: 'empty-sid', at: '""' },
      { code: 'empty-sid', at: '""' },
    ]);
  });

  it('reports a Sid with other characters, on its value', () => {
    assert.deepEqual(findings(twoStatements('Allow read', 'B')), [{ code: 'invalid-sid', at: 'Allow read' }]);
    assert.match(
      messages(twoStatements('Allow-read', 'B'))[0],
      /Sid "Allow-read" has U\+002D \(-\) at position 6: IAM accepts only ASCII letters and digits in a Sid\./,
    );
    assert.deepEqual(findings(twoStatements('Caf\u00e9', 'B')), [{ code: 'invalid-sid', at: 'Caf\u00e9' }]);
  });

  it('reports the second of two equal Sids and points at the first', () => {
    assert.deepEqual(findings(twoStatements('Same', 'Same')), [{ code: 'duplicate-sid', at: '"Same"' }]);
    assert.match(messages(twoStatements('Same', 'Same'))[0], /statement 2 uses the Sid of statement 1/);
  });

  it('works with a single statement object and ignores a non-string Sid', () => {
    assert.deepEqual(findings('{"Statement": {"Sid": "a b"}}'), [{ code: 'invalid-sid', at: 'a b' }]);
    assert.deepEqual(findings('{"Statement": {"Sid": 12}}'), []);
  });
});

describe('names in IAM ARNs', () => {
  const resource = (arn: string): string => policyWith(`"Resource": "${arn}"`);

  it('accepts valid names, paths, wildcards and policy variables', () => {
    for (const arn of [
      'arn:aws:iam::123456789012:user/Alice',
      'arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob',
      'arn:aws:iam::123456789012:role/service-role/*',
      'arn:aws:iam::*:role/AWSReservedSSO_*',
      'arn:aws:iam::123456789012:user/${aws:username}',
      'arn:aws-cn:iam::123456789012:group/Admins+=,.@-_',
      'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      'arn:aws:iam::123456789012:role/a?c',
      'arn:aws:iam::123456789012:mfa/${aws:username}',
      `arn:aws:iam::123456789012:role/${'r'.repeat(64)}`,
    ]) {
      assert.deepEqual(findings(resource(arn)), [], arn);
    }
  });

  it('reports a character a name cannot have, at that character', () => {
    assert.deepEqual(findings(resource('arn:aws:iam::123456789012:user/John Smith')), [{ code: 'invalid-arn-entity-name', at: ' ' }]);
    assert.deepEqual(findings(resource('arn:aws:iam::123456789012:role/path/my#role')), [{ code: 'invalid-arn-entity-name', at: '#' }]);
    assert.match(
      messages(resource('arn:aws:iam::123456789012:user/John Smith'))[0],
      /^User name "John Smith" in this ARN has U\+0020 SPACE: IAM user names are 1 to 64 characters/,
    );
  });

  it('reports names over the length of their entity type', () => {
    assert.deepEqual(
      findings(resource(`arn:aws:iam::123456789012:role/${'r'.repeat(65)}`)).map((item) => item.code),
      ['invalid-arn-entity-name'],
    );
    assert.deepEqual(findings(resource(`arn:aws:iam::123456789012:group/${'g'.repeat(128)}`)), []);
    assert.deepEqual(
      findings(resource(`arn:aws:iam::123456789012:group/${'g'.repeat(129)}`)).map((item) => item.code),
      ['invalid-arn-entity-name'],
    );
    assert.match(messages(resource(`arn:aws:iam::123456789012:user/${'u'.repeat(70)}*`))[0], /at least 70 characters long, over the 64/);
  });

  it('checks NotResource and every string of Principal', () => {
    assert.deepEqual(
      findings(policyWith('"NotResource": ["arn:aws:iam::123456789012:user/a b"]')).map((item) => item.code),
      ['invalid-arn-entity-name'],
    );
    const trust =
      '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": ["arn:aws:iam::123456789012:role/ok", "arn:aws:iam::123456789012:role/not ok"]}}]}';
    assert.deepEqual(findings(trust), [{ code: 'invalid-arn-entity-name', at: ' ' }]);
  });

  it('leaves alone ARNs that do not name an ordinary IAM entity', () => {
    // CloudFront origin access identities are IAM "users" of the account "cloudfront", with spaces.
    assert.equal(checkEntityArn('arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHAPOMQZL'), undefined);
    assert.equal(checkEntityArn('arn:aws:s3:::my bucket'), undefined);
    assert.equal(checkEntityArn('arn:aws:iam::123456789012:instance-profile/a b'), undefined);
  });

  it('reports an ARN that ends with a slash and no name', () => {
    assert.deepEqual(
      findings(resource('arn:aws:iam::123456789012:role/path/')).map((item) => item.code),
      ['invalid-arn-entity-name'],
    );
  });

  it('reports a path with a space', () => {
    assert.deepEqual(findings(resource('arn:aws:iam::123456789012:role/my path/x')), [{ code: 'invalid-arn-entity-name', at: ' ' }]);
  });
});

describe('file name as policy name', () => {
  const ok = '{"Version": "2012-10-17", "Statement": []}';
  it('is silent for a valid name', () => {
    assert.deepEqual(findings(ok, { fileName: '/w/Allow_S3-Read.iam.json' }), []);
  });
  it('reports, as information at the start, a name IAM would reject', () => {
    const [item] = findings(ok, { fileName: '/w/my policy.iam.json' });
    assert.deepEqual(item, { code: 'invalid-policy-file-name', at: '{' });
    assert.match(
      messages(ok, { fileName: '/w/my policy.iam.json' })[0],
      /offer the file name "my policy" as the policy name, which IAM would reject\. The policy name has U\+0020 SPACE at position 3/,
    );
    assert.deepEqual(
      findings(ok, { fileName: `/w/${'p'.repeat(129)}.policy.json` }).map((x) => x.code),
      ['invalid-policy-file-name'],
    );
  });
});
