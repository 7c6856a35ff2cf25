/**
 * The round trip as a person goes through it, against moto: the IAM view's tree (model.ts,
 * walked as VS Code would), opening a policy from it, editing and pushing it back, creating a
 * managed policy and pushing versions of it, attaching, detaching, deleting, trust policies and
 * boundaries, with a scripted UI in place of VS Code (test/support/scriptedUi.ts). What the
 * commands wrote is read back with the test's own client. The UI test does the main path in
 * the real editor.
 *
 * AccessDenied on ListRoles comes from the fault proxy in front of moto (moto would need its
 * whole authorization set up for one refusal); everything else is moto's own answers, with the
 * additions of test/support/moto_iam_ext.py (DeleteUserPermissionsBoundary).
 */
import * as assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import {
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetPolicyCommand,
  GetRoleCommand,
  GetUserCommand,
  ListAttachedGroupPoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListPolicyVersionsCommand,
  PutRolePermissionsBoundaryCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { createIamConnection, type EntityRef, type IamConnection } from '../../client/src/aws';
import { attachPolicy, deleteInlinePolicy, detachPolicy, removePermissionsBoundary, setRolePermissionsBoundary } from '../../client/src/commands/entities';
import { createManagedPolicy, pushPolicyVersion } from '../../client/src/commands/managed';
import { openPolicy, saveToFile } from '../../client/src/commands/open';
import { pushBack } from '../../client/src/commands/pushBack';
import { PushMemory } from '../../client/src/commands/pushMemory';
import { updateTrustPolicy } from '../../client/src/commands/trust';
import { EXPLORER_NOT_ALLOWED, EXPLORER_RESTRICTED, IamExplorerModel, type IamNode } from '../../client/src/explorer/model';
import { isolateAwsEnvironment } from '../support/awsEnvironment';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import { EC2_TRUST_POLICY, RecordingLog, adminClient, identityPolicy, storedDocument, uniqueName, SETUP, TEST } from '../support/iamTesting';
import { startMoto, type MotoServer } from '../support/moto';
import { MapStore, editableDocument, testEnv, type TestEnv } from '../support/scriptedUi';

isolateAwsEnvironment();
const ACCOUNT = '123456789012';

let moto: MotoServer | undefined;
let proxy: FaultProxy | undefined;
let admin: IAMClient;
const connections: IamConnection[] = [];

before(async () => {
  moto = await startMoto();
  proxy = await startFaultProxy(moto.endpoint);
  admin = adminClient(moto.endpoint);
}, SETUP);

afterEach(() => proxy?.setFault(undefined));

after(async () => {
  for (const connection of connections) connection.dispose();
  admin?.destroy();
  await proxy?.close();
  await moto?.stop();
});

const endpoint = (): string => moto!.endpoint;
const writes = (env: TestEnv): string[] => env.lines.filter((line) => /^(Put|Create|Delete|Attach|Detach|Update)\w+ .*: ok/.test(line));

async function createUser(path = '/'): Promise<EntityRef & { kind: 'user' }> {
  const name = uniqueName('user');
  await admin.send(new CreateUserCommand({ UserName: name, Path: path }));
  return { kind: 'user', name };
}
async function createRole(): Promise<EntityRef & { kind: 'role' }> {
  const name = uniqueName('role');
  await admin.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: EC2_TRUST_POLICY }));
  return { kind: 'role', name };
}
async function createPolicy(document = identityPolicy('managed'), name = uniqueName('Managed')): Promise<string> {
  return (await admin.send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: document }))).Policy?.Arn ?? '';
}
async function versionIds(policyArn: string): Promise<string[]> {
  const versions = (await admin.send(new ListPolicyVersionsCommand({ PolicyArn: policyArn }))).Versions ?? [];
  return versions.map((version) => `${version.VersionId}${version.IsDefaultVersion === true ? '*' : ''}`).sort();
}

/** The model over moto (or the proxy), with a log of every call it makes. */
function explorer(at = endpoint(), pageSize?: number): { model: IamExplorerModel; log: RecordingLog } {
  const log = new RecordingLog();
  const model = new IamExplorerModel(
    {
      settings: () => ({ endpoint: at }),
      connect: (settings) => {
        const connection = createIamConnection(settings, { log, maxAttempts: 1 });
        connections.push(connection);
        return connection;
      },
    },
    pageSize !== undefined ? { pageSize } : {},
  );
  return { model, log };
}

async function child(model: IamExplorerModel, node: IamNode | undefined, label: string): Promise<IamNode> {
  const children = await model.children(node);
  const found = children.find((item) => model.view(item).label === label);
  assert.ok(found, `"${label}" is not among ${children.map((item) => model.view(item).label).join(', ')}`);
  return found;
}

