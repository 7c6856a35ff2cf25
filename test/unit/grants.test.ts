/**
 * What a policy grants, against the service catalog: the expansion of Action and NotAction
 * (wildcards, case), counts per access level, the statement's CodeLens line, what Deny
 * statements take away (removed, partly, only under conditions), the console-shaped summary,
 * the semantic diff of two versions, and resource patterns compared part by part.
 */
import * as assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Catalog } from 'iam-policy-engine/catalog';
import { policyGrantsFully, statementHeadline, type PolicyGrants } from 'iam-policy-engine/grants';
import { changeAccepted, describeGroup, diffGrants, diffHeadline, diffSentence, groupChanges, type GrantsDiff } from 'iam-policy-engine/grantsDiff';
import { resourceCovers } from 'iam-policy-engine/arn';
import { resourcesIntersect } from 'iam-policy-engine/glob';
import { summarize } from 'iam-policy-engine/summary';
import { createCatalog } from '../../server/src/catalogFiles';
import { GRANTS_SENTENCE_MAX, grantsSentence } from '../../client/src/commands/push';

let catalog: Catalog;
before(async () => {
  catalog = await createCatalog();
  await catalog.loadAll();
});

function policy(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);
}

async function grants(...statements: object[]): Promise<PolicyGrants> {
  return policyGrantsFully(policy(...statements), catalog);
}

function actionCount(prefix: string): number {
  return catalog.service(prefix)!.actions.size;
}

