/**
 * `forbidden-grant`: what .iam-policy.json's "neverGrant" lists (actions, optionally on some
 * resources) gets a Warning on the statement that grants it, the offline counterpart of
 * Access Analyzer's CheckAccessNotGranted; and the configuration entry is validated like the rest.
 */
import * as assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeFully, type AnalyzeOptions } from 'iam-policy-engine/analyze';
import type { Catalog } from 'iam-policy-engine/catalog';
import type { NeverGrant } from 'iam-policy-engine/checks/neverGrant';
import { parseConfig } from '../../server/src/config';
import { createCatalog } from '../../server/src/catalogFiles';

let catalog: Catalog;
before(async () => {
  catalog = await createCatalog();
});

async function forbidden(statements: object[], neverGrant: NeverGrant[], options: AnalyzeOptions = {}): Promise<Array<{ at: string; message: string }>> {
  const text = JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);
  const analysis = await analyzeFully(text, { ...options, catalog, neverGrant });
  return analysis.findings
    .filter((item) => item.code === 'forbidden-grant')
    .map((item) => {
      assert.equal(item.severity, 'warning');
      return { at: text.slice(item.offset, item.offset + item.length), message: item.message };
    });
}

const ats = (found: Array<{ at: string }>): string[] => found.map((item) => item.at);

describe('forbidden-grant', () => {
  it('flags the action entry that grants a listed action, named or through a wildcard', async () => {
    const found = await forbidden(
      [
        { Sid: 'Named', Effect: 'Allow', Action: ['s3:GetObject', 'iam:PassRole'], Resource: '*' },
        { Sid: 'Wildcard', Effect: 'Allow', Action: 'iam:Pass*', Resource: '*' },
        { Sid: 'Star', Effect: 'Allow', Action: '*', Resource: '*' },
        { Sid: 'Other', Effect: 'Allow', Action: 'iam:GetRole', Resource: '*' },
      ],
      [{ actions: ['iam:PassRole'] }],
    );
    assert.deepEqual(ats(found), ['iam:PassRole', 'iam:Pass*', '*']);
    assert.equal(
      found[1].message,
      'This statement grants iam:PassRole, which the repository\'s configuration lists under "neverGrant" (iam:PassRole): "iam:Pass*" includes it. Remove it, name other resources, or deny it.',
    );
  });

  it('a listed wildcard is expanded with the catalog, and names the action granted', async () => {
    const found = await forbidden([{ Effect: 'Allow', Action: 'iam:*AccessKey*', Resource: '*' }], [{ actions: ['iam:Create*'] }]);
    assert.deepEqual(ats(found), ['iam:*AccessKey*']);
    assert.match(found[0].message, /^This statement grants iam:CreateAccessKey, /);
  });

  it('NotAction grants everything it does not list: flagged on the NotAction key', async () => {
    const found = await forbidden(
      [
        { Effect: 'Allow', NotAction: 's3:*', Resource: '*' },
        { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' },
      ],
      [{ actions: ['iam:CreateUser'] }],
    );
    assert.deepEqual(ats(found), ['NotAction']);
    assert.match(found[0].message, /its NotAction leaves it out of the exclusions/);
  });

  it('with resources: only statements whose resources meet them', async () => {
    const statements = [
      { Sid: 'Prod', Effect: 'Allow', Action: 's3:DeleteBucket', Resource: 'arn:aws:s3:::prod-data' },
      { Sid: 'Dev', Effect: 'Allow', Action: 's3:DeleteBucket', Resource: 'arn:aws:s3:::dev-*' },
      { Sid: 'Everything', Effect: 'Allow', Action: 's3:DeleteBucket', NotResource: 'arn:aws:s3:::dev-*' },
      { Sid: 'Excluded', Effect: 'Allow', Action: 's3:DeleteBucket', NotResource: 'arn:aws:s3:::prod-*' },
    ];
    const found = await forbidden(statements, [{ actions: ['s3:DeleteBucket'], resources: ['arn:aws:s3:::prod-*'] }]);
    assert.equal(found.length, 2);
    assert.match(found[0].message, /grants s3:DeleteBucket on arn:aws:s3:::prod-\*, /);
  });

  it('conditions do not excuse a grant; an unconditional Deny in the document does', async () => {
    const conditional = await forbidden(
      [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } } }],
      [{ actions: ['iam:PassRole'] }],
    );
    assert.match(conditional[0].message, /grants iam:PassRole \(when its conditions hold\)/);
    const denied = await forbidden(
      [
        { Effect: 'Allow', Action: 'iam:*', Resource: '*' },
        { Effect: 'Deny', Action: 'iam:PassRole', Resource: '*' },
      ],
      [{ actions: ['iam:PassRole'] }],
    );
    assert.deepEqual(denied, []);
    const deniedUnderCondition = await forbidden(
      [
        { Effect: 'Allow', Action: 'iam:*', Resource: '*' },
        { Effect: 'Deny', Action: 'iam:PassRole', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } },
      ],
      [{ actions: ['iam:PassRole'] }],
    );
    assert.equal(deniedUnderCondition.length, 1);
  });

  it('service control and resource control policies grant nothing themselves: not checked', async () => {
    assert.deepEqual(await forbidden([{ Effect: 'Allow', Action: '*', Resource: '*' }], [{ actions: ['iam:PassRole'] }], { kind: 'scp' }), []);
  });

  it('works without the catalog for named actions', async () => {
    const text = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:Pass*', Resource: '*' }] });
    const { analyze } = await import('iam-policy-engine/analyze');
    const codes = analyze(text, { neverGrant: [{ actions: ['iam:PassRole'] }] }).findings.map((item) => item.code);
    assert.deepEqual(
      codes.filter((code) => code === 'forbidden-grant'),
      ['forbidden-grant'],
    );
  });
});

