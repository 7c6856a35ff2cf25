/**
 * Credentials and permissions, against moto with its IAM authorization switched on
 * (INITIAL_NO_AUTH_ACTION_COUNT): after the setup requests, moto checks every request's
 * signature against the access keys it issued and evaluates the caller's policies, so
 * AccessDenied, InvalidClientTokenId and SignatureDoesNotMatch are moto's own answers.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import {
  createIamConnection,
  getCallerIdentity,
  listInlinePolicyNames,
  listUsers,
  putInlinePolicy,
  putUserPermissionsBoundary,
  type EntityRef,
  type IamConnection,
} from '../../client/src/aws';
import { applyInlinePolicyPush, planInlinePolicyPush } from '../../client/src/flows';
import { isolateAwsEnvironment } from '../support/awsEnvironment';
import { adminClient, identityPolicy, failsWith, SETUP, TEST } from '../support/iamTesting';
import { startMoto, type MotoServer } from '../support/moto';

const aws = isolateAwsEnvironment();

/** The setup below sends exactly this many requests before moto starts checking. */
const SETUP_REQUESTS = 4;
const LIMITED_USER = 'limited';
const TARGET: EntityRef = { kind: 'user', name: 'target' };
/** What the limited user may do: read, never write. */
const READ_ONLY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['iam:ListUsers', 'iam:GetUser', 'iam:ListUserPolicies', 'iam:GetUserPolicy', 'sts:GetCallerIdentity'],
      Resource: '*',
    },
  ],
});

let moto: MotoServer | undefined;
let admin: IAMClient | undefined;
let limited: IamConnection;
let limitedKeys: { accessKeyId: string; secretAccessKey: string };

before(async () => {
  moto = await startMoto({ env: { INITIAL_NO_AUTH_ACTION_COUNT: String(SETUP_REQUESTS) }, awsManagedPolicies: false });
  admin = adminClient(moto.endpoint);
  await admin.send(new CreateUserCommand({ UserName: LIMITED_USER }));
  const key = (await admin.send(new CreateAccessKeyCommand({ UserName: LIMITED_USER }))).AccessKey;
  limitedKeys = { accessKeyId: key?.AccessKeyId ?? '', secretAccessKey: key?.SecretAccessKey ?? '' };
  await admin.send(new PutUserPolicyCommand({ UserName: LIMITED_USER, PolicyName: 'ReadOnly', PolicyDocument: READ_ONLY }));
  await admin.send(new CreateUserCommand({ UserName: TARGET.name }));
  // From here on moto authorizes every request.
  aws.addProfile(LIMITED_USER, limitedKeys);
  aws.addProfile('wrong-secret', { accessKeyId: limitedKeys.accessKeyId, secretAccessKey: 'not-the-secret' });
  limited = createIamConnection({ endpoint: moto.endpoint, profile: LIMITED_USER });
}, SETUP);

after(async () => {
  limited?.dispose();
  admin?.destroy();
  await moto?.stop();
});

/** Runs `body` with only profile credentials, so the profile is what the SDK uses. */
const withProfilesOnly = <T>(body: () => Promise<T>): Promise<T> => aws.withoutEnvironmentKeys(body);

describe('with IAM authorization', () => {
  it('identifies the caller of a profile', TEST, async () => {
    const identity = await withProfilesOnly(() => getCallerIdentity(limited));
    assert.equal(identity.arn, `arn:aws:iam::123456789012:user/${LIMITED_USER}`);
    assert.ok((await withProfilesOnly(() => listUsers(limited))).some((user) => user.name === TARGET.name));
  });

  it('names the action denied, and nothing is written', TEST, async () => {
    const error = await withProfilesOnly(() => failsWith('access-denied', () => putInlinePolicy(limited, TARGET, 'P', identityPolicy('x'))));
    assert.equal(error.problem.deniedAction, 'iam:PutUserPolicy');
    assert.equal(
      error.message,
      'Access denied: the AWS profile "limited" may not call iam:PutUserPolicy on the user "target". Ask an administrator for that permission, or choose another profile in the iamPolicy.aws.profile setting.',
    );
    assert.match(error.problem.detail ?? '', /user\/limited is not authorized to perform: iam:PutUserPolicy/);
    assert.deepEqual(await withProfilesOnly(() => listInlinePolicyNames(limited, TARGET)), []);
  });

  it('a push flow can plan with read access, and its write is denied', TEST, async () => {
    await withProfilesOnly(async () => {
      const plan = await planInlinePolicyPush(limited, { target: TARGET, policyName: 'P', document: identityPolicy('x') });
      assert.equal(plan.action, 'create');
      if (plan.action !== 'create') return;
      await failsWith('access-denied', () => applyInlinePolicyPush(limited, plan));
    });
  });

  it('a denied permissions boundary names its action', TEST, async () => {
    const error = await withProfilesOnly(() =>
      failsWith('access-denied', () => putUserPermissionsBoundary(limited, TARGET.name, 'arn:aws:iam::aws:policy/PowerUserAccess')),
    );
    assert.equal(error.problem.deniedAction, 'iam:PutUserPermissionsBoundary');
  });

  it('keys moto never issued are rejected, with advice', TEST, async () => {
    // The environment's fake keys: fine for moto without authorization, unknown here.
    const unknown = createIamConnection({ endpoint: moto!.endpoint });
    try {
      const error = await failsWith('credentials-rejected', () => listUsers(unknown));
      assert.equal(error.problem.code, 'InvalidClientTokenId');
      assert.match(error.message, /^AWS rejected the default AWS credentials \(InvalidClientTokenId\): the access key is unknown/);
    } finally {
      unknown.dispose();
    }
  });

  it('a wrong secret is rejected', TEST, async () => {
    await withProfilesOnly(async () => {
      const wrong = createIamConnection({ endpoint: moto!.endpoint, profile: 'wrong-secret' });
      try {
        const error = await failsWith('credentials-rejected', () => listUsers(wrong));
        assert.equal(error.problem.code, 'SignatureDoesNotMatch');
        assert.match(error.message, /^AWS rejected the credentials of the AWS profile "wrong-secret" \(SignatureDoesNotMatch\)/);
      } finally {
        wrong.dispose();
      }
    });
  });
});
