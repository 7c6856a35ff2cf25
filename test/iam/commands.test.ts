/**
 * The commands' logic (client/src/commands: what is asked, in which order, and what is shown
 * for each outcome) against moto, with a scripted UI in place of VS Code. What a command wrote
 * is read back with the test's own client. The UI test (test/vscode/ui.test.ts) does the main
 * paths in the real editor; this covers every outcome and failure.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetUserCommand,
  ListUserPoliciesCommand,
  PutUserPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import type { EntityRef } from '../../client/src/aws';
import { setUserPermissionsBoundary } from '../../client/src/commands/boundary';
import { pushPolicy, pushPolicyAgain } from '../../client/src/commands/push';
import { PushMemory } from '../../client/src/commands/pushMemory';
import type { PolicyDocumentRef } from '../../client/src/commands/ui';
import { isolateAwsEnvironment } from '../support/awsEnvironment';
import { EC2_TRUST_POLICY, adminClient, identityPolicy, storedDocument, uniqueName, SETUP, TEST } from '../support/iamTesting';
import { startFaultProxy } from '../support/faultProxy';
import { freePort, startMoto, type MotoServer } from '../support/moto';
import { MapStore, testEnv, type TestEnv } from '../support/scriptedUi';

const aws = isolateAwsEnvironment();
const ACCOUNT = '123456789012';

let moto: MotoServer | undefined;
let admin: IAMClient;

before(async () => {
  moto = await startMoto();
  admin = adminClient(moto.endpoint);
}, SETUP);

after(async () => {
  admin?.destroy();
  await moto?.stop();
});

const endpoint = (): string => {
  assert.ok(moto, 'moto is running');
  return moto.endpoint;
};

/** An editor document whose text the test can change between commands. */
function editorDocument(fileName: string, text: string): PolicyDocumentRef & { text: string } {
  const document = {
    key: `file:///work/${fileName}`,
    fileName: `/work/${fileName}`,
    text,
    getText: () => document.text,
  };
  return document;
}

async function createUser(path?: string): Promise<EntityRef> {
  const name = uniqueName('user');
  await admin.send(new CreateUserCommand({ UserName: name, ...(path !== undefined ? { Path: path } : {}) }));
  return { kind: 'user', name };
}

async function inlinePolicyNames(userName: string): Promise<string[]> {
  return (await admin.send(new ListUserPoliciesCommand({ UserName: userName }))).PolicyNames ?? [];
}

const writes = (env: TestEnv): string[] => env.lines.filter((line) => /^Put\w+ /.test(line));