describe('"neverGrant" in .iam-policy.json', () => {
  it('takes actions and objects of actions and resources', () => {
    const { config, errors } = parseConfig('{"neverGrant": ["iam:PassRole", {"actions": ["s3:Delete*"], "resources": ["arn:aws:s3:::prod-*"]}]}', 'c.json');
    assert.deepEqual(errors, []);
    assert.deepEqual(config.neverGrant, [{ actions: ['iam:PassRole'] }, { actions: ['s3:Delete*'], resources: ['arn:aws:s3:::prod-*'] }]);
  });

  it('names each mistake, and keeps the valid entries', () => {
    const { config, errors } = parseConfig(
      '{"neverGrant": ["PassRole", {"actions": []}, {"action": ["iam:PassRole"], "actions": ["iam:PassRole"]}, {"actions": ["s3:GetObject"], "resources": ["bucket"]}, 7, "iam:CreateUser"]}',
      'c.json',
    );
    assert.deepEqual(errors, [
      'c.json: neverGrant[0]: "PassRole" is not an action such as "iam:PassRole" or "s3:Delete*".',
      'c.json: neverGrant[1].actions must be a non-empty array of actions such as ["iam:PassRole"].',
      'c.json: neverGrant[2]: unknown key "action" (did you mean "actions"?); the keys are "actions" and "resources".',
      'c.json: neverGrant[3].resources must be a non-empty array of ARNs (with * and ? wildcards) or "*".',
      'c.json: neverGrant[4] must be an action or an object with "actions" and optionally "resources", such as {"actions": ["iam:PassRole"], "resources": ["*"]}.',
    ]);
    assert.deepEqual(config.neverGrant, [{ actions: ['iam:PassRole'] }, { actions: ['iam:CreateUser'] }]);
  });

  it('refuses anything but an array', () => {
    assert.match(parseConfig('{"neverGrant": "iam:PassRole"}', 'c.json').errors[0], /"neverGrant" must be an array/);
  });
});