describe('the IAM view (model against moto)', () => {
  it('reads nothing until it is shown; then the account, the four folders, users with paths, and what each entity has', TEST, async () => {
    const user = await createUser('/engineering/');
    await admin.send(new PutUserPolicyCommand({ UserName: user.name, PolicyName: 'ReadReports', PolicyDocument: identityPolicy('reports') }));
    await admin.send(new AttachUserPolicyCommand({ UserName: user.name, PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    const boundary = await createPolicy(identityPolicy('boundary'), uniqueName('Boundary'));
    await admin.send(new PutUserPermissionsBoundaryCommand({ UserName: user.name, PermissionsBoundary: boundary }));

    const { model, log } = explorer();
    assert.equal(log.records.length, 0, 'nothing read before the view asks');
    const [account] = await model.children();
    assert.equal(model.view(account).label, `Account ${ACCOUNT}`);
    assert.match(model.view(account).description ?? '', /^default credentials · 127\.0\.0\.1:\d+$/);
    assert.deepEqual(
      (await model.children(account)).map((node) => model.view(node).label),
      ['Users', 'Groups', 'Roles', 'Customer managed policies'],
    );
    assert.deepEqual(
      log.records.map((entry) => entry.operation),
      ['GetCallerIdentity'],
      'folders are not read until expanded',
    );

    const users = await child(model, account, 'Users');
    const listed = await child(model, users, user.name);
    assert.equal(model.view(listed).description, '/engineering/');
    const parts = (await model.children(listed)).map((node) => model.view(node));
    assert.deepEqual(
      parts.map((view) => [view.label, view.description, view.contextValue, view.opens]),
      [
        ['ReadReports', 'inline', 'iamPolicy.inlinePolicy', true],
        ['ReadOnlyAccess', 'attached · AWS managed', 'iamPolicy.attachedPolicy', false],
        [boundary.split('/').pop(), 'permissions boundary', 'iamPolicy.boundary', false],
      ],
    );
  });

  it('roles show their trust policy and boundary; managed policies their versions, the default marked', TEST, async () => {
    const role = await createRole();
    const arn = await createPolicy(identityPolicy('v1'));
    await admin.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: identityPolicy('v2'), SetAsDefault: true }));
    await admin.send(new PutRolePermissionsBoundaryCommand({ RoleName: role.name, PermissionsBoundary: arn }));
    const { model } = explorer();
    const [account] = await model.children();
    const roleNode = await child(model, await child(model, account, 'Roles'), role.name);
    assert.deepEqual(
      (await model.children(roleNode)).map((node) => model.view(node).label),
      ['Trust policy', arn.split('/').pop()],
    );
    const policy = await child(model, await child(model, account, 'Customer managed policies'), arn.split('/').pop()!);
    const versions = (await model.children(policy)).map((node) => model.view(node));
    assert.deepEqual(
      versions.map((view) => view.label),
      ['v2', 'v1'],
    );
    assert.match(versions[0].description ?? '', /^default · \d{4}-\d\d-\d\d$/);
    assert.equal(versions[0].contextValue, 'iamPolicy.policyVersion.default');
    assert.doesNotMatch(versions[1].description ?? '', /default/);
  });

  it('lists every page of users, and filters by part of the name in any case', TEST, async () => {
    const marker = uniqueName('Paged').toLowerCase();
    const names = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const name = `${marker}-${i}`;
      await admin.send(new CreateUserCommand({ UserName: name }));
      names.add(name);
    }
    const { model, log } = explorer(endpoint(), 5);
    model.setFilter(marker.toUpperCase());
    const [account] = await model.children();
    const users = await child(model, account, 'Users');
    assert.equal(model.view(users).description, `matching "${marker.toUpperCase()}"`);
    const listed = (await model.children(users)).map((node) => model.view(node).label);
    assert.deepEqual(new Set(listed), names);
    const pages = log.records.filter((entry) => entry.operation === 'ListUsers').map((entry) => entry.page);
    assert.ok(pages.length >= 3, `every page of 5: ${pages.join(', ')}`);
    model.setFilter('no-such-name-anywhere');
    assert.deepEqual(
      (await model.children(users)).map((node) => model.view(node).label),
      ['No users match "no-such-name-anywhere"'],
    );
  });

  it(
    "reads every page of groups, of an entity's inline and attached policies, and of a policy's versions (moto pages them through moto_iam_ext.py)",
    TEST,
    async () => {
      const group = uniqueName('PagedGroup');
      await admin.send(new CreateGroupCommand({ GroupName: group }));
      for (let i = 0; i < 3; i++) await admin.send(new CreateGroupCommand({ GroupName: `${group}-${i}` }));
      const user = await createUser();
      const inline = Array.from({ length: 7 }, (_, i) => `Inline${i}`);
      for (const name of inline) await admin.send(new PutUserPolicyCommand({ UserName: user.name, PolicyName: name, PolicyDocument: identityPolicy(name) }));
      const attached = await Promise.all(Array.from({ length: 3 }, () => createPolicy()));
      for (const arn of attached) await admin.send(new AttachUserPolicyCommand({ UserName: user.name, PolicyArn: arn }));
      const versioned = await createPolicy(identityPolicy('v1'));
      for (let i = 2; i <= 5; i++)
        await admin.send(new CreatePolicyVersionCommand({ PolicyArn: versioned, PolicyDocument: identityPolicy(`v${i}`), SetAsDefault: false }));

      const { model, log } = explorer(endpoint(), 2);
      const [account] = await model.children();
      model.setFilter(group);
      assert.equal((await model.children(await child(model, account, 'Groups'))).length, 4);
      model.setFilter('');
      const parts = (await model.children(await child(model, await child(model, account, 'Users'), user.name))).map((node) => model.view(node));
      assert.deepEqual(
        parts.filter((view) => view.description === 'inline').map((view) => view.label),
        inline,
      );
      assert.equal(parts.filter((view) => view.contextValue === 'iamPolicy.attachedPolicy').length, 3);
      model.setFilter(versioned.split('/').pop()!);
      const policy = await child(model, await child(model, account, 'Customer managed policies'), versioned.split('/').pop()!);
      assert.deepEqual(
        (await model.children(policy)).map((node) => model.view(node).label),
        ['v5', 'v4', 'v3', 'v2', 'v1'],
      );
      const pages = (operation: string): number => log.records.filter((entry) => entry.operation === operation).length;
      for (const [operation, least] of [
        ['ListGroups', 2],
        ['ListUserPolicies', 4],
        ['ListAttachedUserPolicies', 2],
        ['ListPolicyVersions', 3],
        ['ListPolicies', 2],
      ] as const) {
        assert.ok(pages(operation) >= least, `${operation}: ${pages(operation)} pages of 2`);
      }
    },
  );

  it('AccessDenied on ListRoles shows in the Roles folder; users, groups and policies are still listed', TEST, async () => {
    const user = await createUser();
    proxy!.setFault(
      {
        kind: 'iam-error',
        status: 403,
        code: 'AccessDenied',
        message: 'User: arn:aws:iam::123456789012:user/dev is not authorized to perform: iam:ListRoles on resource: *',
      },
      ['ListRoles'],
    );
    const { model } = explorer(proxy!.endpoint);
    const [account] = await model.children();
    const roles = await model.children(await child(model, account, 'Roles'));
    assert.equal(roles.length, 1);
    assert.equal(model.view(roles[0]).contextValue, 'iamPolicy.error');
    assert.match(model.view(roles[0]).label, /^Could not read IAM: Access denied: the default AWS credentials may not call iam:ListRoles\./);
    assert.ok((await model.children(await child(model, account, 'Users'))).some((node) => model.view(node).label === user.name));
    assert.ok((await model.children(await child(model, account, 'Customer managed policies'))).length > 0);
  });

  it('an entity whose attached policies cannot be read still shows its inline policies', TEST, async () => {
    const user = await createUser();
    await admin.send(new PutUserPolicyCommand({ UserName: user.name, PolicyName: 'Inline', PolicyDocument: identityPolicy('inline') }));
    proxy!.setFault({ kind: 'service-failure' }, ['ListAttachedUserPolicies']);
    const { model } = explorer(proxy!.endpoint);
    const [account] = await model.children();
    const parts = (await model.children(await child(model, await child(model, account, 'Users'), user.name))).map((node) => model.view(node).label);
    assert.equal(parts[0], 'Inline');
    assert.match(parts[1], /^Could not list the attached policies: IAM answered ListAttachedUserPolicies with an internal error/);
  });

  it('no credentials: one node that says so, instead of the account', TEST, async () => {
    const { model } = explorer(`http://127.0.0.1:${moto!.port}`);
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    try {
      const nodes = await model.children();
      assert.equal(nodes.length, 1);
      assert.match(model.view(nodes[0]).label, /^Could not sign in: No AWS credentials found\./);
    } finally {
      process.env.AWS_ACCESS_KEY_ID = saved.id;
      process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    }
  });
});

