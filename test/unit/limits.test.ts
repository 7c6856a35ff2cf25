import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NAME_RULES } from 'iam-policy-engine/limits';
import { checkName, policyNameFromFileName, toValidName } from 'iam-policy-engine/names';

describe('checkName', () => {
  it('accepts the characters of [\\w+=,.@-] up to the maximum', () => {
    assert.equal(checkName(NAME_RULES.policyName, 'Allow_S3+read=1,2.x@y-z'), undefined);
    assert.equal(checkName(NAME_RULES.roleName, 'r'.repeat(64)), undefined);
  });
  it('rejects an empty name', () => {
    assert.match(checkName(NAME_RULES.policyName, '') ?? '', /empty/);
  });
  it('names the first character IAM rejects and its position', () => {
    assert.equal(
      checkName(NAME_RULES.policyName, 'my policy'),
      'The policy name has U+0020 SPACE at position 3. Policy names are 1 to 128 characters of letters, digits and + = , . @ _ -.',
    );
    assert.match(checkName(NAME_RULES.userName, 'é') ?? '', /U\+00E9 \(é\) at position 1/);
  });
  it('applies the length of the API being called', () => {
    assert.match(checkName(NAME_RULES.roleName, 'r'.repeat(65)) ?? '', /65 characters long, 1 over/);
    assert.equal(checkName(NAME_RULES.groupName, 'g'.repeat(128)), undefined);
    assert.equal(checkName(NAME_RULES.userNameForPolicy, 'u'.repeat(128)), undefined);
    assert.match(checkName(NAME_RULES.userName, 'u'.repeat(65)) ?? '', /over/);
  });
});

describe('policy names from file names', () => {
  it('drops the policy suffix', () => {
    assert.equal(policyNameFromFileName('/work/AllowS3Read.iam.json'), 'AllowS3Read');
    assert.equal(policyNameFromFileName('deny-all.policy.json'), 'deny-all');
    assert.equal(policyNameFromFileName('C:\\p\\bucket.json'), 'bucket');
    assert.equal(policyNameFromFileName('s3.read.policy.json'), 's3.read');
  });
  it('turns any text into a valid name', () => {
    assert.equal(toValidName(NAME_RULES.policyName, 'my policy (v2)'), 'my-policy-v2');
    assert.equal(toValidName(NAME_RULES.policyName, '☃'), undefined);
    assert.equal(toValidName(NAME_RULES.roleName, 'x'.repeat(100))?.length, 64);
  });
});
