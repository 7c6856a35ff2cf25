/**
 * The IAM layer and the push flows against moto, a real IAM-compatible server: what is written
 * is read back with the test's own SDK client, and every error moto can produce is provoked.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetUserCommand,
  ListUserPoliciesCommand,
  PutUserPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import {
  createIamConnection,
  formatIamCall,
  getCallerIdentity,
  getInlinePolicy,
  getUser,
  listGroups,
  listInlinePolicyNames,
  listManagedPolicies,
  listRoles,
  listUsers,
  putInlinePolicy,
  putUserPermissionsBoundary,
  type EntityRef,
  type IamConnection,
} from '../../client/src/aws';
import { applyInlinePolicyPush, applyPermissionsBoundary, planInlinePolicyPush, planPermissionsBoundary } from '../../client/src/flows';
import { FAKE_ACCESS_KEY_ID, FAKE_SECRET_ACCESS_KEY, isolateAwsEnvironment } from '../support/awsEnvironment';
import { EC2_TRUST_POLICY, RecordingLog, adminClient, identityPolicy, storedDocument, uniqueName, failsWith, SETUP, TEST } from '../support/iamTesting';
import { freePort, startMoto, type MotoServer } from '../support/moto';

const aws = isolateAwsEnvironment();
const ACCOUNT = '123456789012';

let moto: MotoServer | undefined;
let admin: IAMClient;
let connection: IamConnection;
const log = new RecordingLog();

before(async () => {
  moto = await startMoto();
  admin = adminClient(moto.endpoint);
  connection = createIamConnection({ endpoint: moto.endpoint }, { log });
}, SETUP);

after(async () => {
  connection?.dispose();
  admin?.destroy();
  await moto?.stop();
});

async function createUser(name = uniqueName('user'), path?: string): Promise<EntityRef> {
  await admin.send(new CreateUserCommand({ UserName: name, ...(path !== undefined ? { Path: path } : {}) }));
  return { kind: 'user', name };
}
async function createGroup(name = uniqueName('group'), path?: string): Promise<EntityRef> {
  await admin.send(new CreateGroupCommand({ GroupName: name, ...(path !== undefined ? { Path: path } : {}) }));
  return { kind: 'group', name };
}
async function createRole(name = uniqueName('role'), path?: string): Promise<EntityRef> {
  await admin.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: EC2_TRUST_POLICY, ...(path !== undefined ? { Path: path } : {}) }));
  return { kind: 'role', name };
}
const createEntity = { user: createUser, group: createGroup, role: createRole };

/** Runs `action`, which must fail with an IamCallError of `kind`; returns the error. */

async function inlineNamesSeenByMoto(target: EntityRef): Promise<string[]> {
  assert.equal(target.kind, 'user');
  return (await admin.send(new ListUserPoliciesCommand({ UserName: target.name }))).PolicyNames ?? [];
}

describe('connection', () => {
  it('names the account of the credentials', TEST, async () => {
    assert.equal((await getCallerIdentity(connection)).account, ACCOUNT);
  });

  it('uses a profile from the credentials file', TEST, async () => {
    aws.addProfile('moto-dev', { accessKeyId: FAKE_ACCESS_KEY_ID, secretAccessKey: FAKE_SECRET_ACCESS_KEY });
    await aws.withoutEnvironmentKeys(async () => {
      const viaProfile = createIamConnection({ endpoint: moto!.endpoint, profile: 'moto-dev' });
      try {
        assert.equal((await getCallerIdentity(viaProfile)).account, ACCOUNT);
      } finally {
        viaProfile.dispose();
      }
    });
  });

  it('says how to fix a profile that does not exist', TEST, async () => {
    await aws.withoutEnvironmentKeys(async () => {
      const missing = createIamConnection({ endpoint: moto!.endpoint, profile: 'no-such-profile' });
      try {
        const error = await failsWith('credentials-missing', () => listUsers(missing));
        assert.match(error.message, /No AWS credentials for the profile "no-such-profile"/);
        assert.match(error.message, /iamPolicy\.aws\.profile/);
        assert.match(error.message, /aws sso login --profile no-such-profile/);
      } finally {
        missing.dispose();
      }
    });
  });

  it('says how to get credentials when there are none at all', TEST, async () => {
    await aws.withoutEnvironmentKeys(async () => {
      const none = createIamConnection({ endpoint: moto!.endpoint });
      try {
        const error = await failsWith('credentials-missing', () => getCallerIdentity(none));
        assert.match(error.message, /^No AWS credentials found\./);
      } finally {
        none.dispose();
      }
    });
  });

  it('reports a closed port as unreachable, within seconds', TEST, async () => {
    const port = await freePort(); // nothing listens there any more
    const closed = createIamConnection({ endpoint: `http://127.0.0.1:${port}` }, { maxAttempts: 2 });
    const started = Date.now();
    try {
      const error = await failsWith('unreachable', () => listUsers(closed));
      assert.equal(error.problem.code, 'ECONNREFUSED');
      assert.match(error.message, new RegExp(`^Could not reach the endpoint http://127\\.0\\.0\\.1:${port} \\(2 attempts\\): the connection was refused`));
      assert.ok(Date.now() - started < 10_000);
    } finally {
      closed.dispose();
    }
  });
});