describe('open, edit, push back (scripted UI, moto)', () => {
  it('an inline policy opens decoded and pretty-printed; edited, it goes back without a question', TEST, async () => {
    const user = await createUser();
    await admin.send(
      new PutUserPolicyCommand({ UserName: user.name, PolicyName: 'ReadReports', PolicyDocument: JSON.stringify(JSON.parse(identityPolicy('a b+c%41é'))) }),
    );
    const memory = new PushMemory(new MapStore());
    const env = testEnv({ endpoint: endpoint() }, memory);
    assert.equal((await openPolicy(env, { type: 'inline-policy', target: user, policyName: 'ReadReports' })).status, 'done');
    const [opened] = env.ui.opened;
    assert.equal(opened.document.fileName, '/work/ReadReports.iam.json');
    assert.equal(opened.document.text, identityPolicy('a b+c%41é') + '\n', 'decoded, two-space indented');
    assert.deepEqual(memory.destination(opened.document.key), {
      type: 'inline-policy',
      kind: 'user',
      name: user.name,
      policyName: 'ReadReports',
      account: ACCOUNT,
    });

    opened.document.text = identityPolicy('edited', 's3:PutObject');
    const back = testEnv({ endpoint: endpoint() }, memory);
    assert.equal((await pushBack(back, opened.document)).status, 'done');
    assert.deepEqual(back.ui.confirms, [], 'IAM had not changed: nothing to ask');
    assert.equal(await storedDocument(admin, user, 'ReadReports'), opened.document.text);
    assert.equal(back.ui.notifications[0].message, `Replaced the inline policy "ReadReports" of the user "${user.name}" in account ${ACCOUNT}.`);

    // Someone changes it in IAM: the next push back shows the diff and asks.
    await admin.send(new PutUserPolicyCommand({ UserName: user.name, PolicyName: 'ReadReports', PolicyDocument: identityPolicy('someone-else') }));
    opened.document.text = identityPolicy('edited-again', 's3:PutObject');
    const raced = testEnv({ endpoint: endpoint() }, memory);
    raced.ui.answerConfirms(false);
    assert.equal((await pushBack(raced, opened.document)).status, 'declined');
    assert.match(raced.ui.diffs[0].left.text, /someone-else/);
    assert.equal(await storedDocument(admin, user, 'ReadReports'), identityPolicy('someone-else'));
  });

  it('opening the same policy again shows the open document, edits kept', TEST, async () => {
    const user = await createUser();
    await admin.send(new PutUserPolicyCommand({ UserName: user.name, PolicyName: 'Twice', PolicyDocument: identityPolicy('twice') }));
    const env = testEnv({ endpoint: endpoint() });
    await openPolicy(env, { type: 'inline-policy', target: user, policyName: 'Twice' });
    env.ui.opened[0].document.text = 'edited';
    await openPolicy(env, { type: 'inline-policy', target: user, policyName: 'Twice' });
    assert.equal(env.ui.opened.length, 1);
    assert.equal(env.ui.opened[0].document.text, 'edited');
  });

  it('Save Policy to File keeps where the document goes: Push Again from the file sends it back', TEST, async () => {
    const user = await createUser();
    await admin.send(new PutUserPolicyCommand({ UserName: user.name, PolicyName: 'Saved', PolicyDocument: identityPolicy('saved') }));
    const memory = new PushMemory(new MapStore());
    const env = testEnv({ endpoint: endpoint() }, memory);
    await openPolicy(env, { type: 'inline-policy', target: user, policyName: 'Saved' });
    const opened = env.ui.opened[0].document;
    env.ui.answerSaves('local/Saved.iam.json');
    const saved = await saveToFile(env, opened);
    assert.equal(saved.status, 'done');
    assert.equal(
      env.ui.notifications[0].message,
      `Saved Saved.iam.json. Push Policy Again from it sends it to the inline policy "Saved" of the user "${user.name}".`,
    );
    const file = editableDocument('file:///work/local/Saved.iam.json', '/work/local/Saved.iam.json', identityPolicy('from-file'));
    assert.equal(memory.destination(opened.key), undefined);
    const back = testEnv({ endpoint: endpoint() }, memory);
    assert.equal((await pushBack(back, file)).status, 'done');
    assert.deepEqual(back.ui.confirms, [], 'the base followed the document to its file');
    assert.equal(await storedDocument(admin, user, 'Saved'), identityPolicy('from-file'));
  });

  it("a role's trust policy opens, and only a trust policy goes back", TEST, async () => {
    const role = await createRole();
    const memory = new PushMemory(new MapStore());
    const env = testEnv({ endpoint: endpoint() }, memory);
    await openPolicy(env, { type: 'trust-policy', roleName: role.name });
    const opened = env.ui.opened[0].document;
    assert.equal(opened.fileName, `/work/${role.name}.trust.iam.json`);
    assert.deepEqual(JSON.parse(opened.text), JSON.parse(EC2_TRUST_POLICY));

    opened.text = identityPolicy('not-a-trust-policy');
    const wrong = testEnv({ endpoint: endpoint() }, memory);
    assert.equal((await pushBack(wrong, opened)).status, 'blocked');
    assert.equal(wrong.connections, 0);
    assert.match(wrong.ui.notifications[0].message, /^Not sent: This document is not a trust policy: it reads as an identity policy/);

    opened.text = EC2_TRUST_POLICY.replace('ec2.amazonaws.com', 'lambda.amazonaws.com');
    const back = testEnv({ endpoint: endpoint() }, memory);
    assert.equal((await pushBack(back, opened)).status, 'done');
    assert.deepEqual(back.ui.confirms, []);
    const stored = (await admin.send(new GetRoleCommand({ RoleName: role.name }))).Role?.AssumeRolePolicyDocument ?? '';
    assert.match(decodeURIComponent(stored), /lambda\.amazonaws\.com/);
  });
});