describe('Push Policy to IAM User… (scripted UI, moto)', () => {
  it('lists the users with their paths under the account, takes the file name as policy name, and creates the policy with the editor text', TEST, async () => {
    const target = await createUser('/engineering/');
    const env = testEnv({ endpoint: endpoint() });
    const text = identityPolicy('first-push');
    const document = editorDocument('read-reports.iam.json', text);
    env.ui.answerPicks({ choose: target.name }).answerTexts('read-reports');

    const outcome = await pushPolicy(env, document, 'user');

    assert.equal(outcome.status, 'done');
    env.ui.assertAllAnswered();
    const [pick] = env.ui.picks;
    assert.equal(pick.title, `Push read-reports.iam.json to an IAM user of account ${ACCOUNT}`);
    assert.equal(pick.choices.find((choice) => choice.value === target.name)?.description, '/engineering/');
    assert.equal(env.ui.texts[0].value, 'read-reports', 'the file name is offered');
    assert.equal(await storedDocument(admin, target, 'read-reports'), text);
    assert.deepEqual(env.ui.notifications, [
      { severity: 'info', message: `Created the inline policy "read-reports" of the user "${target.name}" in account ${ACCOUNT}.`, actions: ['show-output'] },
    ]);
    assert.deepEqual(env.memory.get(document.key), { kind: 'user', name: target.name, policyName: 'read-reports', account: ACCOUNT });
    assert.equal(env.connections, 1);
    assert.deepEqual(
      env.identities.map((result) => ('identity' in result ? result.identity.account : result.problem.kind)),
      [ACCOUNT],
    );
    // The output channel: one line per call and one for the outcome, never the policy text.
    assert.ok(
      env.lines.some((line) => line.startsWith(`PutUserPolicy user ${target.name}, policy read-reports: ok`)),
      env.lines.join('\n'),
    );
    assert.ok(
      env.lines.every((line) => !line.includes('first-push') && !line.includes('Statement')),
      env.lines.join('\n'),
    );
  });

  it('offers no policy name when the file name cannot be one', TEST, async () => {
    const target = await createUser();
    const env = testEnv({ endpoint: endpoint() });
    env.ui.answerPicks({ choose: target.name }).answerTexts(undefined);
    const outcome = await pushPolicy(env, editorDocument('bad name.iam.json', identityPolicy('x')), 'user');
    assert.equal(outcome.status, 'cancelled');
    assert.equal(env.ui.texts[0].value, '');
    assert.deepEqual(writes(env), []);
  });

  it('sends nothing, and asks nothing, when IAM would reject the document; offers Show Problems', TEST, async () => {
    const env = testEnv({ endpoint: endpoint() });
    const outcome = await pushPolicy(
      env,
      editorDocument('broken.iam.json', '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],}'),
      'user',
    );
    assert.equal(outcome.status, 'blocked');
    assert.equal(env.connections, 0, 'no connection, no request');
    assert.equal(env.ui.picks.length, 0);
    assert.equal(env.ui.notifications[0].severity, 'error');
    assert.match(env.ui.notifications[0].message, /^Not sent: the document has a problem IAM would reject\. Line 1, column 104: /);
    assert.deepEqual(env.ui.notifications[0].actions, ['show-problems']);
    assert.deepEqual(env.lines, ['Push broken.iam.json: not sent, 1 problem IAM would reject (json-trailing-comma)']);
  });

  it('says the same policy is there already and sends nothing (JSON-equal, formatted differently)', TEST, async () => {
    const target = await createUser();
    await admin.send(
      new PutUserPolicyCommand({ UserName: target.name, PolicyName: 'Same', PolicyDocument: JSON.stringify(JSON.parse(identityPolicy('same'))) }),
    );
    const env = testEnv({ endpoint: endpoint() });
    env.ui.answerPicks({ choose: target.name }).answerTexts('Same');
    const outcome = await pushPolicy(env, editorDocument('same.iam.json', identityPolicy('same')), 'user');
    assert.equal(outcome.status, 'unchanged');
    assert.deepEqual(writes(env), []);
    assert.equal(env.ui.notifications[0].message, `The user "${target.name}" already has this policy as "Same" in account ${ACCOUNT}. Nothing was sent.`);
  });

  it('refuses with the numbers when the inline policies would exceed the quota', TEST, async () => {
    const target = await createUser();
    const big = (marker: string): string =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${marker}-${'b'.repeat(1_200)}/*` }],
      });
    await admin.send(new PutUserPolicyCommand({ UserName: target.name, PolicyName: 'Existing', PolicyDocument: big('existing') }));
    const env = testEnv({ endpoint: endpoint() });
    env.ui.answerPicks({ choose: target.name }).answerTexts('Second');
    const outcome = await pushPolicy(env, editorDocument('second.iam.json', big('second')), 'user');
    assert.equal(outcome.status, 'blocked');
    assert.match(
      env.ui.notifications[0].message,
      /^Not sent\. Too large for IAM: this policy is 1,\d{3} characters without white space and the other inline policy of the user ".*" takes 1,\d{3}, 2,\d{3} in all, \d+ over the 2,048 IAM allows/,
    );
    assert.deepEqual(writes(env), []);
    assert.deepEqual(await inlinePolicyNames(target.name), ['Existing']);
  });

  it('reports a typed user that does not exist, and writes nothing', TEST, async () => {
    const env = testEnv({ endpoint: endpoint() });
    env.ui.answerPicks({ type: 'nobody-here' }).answerTexts('P');
    const outcome = await pushPolicy(env, editorDocument('p.iam.json', identityPolicy('p')), 'user');
    assert.equal(outcome.status, 'failed');
    assert.equal(env.ui.picks[0].typed?.value, 'nobody-here');
    assert.equal(env.ui.notifications[0].severity, 'error');
    assert.match(env.ui.notifications[0].message, /nobody-here.*Check the name/);
    assert.deepEqual(env.ui.notifications[0].actions, ['show-output']);
    assert.ok(
      env.lines.some((line) => /^Push p\.iam\.json: failed, no-such-entity \(NoSuchEntity/.test(line)),
      env.lines.join('\n'),
    );
  });

  it('titles the pick "of account unknown" when STS answers without an account', TEST, async () => {
    // moto always names its account: a proxy answers GetCallerIdentity without one, as an
    // IAM-compatible endpoint may; the list of users still comes from moto.
    const proxy = await startFaultProxy(endpoint());
    try {
      const noAccount =
        '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
        '<UserId>AIDAEXAMPLE</UserId></GetCallerIdentityResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>';
      proxy.setFault({ kind: 'answer', status: 200, body: noAccount }, ['GetCallerIdentity']);
      const env = testEnv({ endpoint: proxy.endpoint });
      env.ui.answerPicks(undefined);
      const outcome = await pushPolicy(env, editorDocument('p.iam.json', identityPolicy('p')), 'user');
      assert.equal(outcome.status, 'cancelled');
      assert.equal(env.ui.picks[0].loaded.title, 'Push p.iam.json to an IAM user of account unknown');
    } finally {
      await proxy.close();
    }
  });

  it('asks which kind first for "Push Policy to IAM…", and pushes to a group and to a role', TEST, async () => {
    const group = uniqueName('group');
    const role = uniqueName('role');
    await admin.send(new CreateGroupCommand({ GroupName: group }));
    await admin.send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: EC2_TRUST_POLICY, Path: '/service-role/' }));
    for (const [kind, name] of [
      ['group', group],
      ['role', role],
    ] as const) {
      const env = testEnv({ endpoint: endpoint() });
      const text = identityPolicy(`to-${kind}`);
      env.ui.answerPicks({ choose: kind }, { choose: name }).answerTexts('ToKind');
      const outcome = await pushPolicy(env, editorDocument('to-kind.iam.json', text), undefined);
      assert.equal(outcome.status, 'done', JSON.stringify(env.ui.notifications));
      assert.deepEqual(
        env.ui.picks.map((pick) => pick.options.step),
        [1, 2],
      );
      assert.equal(env.ui.texts[0].step, 3);
      assert.equal(await storedDocument(admin, { kind, name }, 'ToKind'), text);
    }
  });
});

describe('replacing a policy (scripted UI, moto)', () => {
  it('shows the diff, asks, replaces on yes; Push Again needs no questions but the one before replacing', TEST, async () => {
    const target = await createUser();
    const memory = new PushMemory(new MapStore());
    const document = editorDocument('diff.iam.json', identityPolicy('version-1'));
    const first = testEnv({ endpoint: endpoint() }, memory);
    first.ui.answerPicks({ choose: target.name }).answerTexts('Diffed');
    assert.equal((await pushPolicy(first, document, 'user')).status, 'done');

    document.text = identityPolicy('version-2', 's3:PutObject'); // edited, not saved: the editor's text counts
    const again = testEnv({ endpoint: endpoint() }, memory);
    again.ui.answerConfirms(true);
    const outcome = await pushPolicyAgain(again, document);

    assert.equal(outcome.status, 'done');
    again.ui.assertAllAnswered();
    assert.equal(again.ui.picks.length + again.ui.texts.length, 0, 'no pick, no input box');
    const [diff] = again.ui.diffs;
    assert.match(diff.left.text, /version-1/);
    assert.match(diff.right.text, /version-2/);
    assert.equal(diff.title, `Diffed: IAM (user ${target.name}) ↔ diff.iam.json`);
    assert.equal(again.ui.closedDiffs, 1, 'the diff is closed after the answer');
    assert.equal(again.ui.confirms[0].message, `Replace the inline policy "Diffed" of the user "${target.name}" in account ${ACCOUNT}?`);
    assert.equal(again.ui.confirms[0].button, 'Replace');
    assert.equal(await storedDocument(admin, target, 'Diffed'), document.text);
    assert.equal(again.ui.notifications[0].message, `Replaced the inline policy "Diffed" of the user "${target.name}" in account ${ACCOUNT}.`);
  });

  it('sends nothing when the answer is no', TEST, async () => {
    const target = await createUser();
    await admin.send(new PutUserPolicyCommand({ UserName: target.name, PolicyName: 'Kept', PolicyDocument: identityPolicy('kept') }));
    const env = testEnv({ endpoint: endpoint() });
    env.ui.answerPicks({ choose: target.name }).answerTexts('Kept').answerConfirms(false);
    const outcome = await pushPolicy(env, editorDocument('kept.iam.json', identityPolicy('other')), 'user');
    assert.equal(outcome.status, 'declined');
    assert.deepEqual(writes(env), []);
    assert.equal(env.ui.confirms[0].aboutDiff, true, 'asked beside the diff, not over it');
    assert.equal(env.ui.closedDiffs, 1);
    assert.equal(await storedDocument(admin, target, 'Kept'), identityPolicy('kept'));
    assert.equal(env.memory.get('file:///work/kept.iam.json'), undefined, 'not pushed, not remembered');
  });

  it('writes nothing when IAM changed while the question was open, and offers to push again', TEST, async () => {
    const target = await createUser();
    await admin.send(new PutUserPolicyCommand({ UserName: target.name, PolicyName: 'Raced', PolicyDocument: identityPolicy('before') }));
    const env = testEnv({ endpoint: endpoint() });
    env.ui
      .answerPicks({ choose: target.name })
      .answerTexts('Raced')
      .answerConfirms(async () => {
        await admin.send(new PutUserPolicyCommand({ UserName: target.name, PolicyName: 'Raced', PolicyDocument: identityPolicy('someone-else') }));
        return true;
      });
    const outcome = await pushPolicy(env, editorDocument('raced.iam.json', identityPolicy('mine')), 'user');
    assert.equal(outcome.status, 'changed-meanwhile');
    assert.equal(await storedDocument(admin, target, 'Raced'), identityPolicy('someone-else'));
    assert.equal(env.ui.notifications[0].severity, 'warning');
    assert.deepEqual(env.ui.notifications[0].actions, ['push-again']);
    assert.equal(env.memory.get('file:///work/raced.iam.json')?.policyName, 'Raced', 'Push Again knows where');
  });
});

describe('Push Policy Again (scripted UI, moto)', () => {
  it('says so, with no request, for a document never pushed from this workspace', TEST, async () => {
    const env = testEnv({ endpoint: endpoint() });
    const outcome = await pushPolicyAgain(env, editorDocument('never.iam.json', identityPolicy('never')));
    assert.equal(outcome.status, 'not-remembered');
    assert.equal(env.connections, 0);
    assert.deepEqual(env.ui.notifications[0].actions, ['push']);
    assert.match(env.ui.notifications[0].message, /^never\.iam\.json has not been pushed to IAM from this workspace yet/);
  });

  it('asks before pushing into another account than last time', TEST, async () => {
    const target = await createUser();
    const memory = new PushMemory(new MapStore());
    const document = editorDocument('moved.iam.json', identityPolicy('moved'));
    await memory.remember(document.key, { kind: 'user', name: target.name, policyName: 'Moved', account: '999999999999' });
    const env = testEnv({ endpoint: endpoint() }, memory);
    env.ui.answerConfirms(false);
    assert.equal((await pushPolicyAgain(env, document)).status, 'declined');
    assert.match(env.ui.confirms[0].detail ?? '', /last pushed to account 999999999999, but the AWS credentials in use now are for account 123456789012/);
    assert.deepEqual(writes(env), []);

    const yes = testEnv({ endpoint: endpoint() }, memory);
    yes.ui.answerConfirms(true);
    assert.equal((await pushPolicyAgain(yes, document)).status, 'done');
    assert.equal(memory.get(document.key)?.account, ACCOUNT);
  });

  it('reports no document', TEST, async () => {
    const env = testEnv({ endpoint: endpoint() });
    assert.equal((await pushPolicyAgain(env, undefined)).status, 'no-document');
    assert.equal((await pushPolicy(env, undefined, 'role')).status, 'no-document');
    assert.equal(env.ui.notifications[0].severity, 'warning');
  });
});

describe('connection failures (scripted UI)', () => {
  it('no credentials: one error with Select AWS Profile, Open Settings and Show Output; nothing asked after', TEST, async () => {
    await aws.withoutEnvironmentKeys(async () => {
      const env = testEnv({ endpoint: endpoint() });
      const outcome = await pushPolicy(env, editorDocument('c.iam.json', identityPolicy('c')), 'user');
      assert.equal(outcome.status, 'failed');
      assert.equal(env.ui.notifications.length, 1);
      assert.match(env.ui.notifications[0].message, /^No AWS credentials found\./);
      assert.deepEqual(env.ui.notifications[0].actions, ['select-profile', 'open-aws-settings', 'show-output']);
      assert.equal(env.ui.texts.length, 0);
    });
  });

  it('a profile that is not there names the profile', TEST, async () => {
    const env = testEnv({ endpoint: endpoint(), profile: 'no-such-profile' });
    await aws.withoutEnvironmentKeys(async () => {
      assert.equal((await setUserPermissionsBoundary(env)).status, 'failed');
    });
    assert.match(env.ui.notifications[0].message, /No AWS credentials for the profile "no-such-profile"/);
  });

  it('an endpoint nobody listens on: unreachable, with Open Settings', TEST, async () => {
    const port = await freePort();
    const env = testEnv({ endpoint: `http://127.0.0.1:${port}` });
    const outcome = await pushPolicy(env, editorDocument('u.iam.json', identityPolicy('u')), 'role');
    assert.equal(outcome.status, 'failed');
    assert.match(env.ui.notifications[0].message, new RegExp(`^Could not reach the endpoint http://127\\.0\\.0\\.1:${port}`));
    assert.deepEqual(env.ui.notifications[0].actions, ['open-aws-settings', 'show-output']);
  });

  it('an endpoint setting that is not a URL: said before any request', TEST, async () => {
    const env = testEnv({ endpoint: 'localhost:5000' });
    const outcome = await pushPolicy(env, editorDocument('s.iam.json', identityPolicy('s')), 'user');
    assert.equal(outcome.status, 'failed');
    assert.match(env.ui.notifications[0].message, /The endpoint setting "localhost:5000" is not an http:\/\/ or https:\/\/ URL/);
    assert.equal(env.lines.filter((line) => /: (ok|error)/.test(line)).length, 0, 'no request');
  });
});

describe('Set Permissions Boundary of IAM User… (scripted UI, moto)', () => {
  let boundaryArn: string;
  before(async () => {
    const policy = await admin.send(
      new CreatePolicyCommand({ PolicyName: uniqueName('Boundary'), PolicyDocument: identityPolicy('boundary'), Path: '/boundaries/' }),
    );
    boundaryArn = policy.Policy?.Arn ?? '';
  });

  it("lists the account's policies before AWS's, shows the current boundary, asks, and sets it", TEST, async () => {
    const target = await createUser();
    const env = testEnv({ endpoint: endpoint() });
    env.ui.answerPicks({ choose: target.name }, { choose: boundaryArn }).answerConfirms(true);
    const outcome = await setUserPermissionsBoundary(env);
    assert.equal(outcome.status, 'done', JSON.stringify(env.ui.notifications));
    const [users, policies] = env.ui.picks;
    assert.equal(users.title, `Set the permissions boundary of an IAM user of account ${ACCOUNT}`);
    assert.equal(policies.loaded.placeholder, 'It has no boundary now. Pick a managed policy, or type its ARN');
    assert.deepEqual(
      policies.loaded.sections.map((section) => section.heading),
      ['This account', 'AWS managed'],
    );
    assert.ok(policies.loaded.sections[1].choices.some((choice) => choice.value === 'arn:aws:iam::aws:policy/PowerUserAccess'));
    assert.ok(!policies.choices.some((choice) => String(choice.value).includes('/aws-service-role/')));
    assert.equal(env.ui.confirms[0].message, `Set ${boundaryArn} as the permissions boundary of the user "${target.name}" in account ${ACCOUNT}?`);
    const user = (await admin.send(new GetUserCommand({ UserName: target.name }))).User;
    assert.equal(user?.PermissionsBoundary?.PermissionsBoundaryArn, boundaryArn);
    assert.equal(env.ui.notifications[0].message, `Set ${boundaryArn} as the permissions boundary of the user "${target.name}" in account ${ACCOUNT}.`);

    // Again, to an AWS managed policy typed as an ARN: the current one is shown and replaced.
    const next = testEnv({ endpoint: endpoint() });
    next.ui.answerPicks({ choose: target.name }, { type: 'arn:aws:iam::aws:policy/PowerUserAccess' }).answerConfirms(true);
    assert.equal((await setUserPermissionsBoundary(next)).status, 'done');
    assert.match(next.ui.picks[1].loaded.placeholder ?? '', new RegExp(`^Its boundary now: ${boundaryArn.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.`));
    assert.equal(next.ui.picks[1].choices.find((choice) => choice.current === true)?.value, boundaryArn);
    assert.match(next.ui.confirms[0].detail ?? '', new RegExp(`^It replaces ${boundaryArn.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.`));
    assert.match(next.ui.notifications[0].message, /\(it was arn:aws:iam::123456789012:policy\/boundaries\//);
  });

  it('sends nothing for the boundary the user has, or when the answer is no', TEST, async () => {
    const target = await createUser();
    const first = testEnv({ endpoint: endpoint() });
    first.ui.answerPicks({ choose: target.name }, { choose: boundaryArn }).answerConfirms(true);
    await setUserPermissionsBoundary(first);
    const same = testEnv({ endpoint: endpoint() });
    same.ui.answerPicks({ choose: target.name }, { choose: boundaryArn });
    assert.equal((await setUserPermissionsBoundary(same)).status, 'unchanged');
    assert.match(same.ui.notifications[0].message, /already has .* as permissions boundary in account 123456789012\. Nothing was sent\.$/);
    const no = testEnv({ endpoint: endpoint() });
    no.ui.answerPicks({ choose: target.name }, { choose: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }).answerConfirms(false);
    assert.equal((await setUserPermissionsBoundary(no)).status, 'declined');
    assert.deepEqual(writes(same).concat(writes(no)), []);
  });

  it("explains IAM's refusals: a service-role policy, a user that does not exist; a bad ARN cannot be accepted", TEST, async () => {
    const target = await createUser();
    const refused = testEnv({ endpoint: endpoint() });
    refused.ui.answerPicks({ choose: target.name }, { type: 'arn:aws:iam::aws:policy/aws-service-role/AWSSupportServiceRolePolicy' }).answerConfirms(true);
    assert.equal((await setUserPermissionsBoundary(refused)).status, 'failed');
    assert.match(refused.ui.notifications[0].message, /^This managed policy cannot be used here: .* AWS service-role policies can only be attached/);

    const missing = testEnv({ endpoint: endpoint() });
    missing.ui.answerPicks({ type: 'not-a-user' });
    assert.equal((await setUserPermissionsBoundary(missing)).status, 'failed');
    assert.match(missing.ui.notifications[0].message, /not-a-user/);

    const badArn = testEnv({ endpoint: endpoint() });
    badArn.ui.answerPicks({ choose: target.name }, { type: 'arn:aws:iam::123456789012:role/Admin' });
    assert.equal((await setUserPermissionsBoundary(badArn)).status, 'cancelled', 'the entry explains and cannot be accepted');
    assert.match(badArn.ui.picks[1].typed?.detail ?? '', /names a role, not a managed policy/);
    assert.equal(badArn.ui.picks[1].typed?.value, undefined);
    assert.equal(badArn.ui.confirms.length, 0);
  });
});

describe('a caller who may write but not list (moto with IAM authorization)', () => {
  const SETUP_REQUESTS = 5;
  let authMoto: MotoServer | undefined;
  let authAdmin: IAMClient | undefined;

  before(async () => {
    authMoto = await startMoto({ env: { INITIAL_NO_AUTH_ACTION_COUNT: String(SETUP_REQUESTS) }, awsManagedPolicies: false });
    authAdmin = adminClient(authMoto.endpoint);
    await authAdmin.send(new CreateUserCommand({ UserName: 'writer' }));
    const key = (await authAdmin.send(new CreateAccessKeyCommand({ UserName: 'writer' }))).AccessKey;
    const mayWrite = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['iam:PutUserPolicy', 'iam:ListUserPolicies', 'iam:GetUserPolicy', 'sts:GetCallerIdentity'], Resource: '*' }],
    });
    await authAdmin.send(new PutUserPolicyCommand({ UserName: 'writer', PolicyName: 'MayWrite', PolicyDocument: mayWrite }));
    await authAdmin.send(new CreateUserCommand({ UserName: 'target' }));
    await authAdmin.send(new CreateUserCommand({ UserName: 'spare' })); // the fifth setup request; moto checks from here on
    aws.addProfile('writer', { accessKeyId: key?.AccessKeyId ?? '', secretAccessKey: key?.SecretAccessKey ?? '' });
  }, SETUP);

  after(async () => {
    authAdmin?.destroy();
    await authMoto?.stop();
  });

  it('keeps the pick open with the reason, takes a typed name, and pushes', TEST, async () => {
    assert.ok(authMoto);
    const env = testEnv({ endpoint: authMoto.endpoint, profile: 'writer' });
    env.ui.answerPicks({ type: 'target' }).answerTexts('Typed');
    const outcome = await aws.withoutEnvironmentKeys(() => pushPolicy(env, editorDocument('typed.iam.json', identityPolicy('typed')), 'user'));
    assert.equal(outcome.status, 'done', JSON.stringify(env.ui.notifications));
    const [pick] = env.ui.picks;
    assert.deepEqual(pick.choices, []);
    assert.match(pick.loaded.notice ?? '', /^Could not list the users: Access denied: the AWS profile "writer" may not call iam:ListUsers/);
    assert.equal(pick.loaded.placeholder, 'Type the name of the user');
  });
});

describe('pushing a policy of a CloudFormation template (scripted UI, moto)', () => {
  const template = (resource: string): string => `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n${resource}`;
  const role = (name: string, statement: string): string =>
    `  ReportsRole:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: ${name}\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: 'sts:AssumeRole'}\n      Policies:\n        - PolicyName: read-reports\n          PolicyDocument:\n            Version: '2012-10-17'\n            Statement:\n${statement}`;

  it("asks which policy, sends the JSON CloudFormation would send to the role, under the template's PolicyName", TEST, async () => {
    const name = uniqueName('role');
    await admin.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: EC2_TRUST_POLICY }));
    const text = template(
      role(
        name,
        "              - Sid: ReadReports\n                Effect: Allow\n                Action: [s3:GetObject, s3:ListBucket]\n                Resource: 'arn:aws:s3:::reports/*'\n",
      ),
    );
    const document = editorDocument('stack.yaml', text);
    const env = testEnv({ endpoint: endpoint() });
    // The policy, then the role (the resource is a role: no question which kind), then the name.
    env.ui.answerPicks({ choose: 'ReportsRole Policies[0]' }, { choose: name }).answerTexts('read-reports');

    const outcome = await pushPolicy(env, document);

    assert.equal(outcome.status, 'done', JSON.stringify(env.ui.notifications));
    env.ui.assertAllAnswered();
    const [which, target] = env.ui.picks;
    // The trust policy is listed as what the push commands do not send.
    assert.deepEqual(
      which.choices.map((choice) => [choice.label, choice.description]),
      [['ReportsRole Policies[0]', 'read-reports']],
    );
    assert.match(which.loaded.notice ?? '', /ReportsRole AssumeRolePolicyDocument is a role trust policy/);
    assert.equal(target.title, `Push stack.yaml, ReportsRole Policies[0] to an IAM role of account ${ACCOUNT}`);
    assert.equal(env.ui.texts[0].value, 'read-reports', "the template's PolicyName is offered");
    const sent = {
      Version: '2012-10-17',
      Statement: [{ Sid: 'ReadReports', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: 'arn:aws:s3:::reports/*' }],
    };
    assert.equal(await storedDocument(admin, { kind: 'role', name }, 'read-reports'), `${JSON.stringify(sent, null, 2)}\n`);
    assert.deepEqual(env.memory.get(`${document.key}#ReportsRole/Policies[0]`), { kind: 'role', name, policyName: 'read-reports', account: ACCOUNT });
  });

  it('says why, and sends nothing, when no policy of the template has all its values known', TEST, async () => {
    const env = testEnv({ endpoint: endpoint() });
    const text = template(
      role('app', "              - Effect: Allow\n                Action: s3:GetObject\n                Resource: !Sub 'arn:aws:s3:::${ReportsBucket}/*'\n"),
    );
    const outcome = await pushPolicy(env, editorDocument('stack.yaml', text), 'role');
    assert.equal(outcome.status, 'blocked');
    assert.equal(env.connections, 0, 'no connection, no request');
    assert.equal(env.ui.picks.length, 0);
    assert.deepEqual(
      env.ui.notifications.map((notification) => notification.severity),
      ['warning'],
    );
    assert.match(
      env.ui.notifications[0].message,
      /^No policy of stack\.yaml can be pushed as it is: ReportsRole AssumeRolePolicyDocument is a role trust policy: the push commands send identity policies; ReportsRole Policies\[0\] has a value CloudFormation resolves only when it deploys the stack\.$/,
    );
  });

  it('stops at a policy IAM would reject, as for a policy file', TEST, async () => {
    const env = testEnv({ endpoint: endpoint() });
    const text = template(
      role('app', '              - Effect: Allow\n                Action: s3:GetObject\n                Resource: arn:aws:s3:::reports\u2019/*\n'),
    );
    env.ui.answerPicks({ choose: 'ReportsRole Policies[0]' });
    const outcome = await pushPolicy(env, editorDocument('stack.yaml', text), 'role');
    assert.equal(outcome.status, 'blocked');
    assert.equal(env.connections, 0);
    assert.match(env.ui.notifications[0].message, /^Not sent: the document has a problem IAM would reject\./);
  });
});