describe('expanding a statement', () => {
  it('lists named actions by service and access level, case-insensitively', async () => {
    const result = await grants({ Effect: 'Allow', Action: ['S3:getobject', 's3:PutObject', 'iam:AttachUserPolicy', 's3:GetObject'], Resource: '*' });
    const [statement] = result.statements;
    assert.equal(statement.actionCount, 3, 'GetObject once, whatever its case');
    assert.deepEqual([...statement.services.keys()], ['iam', 's3']);
    assert.deepEqual(statement.counts, { 'Permissions management': 1, Write: 1, Tagging: 0, Read: 1, List: 0 });
    assert.equal(statementHeadline(statement), 'Allows 3 actions in 2 services: 1 Write, 1 Permissions management');
  });

  it('expands a wildcard to the service\'s matching actions, and a whole service to "all"', async () => {
    const [statement] = (await grants({ Effect: 'Allow', Action: ['s3:Get*', 'iam:*'], Resource: '*' })).statements;
    const getters = [...catalog.service('s3')!.actions.values()].filter((action) => action.name.startsWith('Get')).length;
    assert.equal((statement.services.get('s3') as readonly unknown[]).length, getters);
    assert.equal(statement.services.get('iam'), 'all');
    assert.equal(statement.actionCount, getters + actionCount('iam'));
  });

  it('counts "*" as every action of every service', async () => {
    const [statement] = (await grants({ Effect: 'Allow', Action: '*', Resource: '*' })).statements;
    const total = catalog.servicePrefixes().reduce((sum, prefix) => sum + actionCount(prefix), 0);
    assert.equal(statement.actionCount, total);
    assert.equal(statement.services.size, catalog.servicePrefixes().filter((prefix) => actionCount(prefix) > 0).length);
  });

  it('expands NotAction to every action but those listed', async () => {
    const [statement] = (await grants({ Effect: 'Allow', NotAction: ['iam:*', 's3:Delete*'], Resource: '*' })).statements;
    const total = catalog.servicePrefixes().reduce((sum, prefix) => sum + actionCount(prefix), 0);
    const deletes = [...catalog.service('s3')!.actions.values()].filter((action) => action.name.startsWith('Delete')).length;
    assert.equal(statement.actionCount, total - actionCount('iam') - deletes);
    assert.equal(statement.services.has('iam'), false);
    assert.ok((statement.services.get('s3') as readonly { name: string }[]).every((action) => !action.name.startsWith('Delete')));
    assert.match(statementHeadline(statement), /\(NotAction: all but those listed\)$/);
  });

  it('keeps entries that name no action, and says so', async () => {
    const [statement] = (await grants({ Effect: 'Allow', Action: ['s3:GetObjekt', 'nosuchservice:Get', 's3:GetObject'], Resource: '*' })).statements;
    assert.deepEqual(statement.unresolved, ['s3:GetObjekt', 'nosuchservice:Get']);
    assert.equal(statementHeadline(statement), 'Allows 1 action in 1 service: Read only (2 entries match no action)');
  });

  it('describes Deny, conditions and NotResource in the headline', async () => {
    const result = await grants({
      Effect: 'Deny',
      Action: 's3:ListBucket',
      NotResource: ['arn:aws:s3:::a', 'arn:aws:s3:::b'],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    assert.equal(statementHeadline(result.statements[0]), 'Denies 1 action in 1 service: List only (on every resource but 2 patterns; with conditions)');
  });
});

describe('what the Deny statements of the document take away', () => {
  it('a Deny without conditions on every resource removes the action; the counts leave it out', async () => {
    const result = await grants({ Effect: 'Allow', Action: 's3:*', Resource: '*' }, { Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' });
    const deleteBucket = result.actionsOf('s3').find((grant) => grant.action.name === 'DeleteBucket')!;
    assert.deepEqual([deleteBucket.denial, deleteBucket.deniedBy], ['all', [1]]);
    const [row] = result.services;
    assert.deepEqual([row.allowed, row.denied], [actionCount('s3') - 1, 1]);
    assert.equal(result.actionsOf('s3').find((grant) => grant.action.name === 'GetObject')!.denial, 'none');
  });

  it('a Deny on part of the resources leaves the action partly denied', async () => {
    const result = await grants(
      { Effect: 'Allow', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::data/*' },
      { Effect: 'Deny', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::data/archive/*' },
    );
    assert.equal(result.actionsOf('s3')[0].denial, 'partly');
    assert.equal(result.services[0].allowed, 1);
  });

  it('a Deny with conditions narrows, it does not remove', async () => {
    const result = await grants(
      { Effect: 'Allow', Action: 's3:*', Resource: '*' },
      { Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    );
    assert.ok(result.actionsOf('s3').every((grant) => grant.denial === 'conditionally'));
    assert.equal(result.services[0].allowed, actionCount('s3'));
  });

  it('a Deny on other resources touches nothing', async () => {
    const result = await grants(
      { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::public/*' },
      { Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::private/*' },
    );
    assert.deepEqual([result.actionsOf('s3')[0].denial, result.actionsOf('s3')[0].deniedBy], ['none', []]);
  });

  it('a Deny with NotResource removes what lies outside its exceptions', async () => {
    const result = await grants(
      { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::private/*' },
      { Effect: 'Deny', Action: 's3:*', NotResource: 'arn:aws:s3:::public/*' },
    );
    assert.equal(result.actionsOf('s3')[0].denial, 'all');
  });

  it("the User Guide's AllowGetList/DenyReports: the Get and List report actions are removed", async () => {
    const result = await grants(
      { Sid: 'AllowGetList', Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' },
      { Sid: 'DenyReports', Effect: 'Deny', Action: 'iam:*Report', Resource: '*' },
    );
    const denied = result
      .actionsOf('iam')
      .filter((grant) => grant.denial === 'all')
      .map((grant) => grant.action.name);
    assert.deepEqual(denied, ['GetCredentialReport', 'GetOrganizationsAccessReport']);
  });
});

describe('the summary', () => {
  it("gives each service the console's access words, resources and conditions, and lists actions only when asked", async () => {
    const result = await grants(
      { Sid: 'All', Effect: 'Allow', Action: 's3:*', Resource: '*' },
      {
        Sid: 'Some',
        Effect: 'Allow',
        Action: ['iam:GetUser', 'iam:PassRole'],
        Resource: 'arn:aws:iam::111122223333:role/app-*',
        Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
      },
    );
    const summary = summarize(result);
    const byPrefix = Object.fromEntries(summary.services.map((row) => [row.prefix, row]));
    assert.deepEqual(Object.keys(byPrefix).sort(), ['iam', 's3']);
    assert.equal(byPrefix.s3.access, 'Full access');
    assert.deepEqual([byPrefix.s3.resources, byPrefix.s3.conditions], ['All resources', 'None']);
    assert.equal(byPrefix.iam.access, 'Limited: Write, Read');
    assert.deepEqual(
      [byPrefix.iam.resources, byPrefix.iam.conditions],
      ['arn:aws:iam::111122223333:role/app-*', 'StringEquals iam:PassedToService ec2.amazonaws.com'],
    );
    assert.equal(summary.totals.actions, actionCount('s3') + 2);
    assert.deepEqual(summary.details, [], 'no actions listed unless asked');
    assert.deepEqual(
      summary.statements.map((statement) => statement.sid),
      ['All', 'Some'],
    );

    const opened = summarize(result, { expand: ['IAM'] });
    assert.deepEqual(
      opened.details[0].levels.map((level) => [level.level, level.actions.map((action) => action.name)]),
      [
        ['Write', ['PassRole']],
        ['Read', ['GetUser']],
      ],
    );
    assert.deepEqual(opened.details[0].levels[0].actions[0].allowedBy, [1]);
  });

  it('a search lists the matching actions of every service, with a limit', async () => {
    const result = await grants({ Effect: 'Allow', Action: '*', Resource: '*' });
    const found = summarize(result, { filter: 'iam:passrole' });
    assert.deepEqual(
      found.details.map((detail) => [detail.prefix, detail.levels.flatMap((level) => level.actions.map((action) => action.name))]),
      [['iam', ['PassRole']]],
    );
    const many = summarize(result, { filter: 'get', limit: 10 });
    assert.equal(
      many.details.reduce((n, detail) => n + detail.levels.reduce((m, level) => m + level.actions.length, 0), 0),
      10,
    );
    assert.ok((many.truncated ?? 0) > 1000);
  });

  it('says what the summary of each kind of policy means', async () => {
    const scp = await policyGrantsFully(policy({ Effect: 'Allow', Action: '*', Resource: '*' }), catalog, 'scp');
    assert.match(summarize(scp).meaning, /^The most that the accounts under this service control policy may be allowed/);
    const identity = await policyGrantsFully(policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }), catalog);
    assert.match(summarize(identity).meaning, /^What the users, groups and roles this policy is attached to may do/);
  });
});

async function diff(before: object[], after: object[]): Promise<GrantsDiff> {
  return diffGrants(await policyGrantsFully(policy(...before), catalog), await policyGrantsFully(policy(...after), catalog));
}

const changes = (list: GrantsDiff['added']): string[] =>
  list.map(
    (change) => `${change.level} ${change.action} on ${change.resource}${change.conditions.length > 0 ? ` when ${change.conditions.join(' and ')}` : ''}`,
  );

describe('the semantic diff', () => {
  it('names what is added and removed, permissions management first, in one sentence', async () => {
    const result = await diff(
      [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:DeleteObject'], Resource: 'arn:aws:s3:::logs/*' }],
      [
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::logs/*' },
        { Effect: 'Allow', Action: ['iam:PassRole', 'iam:AttachRolePolicy'], Resource: '*' },
      ],
    );
    assert.deepEqual(changes(result.added), [
      'Permissions management iam:AttachRolePolicy on *',
      'Write iam:PassRole on *',
      'Write s3:PutObject on arn:aws:s3:::logs/*',
    ]);
    assert.deepEqual(changes(result.removed), ['Write s3:DeleteObject on arn:aws:s3:::logs/*']);
    assert.equal(diffHeadline(result), 'Adds 3 actions (1 Permissions management, 2 Write); removes 1 action (1 Write).');
    assert.equal(
      diffSentence(result),
      'adds iam:AttachRolePolicy on *, iam:PassRole on *, s3:PutObject on arn:aws:s3:::logs/*; removes s3:DeleteObject on arn:aws:s3:::logs/*',
    );
  });

  it('one action on several resources is one change in the sentence, its resources listed', async () => {
    const result = await diff(
      [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: ['arn:aws:s3:::reports', 'arn:aws:s3:::reports/*'] }],
      [{ Effect: 'Allow', Action: ['s3:ListBucket', 's3:PutBucketPolicy'], Resource: ['arn:aws:s3:::reports', 'arn:aws:s3:::reports/*'] }],
    );
    // Two changes (one per resource), described as one action.
    assert.deepEqual(changes(result.added), [
      'Permissions management s3:PutBucketPolicy on arn:aws:s3:::reports',
      'Permissions management s3:PutBucketPolicy on arn:aws:s3:::reports/*',
    ]);
    assert.deepEqual(groupChanges(result.added).map(describeGroup), ['s3:PutBucketPolicy on arn:aws:s3:::reports and arn:aws:s3:::reports/*']);
    assert.equal(diffSentence(result), 'adds s3:PutBucketPolicy on arn:aws:s3:::reports and arn:aws:s3:::reports/*');
  });

  it('the question before a push says the changes in a bounded sentence, however many there are', async () => {
    const resources = ['arn:aws:s3:::example-reports-of-the-finance-department', 'arn:aws:s3:::example-reports-of-the-finance-department/*'];
    const one = await diff(
      [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: resources }],
      [{ Effect: 'Allow', Action: ['s3:ListBucket', 's3:PutBucketPolicy'], Resource: resources }],
    );
    assert.equal(grantsSentence(one), `It adds 1 action (1 Permissions management): adds s3:PutBucketPolicy on ${resources[0]} and ${resources[1]}.`);
    // 63 actions of S3 on two long ARNs: VS Code would not show a notification that tall.
    const many = await diff(
      [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: resources }],
      [{ Effect: 'Allow', Action: ['s3:ListBucket', 's3:Get*'], Resource: resources }],
    );
    const sentence = grantsSentence(many);
    assert.ok(sentence.length <= GRANTS_SENTENCE_MAX, sentence);
    assert.match(sentence, /^It adds \d+ actions \(\d+ Read\)(: adds s3:Get\w+ on .* and \d+ more\.|, listed beside the diff\.)$/);
  });

  it('the same grants written otherwise are no change', async () => {
    const result = await diff(
      [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectAcl'], Resource: ['arn:aws:s3:::a/*', 'arn:aws:s3:::b/*'] }],
      [
        { Effect: 'Allow', Action: 'S3:GETOBJECT', Resource: 'arn:aws:s3:::a/*' },
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectAcl'], Resource: ['arn:aws:s3:::b/*'] },
        { Effect: 'Allow', Action: 's3:GetObjectAcl', Resource: 'arn:aws:s3:::a/*' },
      ],
    );
    assert.deepEqual([result.added, result.removed], [[], []]);
    assert.equal(diffSentence(result), 'grants the same actions on the same resources');
  });

  it('a wider resource pattern is an addition; a narrower one covered by the old is not', async () => {
    const wider = await diff(
      [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::logs/2026/*' }],
      [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::logs/*' }],
    );
    assert.deepEqual(changes(wider.added), ['Read s3:GetObject on arn:aws:s3:::logs/*']);
    assert.deepEqual(changes(wider.removed), []);
    const narrower = await diff(
      [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::logs/*' }],
      [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::logs/2026/*' }],
    );
    assert.deepEqual(changes(narrower.added), []);
    assert.deepEqual(changes(narrower.removed), ['Read s3:GetObject on arn:aws:s3:::logs/*']);
  });

  it('dropping a condition adds access; adding one removes it', async () => {
    const conditioned = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } };
    const open = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };
    assert.deepEqual(changes((await diff([conditioned], [open])).added), ['Read s3:GetObject on *']);
    const tightened = await diff([open], [conditioned]);
    // The old grant without the condition covers the new one with it: nothing is added.
    assert.deepEqual([changes(tightened.added), changes(tightened.removed)], [[], ['Read s3:GetObject on *']]);
  });

  it('a new Deny removes what it covers; removing a Deny adds it back', async () => {
    const allow = { Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::data/*' };
    const deny = { Effect: 'Deny', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::data/*' };
    const denied = await diff([allow], [allow, deny]);
    assert.deepEqual([changes(denied.added), changes(denied.removed)], [[], ['Write s3:DeleteObject on arn:aws:s3:::data/*']]);
    assert.deepEqual(changes((await diff([allow, deny], [allow])).added), ['Write s3:DeleteObject on arn:aws:s3:::data/*']);
    // Part of the resources: the part is what changes.
    const partDeny = { Effect: 'Deny', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::data/archive/*' };
    assert.deepEqual(changes((await diff([allow], [allow, partDeny])).removed), ['Write s3:DeleteObject on arn:aws:s3:::data/archive/*']);
    assert.deepEqual(changes((await diff([allow, partDeny], [allow])).added), ['Write s3:DeleteObject on arn:aws:s3:::data/archive/*']);
  });

  it('a Deny with conditions changes nothing the diff can name', async () => {
    const allow = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };
    const result = await diff([allow], [allow, { Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }]);
    assert.deepEqual([result.added, result.removed], [[], []]);
  });

  it('NotResource grants: narrower exclusions add access', async () => {
    const result = await diff(
      [{ Effect: 'Allow', Action: 's3:GetObject', NotResource: ['arn:aws:s3:::hr/*', 'arn:aws:s3:::finance/*'] }],
      [{ Effect: 'Allow', Action: 's3:GetObject', NotResource: ['arn:aws:s3:::hr/*'] }],
    );
    assert.deepEqual(changes(result.added), ['Read s3:GetObject on every resource but arn:aws:s3:::hr/*']);
  });

  it('--allow-new patterns: an action pattern, with a resource that must cover the grant', async () => {
    const result = await diff([], [{ Effect: 'Allow', Action: ['s3:GetObject', 'iam:PassRole'], Resource: 'arn:aws:s3:::logs/*' }]);
    const [passRole, getObject] = result.added;
    assert.equal(changeAccepted(getObject, 's3:Get*'), true);
    assert.equal(changeAccepted(getObject, 'S3:GETOBJECT'), true);
    assert.equal(changeAccepted(passRole, 's3:*'), false);
    assert.equal(changeAccepted(getObject, 's3:GetObject=arn:aws:s3:::logs/*'), true);
    assert.equal(changeAccepted(getObject, 's3:GetObject=arn:aws:s3:::logs/2026/*'), false, 'a narrower resource does not accept a wider grant');
    assert.equal(changeAccepted(getObject, '*=*'), true);
  });
});

describe('resource patterns', () => {
  it('cover and meet part by part; a wildcard does not cross a colon', () => {
    assert.equal(resourceCovers('*', 'arn:aws:s3:::a'), true);
    assert.equal(resourceCovers('arn:aws:s3:::logs/*', 'arn:aws:s3:::logs/2026/*'), true);
    assert.equal(resourceCovers('arn:aws:s3:::logs/2026/*', 'arn:aws:s3:::logs/*'), false);
    assert.equal(resourceCovers('arn:aws:s3:::*log*', 'arn:aws:s3:::carlossalazar-logs/*'), true);
    assert.equal(resourceCovers('arn:aws:sqs:*:111122223333:*', 'arn:aws:sqs:us-east-1:111122223333:q'), true);
    assert.equal(resourceCovers('arn:aws:sqs:us-east-1:*:*', 'arn:aws:sqs:*:111122223333:q'), false);
    assert.equal(resourceCovers('arn:aws:s3:::b/${aws:username}/*', 'arn:aws:s3:::b/${aws:username}/x'), true);
    assert.equal(resourceCovers('arn:aws:s3:::b/alice/*', 'arn:aws:s3:::b/${aws:username}/x'), false, 'a variable may be anyone');
    assert.equal(resourcesIntersect('arn:aws:s3:::a*', 'arn:aws:s3:::*z'), true);
    assert.equal(resourcesIntersect('arn:aws:s3:::a/*', 'arn:aws:s3:::b/*'), false);
    assert.equal(resourcesIntersect('arn:aws:iam::111122223333:user/*', 'arn:aws:iam::*:role/*'), false);
    assert.equal(resourcesIntersect('arn:aws:s3:::b/${aws:username}', 'arn:aws:s3:::b/alice'), true);
  });
});