describe('managed policies (scripted UI, moto)', () => {
  it('creates one from the document (name, path, description), then Push Again sends new versions', TEST, async () => {
    const name = uniqueName('FromEditor');
    const memory = new PushMemory(new MapStore());
    const document = editableDocument('file:///work/reports.iam.json', '/work/reports.iam.json', identityPolicy('first'));
    const env = testEnv({ endpoint: endpoint() }, memory);
    env.ui.answerTexts(name, '/team/', 'Reads the reports');
    const outcome = await createManagedPolicy(env, document);
    assert.equal(outcome.status, 'done', JSON.stringify(env.ui.notifications));
    assert.equal(env.ui.texts[0].value, 'reports', 'the file name is offered');
    const arn = `arn:aws:iam::${ACCOUNT}:policy/team/${name}`;
    assert.equal(
      env.ui.notifications[0].message,
      `Created the managed policy "${name}" (${arn}) in account ${ACCOUNT}. Push Policy Again sends new versions of it.`,
    );
    assert.equal((await admin.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.Description, 'Reads the reports');

    document.text = identityPolicy('second');
    const again = testEnv({ endpoint: endpoint() }, memory);
    assert.equal((await pushBack(again, document)).status, 'done');
    assert.deepEqual(again.ui.confirms, [], 'IAM holds what was created: no question');
    assert.deepEqual(await versionIds(arn), ['v1', 'v2*']);
    assert.equal(again.ui.notifications[0].message, `Pushed v2 of the managed policy "${name}" and made it the default (it was v1) in account ${ACCOUNT}.`);

    // The same name again: IAM's EntityAlreadyExists, said plainly.
    const twice = testEnv({ endpoint: endpoint() });
    twice.ui.answerTexts(name, '/team/', '');
    assert.equal((await createManagedPolicy(twice, document)).status, 'failed');
    assert.match(
      twice.ui.notifications[0].message,
      /^IAM refused: A policy called .* already exists\..* Choose another name, or push the document as a new version of that policy\.$/,
    );
  });

  it('refuses, before asking anything, a document over the 6,144-character quota', TEST, async () => {
    const resources = Array.from({ length: 70 }, (_, i) => `arn:aws:s3:::bucket-${i}-${'x'.repeat(70)}/*`);
    const big = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: resources }] });
    const env = testEnv({ endpoint: endpoint() });
    const outcome = await createManagedPolicy(env, editableDocument('file:///work/big.iam.json', '/work/big.iam.json', big));
    assert.equal(outcome.status, 'blocked');
    assert.equal(env.connections, 0);
    assert.match(
      env.ui.notifications[0].message,
      /^Not sent: Too large for IAM: this policy is 6,\d{3} characters without white space, \d+ over the 6,144 IAM allows for a managed policy\./,
    );
  });

  it('a version pushed to a picked policy: the diff and a question; at five versions, the oldest non-default one is shown and deleted', TEST, async () => {
    const arn = await createPolicy(identityPolicy('v1'));
    for (let i = 2; i <= 5; i++)
      await admin.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: identityPolicy(`v${i}`), SetAsDefault: true }));
    const document = editableDocument('file:///work/next.iam.json', '/work/next.iam.json', identityPolicy('v6'));
    const env = testEnv({ endpoint: endpoint() });
    env.ui.answerPicks({ choose: arn }).answerConfirms(true, true);
    const outcome = await pushPolicyVersion(env, document);
    assert.equal(outcome.status, 'done', JSON.stringify(env.ui.notifications));
    assert.equal(env.ui.picks[0].title, `Push next.iam.json as a new version of a managed policy of account ${ACCOUNT}`);
    const [changeDiff, deleteDiff] = env.ui.diffs;
    assert.match(changeDiff.left.text, /arn:aws:s3:::v5\//, "IAM's default version on the left");
    assert.match(deleteDiff.title, /: v1 \(to delete\) ↔ next\.iam\.json$/);
    assert.match(deleteDiff.left.text, /arn:aws:s3:::v1\//, 'the version to delete is shown');
    assert.match(
      env.ui.confirms[0].message,
      /^Replace the default version \(v5\) of the managed policy "[^"]+" in account \d+ with a new version from the editor\?$/,
    );
    assert.match(
      env.ui.confirms[1].message,
      /has 5 versions, the most IAM keeps\. Replace its oldest version that is not the default, v1, created \d{4}-\d\d-\d\d, with the new one\?$/,
    );
    assert.match(
      env.ui.confirms[1].detail ?? '',
      /^Replace deletes v1 \(left\), then pushes the new version \(right\) as the default\. If IAM then refuses the new version, v1 is put back\.$/,
    );
    // Both beside their diff (not modal over it), answered with the diff's title bar buttons.
    assert.deepEqual(
      env.ui.confirms.map((confirm) => [confirm.button, confirm.aboutDiff]),
      [
        ['Replace', true],
        ['Replace', true],
      ],
    );
    assert.equal(env.ui.closedDiffs, 2);
    assert.deepEqual(await versionIds(arn), ['v2', 'v3', 'v4', 'v5', 'v6*']);
  });

  it('declining the deletion sends nothing', TEST, async () => {
    const arn = await createPolicy(identityPolicy('v1'));
    for (let i = 2; i <= 5; i++)
      await admin.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: identityPolicy(`v${i}`), SetAsDefault: false }));
    const env = testEnv({ endpoint: endpoint() });
    env.ui.answerConfirms(true, false);
    assert.equal((await pushPolicyVersion(env, editableDocument('file:///work/n.iam.json', '/work/n.iam.json', identityPolicy('n')), arn)).status, 'declined');
    assert.deepEqual(writes(env), []);
    assert.deepEqual(await versionIds(arn), ['v1*', 'v2', 'v3', 'v4', 'v5']);
  });

  it('an opened default version edited and pushed back becomes the next default without a question', TEST, async () => {
    const name = uniqueName('Opened');
    const arn = await createPolicy(identityPolicy('v1'), name);
    const memory = new PushMemory(new MapStore());
    const env = testEnv({ endpoint: endpoint() }, memory);
    await openPolicy(env, { type: 'policy-version', policyArn: arn, policyName: name, versionId: 'v1', isDefault: true });
    const opened = env.ui.opened[0].document;
    assert.equal(opened.fileName, `/work/${name}.iam.json`);
    opened.text = identityPolicy('v2');
    const back = testEnv({ endpoint: endpoint() }, memory);
    assert.equal((await pushBack(back, opened)).status, 'done');
    assert.deepEqual(back.ui.confirms, []);
    assert.deepEqual(await versionIds(arn), ['v1', 'v2*']);
  });
});

