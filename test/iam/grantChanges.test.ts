/**
 * The semantic diff in the push flow, before an overwrite (an inline policy, or a managed
 * policy's default version): beside the text diff, what the editor's version grants that IAM's
 * does not and what it stops granting, and the same in the question. The command logic runs against moto with a scripted UI; the semantic diff comes
 * from the engine with the real service catalog, as the language server computes it for the
 * editor (the UI test checks that path in VS Code itself).
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreatePolicyCommand, CreateUserCommand, GetPolicyCommand, PutUserPolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { pushPolicyVersion } from '../../client/src/commands/managed';
import { pushPolicy } from '../../client/src/commands/push';
import type { PolicyDocumentRef } from '../../client/src/commands/ui';
import type { Catalog } from 'iam-policy-engine/catalog';
import { policyGrantsFully } from 'iam-policy-engine/grants';
import { diffGrants } from 'iam-policy-engine/grantsDiff';
import { isolateAwsEnvironment } from '../support/awsEnvironment';
import { adminClient, identityPolicy, storedDocument, uniqueName, SETUP, TEST } from '../support/iamTesting';
import { startMoto, type MotoServer } from '../support/moto';
import { testEnv, type TestEnv } from '../support/scriptedUi';
import { createCatalog } from '../../server/src/catalogFiles';

isolateAwsEnvironment();

let moto: MotoServer | undefined;
let admin: IAMClient;
let catalog: Catalog;

before(async () => {
  [moto, catalog] = await Promise.all([startMoto(), createCatalog()]);
  admin = adminClient(moto.endpoint);
}, SETUP);

after(async () => {
  admin?.destroy();
  await moto?.stop();
});

function document(fileName: string, text: string): PolicyDocumentRef {
  return { key: `file:///work/${fileName}`, fileName: `/work/${fileName}`, getText: () => text };
}

/** A scripted environment whose semantic diff is the engine's. */
function envWithGrants(): TestEnv {
  const env = testEnv({ endpoint: moto!.endpoint });
  return Object.assign(env, {
    grantChanges: async (before: string, after: string) =>
      diffGrants(await policyGrantsFully(before, catalog, 'identity'), await policyGrantsFully(after, catalog, 'identity')),
  });
}

async function userWithPolicy(policyName: string, text: string): Promise<string> {
  const name = uniqueName('user');
  await admin.send(new CreateUserCommand({ UserName: name }));
  await admin.send(new PutUserPolicyCommand({ UserName: name, PolicyName: policyName, PolicyDocument: text }));
  return name;
}

describe('the grant changes before an overwrite (scripted UI, moto)', () => {
  it("shows what the editor's version adds and removes beside the diff, and says it in the question", TEST, async () => {
    const user = await userWithPolicy('Deploy', identityPolicy('artifacts', 's3:DeleteObject'));
    const proposed = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::artifacts/*' },
        { Sid: 'Pass', Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' },
      ],
    });
    const env = envWithGrants();
    env.ui.answerPicks({ choose: user }).answerTexts('Deploy').answerConfirms(true);
    const outcome = await pushPolicy(env, document('deploy.iam.json', proposed), 'user');
    assert.equal(outcome.status, 'done', JSON.stringify(env.ui.notifications));

    const grants = env.ui.diffs[0].grants;
    assert.ok(grants, 'the diff comes with the grant changes');
    assert.deepEqual(
      grants.added.map((change) => `${change.action} on ${change.resource}`),
      ['iam:PassRole on *', 's3:GetObject on arn:aws:s3:::artifacts/*'],
    );
    assert.deepEqual(
      grants.removed.map((change) => `${change.action} on ${change.resource}`),
      ['s3:DeleteObject on arn:aws:s3:::artifacts/*'],
    );
    assert.match(
      env.ui.confirms[0].detail ?? '',
      /^It adds 2 actions \(1 Write, 1 Read\); removes 1 action \(1 Write\): adds iam:PassRole on \*, s3:GetObject on arn:aws:s3:::artifacts\/\*; removes s3:DeleteObject on arn:aws:s3:::artifacts\/\*\. The diff shows IAM's version/,
    );
    assert.equal(await storedDocument(admin, { kind: 'user', name: user }, 'Deploy'), proposed);
  });

  it('says when the new version grants the same, though written otherwise', TEST, async () => {
    const user = await userWithPolicy('Same', identityPolicy('same'));
    const env = envWithGrants();
    env.ui.answerPicks({ choose: user }).answerTexts('Same').answerConfirms(false);
    const reworded = identityPolicy('same').replace('"s3:GetObject"', '["S3:GETOBJECT"]');
    assert.equal((await pushPolicy(env, document('same.iam.json', reworded), 'user')).status, 'declined');
    assert.match(env.ui.confirms[0].detail ?? '', /^It grants the same actions on the same resources\. /);
  });

  it("before a new default version of a managed policy: what it adds to the current default's grants, beside the diff and in the question", TEST, async () => {
    const created = await admin.send(new CreatePolicyCommand({ PolicyName: uniqueName('Managed'), PolicyDocument: identityPolicy('reports') }));
    const arn = created.Policy!.Arn!;
    const env = envWithGrants();
    env.ui.answerConfirms(true);
    const proposed = identityPolicy('reports', 's3:PutObject');
    const outcome = await pushPolicyVersion(env, document('reports.iam.json', proposed), arn);
    assert.equal(outcome.status, 'done', JSON.stringify(env.ui.notifications));
    const grants = env.ui.diffs[0].grants;
    assert.ok(grants, 'the diff comes with the grant changes');
    assert.deepEqual(
      grants.added.map((change) => `${change.level} ${change.action} on ${change.resource}`),
      ['Write s3:PutObject on arn:aws:s3:::reports/*'],
    );
    assert.match(
      env.ui.confirms[0].detail ?? '',
      /^It adds 1 action \(1 Write\); removes 1 action \(1 Read\): adds s3:PutObject on arn:aws:s3:::reports\/\*; removes s3:GetObject on arn:aws:s3:::reports\/\*\. The diff shows IAM's default version/,
    );
    assert.equal((await admin.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.DefaultVersionId, 'v2');
  });

  it('a push goes on without them when they cannot be worked out, and says so in the log', TEST, async () => {
    const user = await userWithPolicy('Kept', identityPolicy('kept'));
    const env = Object.assign(testEnv({ endpoint: moto!.endpoint }), {
      grantChanges: async (): Promise<undefined> => {
        throw new Error('the language server is not running');
      },
    });
    env.ui.answerPicks({ choose: user }).answerTexts('Kept').answerConfirms(true);
    assert.equal((await pushPolicy(env, document('kept.iam.json', identityPolicy('kept', 's3:PutObject')), 'user')).status, 'done');
    assert.equal(env.ui.diffs[0].grants, undefined);
    assert.match(env.ui.confirms[0].detail ?? '', /^The diff shows IAM's version/);
    assert.ok(env.lines.includes('What the new version grants could not be worked out: the language server is not running'), env.lines.join('\n'));
  });
});