describe('inline policies', () => {
  for (const kind of ['user', 'group', 'role'] as const) {
    it(`puts an inline policy on a ${kind} and reads the same text back`, TEST, async () => {
      const target = await createEntity[kind]();
      // Characters IAM's URL encoding must carry: + % space, and U+00E9 (allowed in documents).
      const document = identityPolicy(`bucket-${kind}/a b+c%41é`);
      const receipt = await putInlinePolicy(connection, target, 'Read', document);
      assert.ok(receipt.requestId);
      assert.equal(await storedDocument(admin, target, 'Read'), document);
      const read = await getInlinePolicy(connection, target, 'Read');
      assert.equal(read.document, document);
      assert.deepEqual(await listInlinePolicyNames(connection, target), ['Read']);
    });
  }

  it('overwrites a policy of the same name', TEST, async () => {
    const target = await createRole();
    await putInlinePolicy(connection, target, 'P', identityPolicy('first'));
    await putInlinePolicy(connection, target, 'P', identityPolicy('second'));
    assert.equal(await storedDocument(admin, target, 'P'), identityPolicy('second'));
    assert.deepEqual(await listInlinePolicyNames(connection, target), ['P']);
  });

  it('reports a user, group or role that does not exist', TEST, async () => {
    const error = await failsWith('no-such-entity', () => putInlinePolicy(connection, { kind: 'user', name: 'nobody-here' }, 'P', identityPolicy('x')));
    assert.match(error.message, /^The user with name nobody-here cannot be found\./);
    await failsWith('no-such-entity', () => putInlinePolicy(connection, { kind: 'group', name: 'no-group' }, 'P', identityPolicy('x')));
    await failsWith('no-such-entity', () => putInlinePolicy(connection, { kind: 'role', name: 'no-role' }, 'P', identityPolicy('x')));
    await failsWith('no-such-entity', () => listInlinePolicyNames(connection, { kind: 'role', name: 'no-role' }));
  });

  it('reports an inline policy that does not exist', TEST, async () => {
    const target = await createGroup();
    await failsWith('no-such-entity', () => getInlinePolicy(connection, target, 'Missing'));
  });

  it("passes on IAM's own words for a malformed document, and nothing is stored", TEST, async () => {
    const target = await createUser();
    const noResource = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject' }] });
    const error = await failsWith('malformed-policy', () => putInlinePolicy(connection, target, 'P', noResource));
    assert.equal(error.message, 'IAM rejected the policy document: Policy statement must contain resources.');
    assert.equal(error.problem.code, 'MalformedPolicyDocument');
    assert.deepEqual(await inlineNamesSeenByMoto(target), []);
  });
});