describe('attach, detach, delete, boundaries (scripted UI, moto)', () => {
  it('Attach Managed Policy… from the palette: kind, entity, policy; the second time nothing is sent', TEST, async () => {
    const group = uniqueName('group');
    await admin.send(new CreateGroupCommand({ GroupName: group }));
    const arn = await createPolicy();
    const env = testEnv({ endpoint: endpoint() });
    env.ui.answerPicks({ choose: 'group' }, { choose: group }, { choose: arn });
    assert.equal((await attachPolicy(env)).status, 'done', JSON.stringify(env.ui.notifications));
    assert.deepEqual(
      env.ui.picks[2].loaded.sections.map((section) => section.heading),
      ['This account', 'AWS managed'],
    );
    const attached = (await admin.send(new ListAttachedGroupPoliciesCommand({ GroupName: group }))).AttachedPolicies ?? [];
    assert.deepEqual(
      attached.map((policy) => policy.PolicyArn),
      [arn],
    );
    assert.equal(env.ui.notifications[0].message, `Attached ${arn} to the group "${group}" in account ${ACCOUNT}.`);

    const again = testEnv({ endpoint: endpoint() });
    again.ui.answerPicks({ choose: arn });
    assert.equal((await attachPolicy(again, { kind: 'group', name: group })).status, 'unchanged');
    assert.equal(again.ui.picks[0].choices.find((choice) => choice.value === arn)?.description, 'attached already');
    assert.deepEqual(writes(again), []);
  });

  it('Detach asks, naming the policy and the entity; no sends nothing', TEST, async () => {
    const user = await createUser();
    await admin.send(new AttachUserPolicyCommand({ UserName: user.name, PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    const no = testEnv({ endpoint: endpoint() });
    no.ui.answerConfirms(false);
    assert.equal((await detachPolicy(no, user, 'arn:aws:iam::aws:policy/ReadOnlyAccess')).status, 'declined');
    assert.equal(no.ui.confirms[0].message, `Detach arn:aws:iam::aws:policy/ReadOnlyAccess from the user "${user.name}" in account ${ACCOUNT}?`);
    assert.deepEqual(writes(no), []);
    const yes = testEnv({ endpoint: endpoint() });
    yes.ui.answerConfirms(true);
    assert.equal((await detachPolicy(yes, user, 'arn:aws:iam::aws:policy/ReadOnlyAccess')).status, 'done');
    assert.deepEqual((await admin.send(new ListAttachedUserPoliciesCommand({ UserName: user.name }))).AttachedPolicies, []);
  });

  it('Delete Inline Policy asks with its name, entity and size, then deletes', TEST, async () => {
    const user = await createUser();
    await admin.send(new PutUserPolicyCommand({ UserName: user.name, PolicyName: 'Old', PolicyDocument: identityPolicy('old') }));
    const env = testEnv({ endpoint: endpoint() });
    env.ui.answerConfirms(true);
    assert.equal((await deleteInlinePolicy(env, user, 'Old')).status, 'done');
    assert.equal(env.ui.confirms[0].message, `Delete the inline policy "Old" of the user "${user.name}" in account ${ACCOUNT}?`);
    assert.match(
      env.ui.confirms[0].detail ?? '',
      /^IAM keeps no copy of a deleted inline policy \(this one is \d+ characters without white space\)\. To keep one, open it and use Save Policy to File… first\.$/,
    );
    assert.deepEqual(await storedNames(user.name), []);
    const gone = testEnv({ endpoint: endpoint() });
    assert.equal((await deleteInlinePolicy(gone, user, 'Old')).status, 'failed');
    assert.equal(gone.ui.confirms.length, 0, 'nothing to ask about');
  });

  it("a role's boundary: set, then removed; a user's removed", TEST, async () => {
    const role = await createRole();
    const arn = await createPolicy();
    const set = testEnv({ endpoint: endpoint() });
    set.ui.answerPicks({ choose: role.name }, { choose: arn }).answerConfirms(true);
    assert.equal((await setRolePermissionsBoundary(set)).status, 'done', JSON.stringify(set.ui.notifications));
    assert.equal(set.ui.picks[1].loaded.placeholder, 'It has no boundary now. Pick a managed policy, or type its ARN');
    assert.equal((await admin.send(new GetRoleCommand({ RoleName: role.name }))).Role?.PermissionsBoundary?.PermissionsBoundaryArn, arn);

    const remove = testEnv({ endpoint: endpoint() });
    remove.ui.answerPicks({ choose: 'role' }, { choose: role.name }).answerConfirms(true);
    assert.equal((await removePermissionsBoundary(remove)).status, 'done');
    assert.equal(remove.ui.confirms[0].message, `Remove the permissions boundary ${arn} from the role "${role.name}" in account ${ACCOUNT}?`);
    assert.equal((await admin.send(new GetRoleCommand({ RoleName: role.name }))).Role?.PermissionsBoundary, undefined);

    const user = await createUser();
    await admin.send(new PutUserPermissionsBoundaryCommand({ UserName: user.name, PermissionsBoundary: arn }));
    const removeUser = testEnv({ endpoint: endpoint() });
    removeUser.ui.answerConfirms(true);
    assert.equal((await removePermissionsBoundary(removeUser, user)).status, 'done');
    assert.equal((await admin.send(new GetUserCommand({ UserName: user.name }))).User?.PermissionsBoundary, undefined);
    const none = testEnv({ endpoint: endpoint() });
    assert.equal((await removePermissionsBoundary(none, user)).status, 'unchanged');
    assert.match(none.ui.notifications[0].message, /has no permissions boundary in account 123456789012\. Nothing was sent\.$/);
  });

  it('Update Trust Policy of IAM Role…: pick the role, the diff, a question, then IAM has it', TEST, async () => {
    const role = await createRole();
    const lambda = EC2_TRUST_POLICY.replace('ec2.amazonaws.com', 'lambda.amazonaws.com');
    const env = testEnv({ endpoint: endpoint() });
    env.ui.answerPicks({ choose: role.name }).answerConfirms(true);
    const outcome = await updateTrustPolicy(env, editableDocument('file:///work/trust.iam.json', '/work/trust.iam.json', lambda));
    assert.equal(outcome.status, 'done', JSON.stringify(env.ui.notifications));
    assert.match(env.ui.diffs[0].left.text, /ec2\.amazonaws\.com/);
    assert.equal(env.ui.confirms[0].message, `Replace the trust policy of the role "${role.name}" in account ${ACCOUNT}?`);
    const stored = (await admin.send(new GetRoleCommand({ RoleName: role.name }))).Role?.AssumeRolePolicyDocument ?? '';
    assert.deepEqual(JSON.parse(decodeURIComponent(stored)), JSON.parse(lambda));
  });
});

async function storedNames(userName: string): Promise<string[]> {
  const { ListUserPoliciesCommand } = await import('@aws-sdk/client-iam');
  return (await admin.send(new ListUserPoliciesCommand({ UserName: userName }))).PolicyNames ?? [];
}

describe("the round trip gets the push commands' guarantees (scripted UI, fault proxy, moto)", () => {
  const slow = { requestTimeoutMs: 30_000, socketTimeoutMs: 30_000 };

  it('Cancel on the progress of a write stops it at once, then reads back and says what IAM holds', TEST, async () => {
    const role = await createRole();
    const lambda = EC2_TRUST_POLICY.replace('ec2.amazonaws.com', 'lambda.amazonaws.com');
    const env = testEnv({ endpoint: proxy!.endpoint }, undefined, slow);
    env.ui.answerConfirms(true).cancelProgress('Replacing the trust policy', 300);
    proxy!.setFault({ kind: 'no-answer' }, ['UpdateAssumeRolePolicy']);
    const started = Date.now();
    const outcome = await updateTrustPolicy(env, editableDocument('file:///work/t.iam.json', '/work/t.iam.json', lambda), role.name);
    assert.ok(Date.now() - started < 5_000, 'not the 30 s timeout');
    assert.equal(outcome.status, 'failed');
    assert.deepEqual(
      env.ui.notifications.map((note) => [note.severity, note.message]),
      [
        [
          'warning',
          `You cancelled UpdateAssumeRolePolicy while it was under way. Read back, the trust policy of the role "${role.name}" is still the one from before: yours was not written. Push again.`,
        ],
      ],
    );
    const stored = (await admin.send(new GetRoleCommand({ RoleName: role.name }))).Role?.AssumeRolePolicyDocument ?? '';
    assert.deepEqual(JSON.parse(decodeURIComponent(stored)), JSON.parse(EC2_TRUST_POLICY));
  });

  it('Cancel while a plan reads sends nothing and shows no error', TEST, async () => {
    const arn = await createPolicy(identityPolicy('v1'));
    const env = testEnv({ endpoint: proxy!.endpoint }, undefined, slow);
    env.ui.cancelProgress('Comparing with the default version', 300);
    proxy!.setFault({ kind: 'no-answer' }, ['GetPolicy']);
    const outcome = await pushPolicyVersion(env, editableDocument('file:///work/c.iam.json', '/work/c.iam.json', identityPolicy('v2')), arn);
    assert.equal(outcome.status, 'cancelled');
    assert.deepEqual(env.ui.notifications, []);
    assert.deepEqual(writes(env), []);
    assert.deepEqual(await versionIds(arn), ['v1*']);
  });

  it('a write whose answer was lost but which IAM holds is told as a warning that says both', TEST, async () => {
    const user = await createUser();
    const arn = await createPolicy();
    const env = testEnv({ endpoint: proxy!.endpoint });
    env.ui.answerPicks({ choose: arn });
    proxy!.setFault({ kind: 'after-forwarding', answer: { kind: 'html-page' } }, ['AttachUserPolicy']);
    assert.equal((await attachPolicy(env, user)).status, 'done');
    assert.equal(env.ui.notifications.length, 1);
    assert.equal(env.ui.notifications[0].severity, 'warning');
    assert.match(
      env.ui.notifications[0].message,
      new RegExp(
        `^The endpoint .* answered AttachUserPolicy with HTTP 200 and an HTML page \\("Sign in to the network"\\), not with IAM's answer\\. Read back, ${arn.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is attached to the user "${user.name}": it was attached\\.$`,
      ),
    );
    const attached = (await admin.send(new ListAttachedUserPoliciesCommand({ UserName: user.name }))).AttachedPolicies ?? [];
    assert.deepEqual(
      attached.map((policy) => policy.PolicyArn),
      [arn],
    );
  });

  it('AWS settings of the workspace that were not allowed: the commands and the view send nothing', TEST, async () => {
    const env = testEnv({ endpoint: endpoint() });
    const declined = { ...env, confirmSettings: async () => false };
    const before = (await admin.send(new ListPolicyVersionsCommand({ PolicyArn: await createPolicy() }))).Versions?.length;
    assert.equal(before, 1);
    assert.equal(
      (await createManagedPolicy(declined, editableDocument('file:///work/d.iam.json', '/work/d.iam.json', identityPolicy('d')))).status,
      'declined',
    );
    assert.equal((await attachPolicy(declined, { kind: 'user', name: 'anyone' })).status, 'declined');
    assert.equal(env.connections, 0);

    let asked = 0;
    const log = new RecordingLog();
    const model = new IamExplorerModel({
      settings: () => ({ endpoint: endpoint() }),
      connect: (settings) => createIamConnection(settings, { log, maxAttempts: 1 }),
      confirmSettings: async () => {
        asked += 1;
        return false;
      },
    });
    const nodes = await model.children();
    assert.deepEqual(
      nodes.map((node) => model.view(node).label),
      [EXPLORER_NOT_ALLOWED],
    );
    await model.children();
    assert.equal(asked, 1, 'asked once, not on every read');
    model.refresh();
    await model.children();
    assert.equal(asked, 2, 'Refresh asks again');
    assert.deepEqual(log.records, []);
  });

  it('in Restricted Mode the view reads nothing and says why', TEST, async () => {
    const log = new RecordingLog();
    const model = new IamExplorerModel({
      settings: () => ({ endpoint: endpoint() }),
      connect: (settings) => createIamConnection(settings, { log, maxAttempts: 1 }),
      isTrusted: () => false,
      confirmSettings: async () => assert.fail('not asked in Restricted Mode'),
    });
    const nodes = await model.children();
    assert.deepEqual(
      nodes.map((node) => model.view(node).label),
      [EXPLORER_RESTRICTED],
    );
    assert.deepEqual(log.records, []);
  });

  it('Refresh cancels the reads under way', TEST, async () => {
    const model = new IamExplorerModel({
      settings: () => ({ endpoint: proxy!.endpoint }),
      connect: (settings) => {
        const connection = createIamConnection(settings, { maxAttempts: 1, requestTimeoutMs: 30_000, socketTimeoutMs: 30_000 });
        connections.push(connection);
        return connection;
      },
    });
    const [account] = await model.children();
    proxy!.setFault({ kind: 'no-answer' }, ['ListUsers']);
    const users = await child(model, account, 'Users');
    const started = Date.now();
    const reading = model.children(users);
    setTimeout(() => model.refresh(), 200);
    const nodes = await reading;
    assert.ok(Date.now() - started < 5_000, 'not the 30 s timeout');
    assert.match(model.view(nodes[0]).label, /^Could not read IAM: ListUsers was cancelled\.$/);
  });
});