describe('lists', () => {
  it('lists every user with its path (more than one page of IAM)', TEST, async () => {
    const path = `/${uniqueName('many')}/`;
    const created = new Set<string>();
    for (let i = 0; i < 120; i++) created.add((await createUser(uniqueName('u'), path)).name);
    const users = (await listUsers(connection)).filter((user) => user.path === path);
    assert.deepEqual(new Set(users.map((user) => user.name)), created);
    assert.ok(users.every((user) => user.kind === 'user' && user.arn === `arn:aws:iam::${ACCOUNT}:user${path}${user.name}`));
  });

  it('reads roles page by page until the last', TEST, async () => {
    const path = `/${uniqueName('paged')}/`;
    const created = new Set<string>();
    for (let i = 0; i < 23; i++) created.add((await createRole(uniqueName('r'), path)).name);
    log.clear();
    const roles = await listRoles(connection, { pageSize: 5 });
    const pages = log.records.filter((entry) => entry.operation === 'ListRoles');
    assert.ok(pages.length >= 5, `expected at least 5 pages of 5, got ${pages.length}`);
    assert.deepEqual(
      pages.map((entry) => entry.page),
      pages.map((_, index) => index + 1),
    );
    assert.deepEqual(new Set(roles.filter((role) => role.path === path).map((role) => role.name)), created);
    assert.equal(new Set(roles.map((role) => role.name)).size, roles.length, 'no role twice');
  });

  it('lists groups, and the inline policy names of an entity', TEST, async () => {
    const group = await createGroup(uniqueName('g'), '/team/');
    const names = Array.from({ length: 12 }, (_, i) => `Policy${i}`);
    for (const name of names) await putInlinePolicy(connection, group, name, identityPolicy(name));
    assert.deepEqual((await listInlinePolicyNames(connection, group, { pageSize: 5 })).sort(), [...names].sort());
    const listed = (await listGroups(connection)).find((entry) => entry.name === group.name);
    assert.equal(listed?.path, '/team/');
  });

  it('lists managed policies: the account’s first, then every page of AWS’s', TEST, async () => {
    const own = Array.from({ length: 7 }, () => uniqueName('Boundary'));
    for (const name of own) await admin.send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: identityPolicy(name) }));
    log.clear();
    const policies = await listManagedPolicies(connection, { pageSize: 100 });
    const firstAws = policies.findIndex((policy) => policy.scope === 'AWS');
    assert.ok(firstAws > 0);
    assert.ok(policies.slice(0, firstAws).every((policy) => policy.scope === 'Local'));
    assert.ok(policies.slice(firstAws).every((policy) => policy.scope === 'AWS'));
    for (const name of own)
      assert.ok(
        policies.some((policy) => policy.arn === `arn:aws:iam::${ACCOUNT}:policy/${name}`),
        name,
      );
    const powerUser = policies.find((policy) => policy.arn === 'arn:aws:iam::aws:policy/PowerUserAccess');
    assert.ok(powerUser?.isAttachable);
    const awsCount = policies.length - firstAws;
    assert.ok(awsCount > 1_000, `moto loads AWS's managed policies; got ${awsCount}`);
    const pages = log.records.filter((entry) => entry.operation === 'ListPolicies').length;
    assert.ok(pages >= Math.ceil(awsCount / 100) + 1, `expected every page to be read, got ${pages} pages`);
  });

  it('rejects a page size IAM would refuse', TEST, async () => {
    await assert.rejects(() => listUsers(connection, { pageSize: 1_001 }), RangeError);
  });
});

describe('pushing with the flows', () => {
  it('creates, then finds the same policy unchanged, then asks before replacing', TEST, async () => {
    const target = await createRole();
    const first = identityPolicy('flow');
    const plan = await planInlinePolicyPush(connection, { target, policyName: 'Flow', document: first, fileName: 'Flow.iam.json' });
    assert.equal(plan.action, 'create');
    if (plan.action !== 'create') return;
    assert.equal(plan.quota.total, JSON.stringify(JSON.parse(first)).length);
    assert.equal((await applyInlinePolicyPush(connection, plan)).status, 'pushed');
    assert.equal(await storedDocument(admin, target, 'Flow'), first);

    const reformatted = JSON.stringify(JSON.parse(first));
    const again = await planInlinePolicyPush(connection, { target, policyName: 'Flow', document: reformatted });
    assert.equal(again.action, 'unchanged');

    const second = identityPolicy('flow', 's3:PutObject');
    const replace = await planInlinePolicyPush(connection, { target, policyName: 'Flow', document: second });
    assert.equal(replace.action, 'replace');
    if (replace.action !== 'replace') return;
    assert.match(replace.existing, /"Action": "s3:GetObject"/);
    assert.match(replace.proposed, /"Action": "s3:PutObject"/);
    const outcome = await applyInlinePolicyPush(connection, replace);
    assert.deepEqual(outcome.status, 'pushed');
    assert.equal(await storedDocument(admin, target, 'Flow'), second);
  });

  it('writes nothing when IAM changed after the comparison', TEST, async () => {
    const target = await createUser();
    await putInlinePolicy(connection, target, 'P', identityPolicy('v1'));
    const plan = await planInlinePolicyPush(connection, { target, policyName: 'P', document: identityPolicy('mine') });
    assert.equal(plan.action, 'replace');
    if (plan.action !== 'replace') return;
    await admin.send(new PutUserPolicyCommand({ UserName: target.name, PolicyName: 'P', PolicyDocument: identityPolicy('theirs') }));
    const outcome = await applyInlinePolicyPush(connection, plan);
    assert.equal(outcome.status, 'changed-meanwhile');
    assert.equal(await storedDocument(admin, target, 'P'), identityPolicy('theirs'));
  });

  it('does not even ask IAM about a document it would reject', TEST, async () => {
    const target = await createUser();
    log.clear();
    const plan = await planInlinePolicyPush(connection, { target, policyName: 'P', document: '{"Statement": [],}' });
    assert.equal(plan.action, 'blocked');
    if (plan.action !== 'blocked') return;
    assert.deepEqual(
      plan.blockers.map((blocker) => blocker.code),
      ['empty-statement', 'json-trailing-comma'],
    );
    assert.deepEqual(log.records, []);
  });

  it('does not send "Statement": [], which IAM rejects ("Syntax errors in policy.")', TEST, async () => {
    const target = await createUser();
    log.clear();
    const plan = await planInlinePolicyPush(connection, { target, policyName: 'P', document: '{"Version": "2012-10-17", "Statement": []}' });
    assert.equal(plan.action, 'blocked');
    if (plan.action !== 'blocked') return;
    assert.deepEqual(
      plan.blockers.map((blocker) => blocker.code),
      ['empty-statement'],
    );
    assert.deepEqual(log.records, [], 'no request');
  });

  it("blocks a push over the entity's inline quota, counting its other policies", TEST, async () => {
    const target = await createUser();
    const big = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${'b'.repeat(1_400)}/*` }],
    });
    await putInlinePolicy(connection, target, 'Existing', big);
    const plan = await planInlinePolicyPush(connection, {
      target,
      policyName: 'New',
      document: identityPolicy('x'.repeat(600)),
    });
    assert.equal(plan.action, 'blocked');
    if (plan.action !== 'blocked') return;
    assert.equal(plan.blockers[0].code, 'quota');
    assert.match(
      plan.blockers[0].message,
      /^Too large for IAM: this policy is 723 characters without white space and the other inline policy of the user "[^"]+" takes 1,510, 2,233 in all, 185 over the 2,048/,
    );
    assert.deepEqual(await inlineNamesSeenByMoto(target), ['Existing']);
  });

  it('fails the plan for a role that does not exist', TEST, async () => {
    await failsWith('no-such-entity', () =>
      planInlinePolicyPush(connection, { target: { kind: 'role', name: 'gone' }, policyName: 'P', document: identityPolicy('x') }),
    );
  });
});

describe('permissions boundary', () => {
  it('sets a boundary, reads it back, and finds it unchanged the second time', TEST, async () => {
    const user = await createUser();
    const boundary = uniqueName('Boundary');
    const arn = (await admin.send(new CreatePolicyCommand({ PolicyName: boundary, PolicyDocument: identityPolicy(boundary) }))).Policy?.Arn ?? '';
    assert.equal((await getUser(connection, user.name)).permissionsBoundaryArn, undefined);

    const plan = await planPermissionsBoundary(connection, { userName: user.name, policyArn: arn });
    assert.deepEqual(plan, { action: 'set', request: { userName: user.name, policyArn: arn } });
    if (plan.action !== 'set') return;
    await applyPermissionsBoundary(connection, plan);

    const stored = (await admin.send(new GetUserCommand({ UserName: user.name }))).User?.PermissionsBoundary;
    assert.deepEqual(stored, { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: arn });
    assert.equal((await getUser(connection, user.name)).permissionsBoundaryArn, arn);
    assert.equal((await planPermissionsBoundary(connection, { userName: user.name, policyArn: arn })).action, 'unchanged');

    const replacing = await planPermissionsBoundary(connection, { userName: user.name, policyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' });
    assert.equal(replacing.action === 'set' ? replacing.currentArn : undefined, arn);
  });

  it('blocks a user name over 64 characters and an ARN that is not a policy, without a request', TEST, async () => {
    log.clear();
    const plan = await planPermissionsBoundary(connection, { userName: 'u'.repeat(65), policyArn: 'arn:aws:iam::123456789012:role/x' });
    assert.equal(plan.action, 'blocked');
    if (plan.action !== 'blocked') return;
    assert.deepEqual(
      plan.blockers.map((blocker) => blocker.code),
      ['user-name', 'boundary-arn'],
    );
    assert.deepEqual(log.records, []);
  });

  it('reports what IAM refuses: no such user or policy, an invalid ARN, a service-role policy', TEST, async () => {
    const user = await createUser();
    await failsWith('no-such-entity', () => putUserPermissionsBoundary(connection, 'nobody', 'arn:aws:iam::aws:policy/PowerUserAccess'));
    const missing = await failsWith('no-such-entity', () => putUserPermissionsBoundary(connection, user.name, `arn:aws:iam::${ACCOUNT}:policy/NoSuchPolicy`));
    assert.match(missing.message, /does not exist or is not attachable/);
    const invalid = await failsWith('invalid-input', () => putUserPermissionsBoundary(connection, user.name, 'arn:aws:s3:::bucket/key/x/y'));
    assert.match(invalid.message, /^IAM rejected the input of PutUserPermissionsBoundary: ARN arn:aws:s3:::bucket\/key\/x\/y is not valid\./);
    const serviceRole = await failsWith('policy-not-attachable', () =>
      putUserPermissionsBoundary(connection, user.name, 'arn:aws:iam::aws:policy/aws-service-role/AWSSupportServiceRolePolicy'),
    );
    assert.match(serviceRole.message, /^This managed policy cannot be used here/);
    assert.equal((await getUser(connection, user.name)).permissionsBoundaryArn, undefined);
  });

  it('leaves managed policies attached to the user alone', TEST, async () => {
    const user = await createUser();
    await admin.send(new AttachUserPolicyCommand({ UserName: user.name, PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    await putUserPermissionsBoundary(connection, user.name, 'arn:aws:iam::aws:policy/PowerUserAccess');
    assert.equal((await getUser(connection, user.name)).permissionsBoundaryArn, 'arn:aws:iam::aws:policy/PowerUserAccess');
  });
});

describe('call log', () => {
  it('records operation, target, policy, result and request id, never the policy text or credentials', TEST, async () => {
    const target = await createUser();
    const secretMarker = uniqueName('confidential-bucket-name');
    log.clear();
    await putInlinePolicy(connection, target, 'Logged', identityPolicy(secretMarker));
    await getInlinePolicy(connection, target, 'Logged');
    await failsWith('no-such-entity', () => putInlinePolicy(connection, { kind: 'role', name: 'absent-role' }, 'Logged', identityPolicy(secretMarker)));

    const [put, get, failed] = log.records;
    assert.deepEqual(
      { operation: put.operation, target: put.target, policyName: put.policyName, result: put.result, attempts: put.attempts },
      { operation: 'PutUserPolicy', target, policyName: 'Logged', result: 'ok', attempts: 1 },
    );
    assert.match(put.requestId ?? '', /^\w{10,}$/);
    assert.equal(get.operation, 'GetUserPolicy');
    assert.deepEqual(
      { operation: failed.operation, result: failed.result, errorCode: failed.errorCode },
      { operation: 'PutRolePolicy', result: 'error', errorCode: 'NoSuchEntity' },
    );
    assert.ok(failed.requestId, 'a failed call still has its request id');

    const everything = JSON.stringify(log.records) + log.records.map(formatIamCall).join('\n');
    for (const forbidden of [secretMarker, 's3:GetObject', '"Statement"', FAKE_ACCESS_KEY_ID, FAKE_SECRET_ACCESS_KEY]) {
      assert.equal(everything.includes(forbidden), false, `the log contains ${forbidden}`);
    }
  });
});
