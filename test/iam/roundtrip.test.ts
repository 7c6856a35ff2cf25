/**
 * The IAM calls and flows of the round trip (managed policies and their versions, attaching,
 * detaching, deleting inline policies, trust policies, boundaries) against moto: every call,
 * and every error IAM documents for it that moto can be made to give. What is written is read
 * back with the test's own client.
 *
 * moto lacks some of IAM's behaviour; test/support/moto_iam_ext.py adds it, and the tests that
 * rely on it say so: DeleteUserPermissionsBoundary, the checks of PutRolePermissionsBoundary,
 * PolicyNotAttachable for AWS service-role policies, and UnmodifiableEntity for service-linked
 * roles. Failures moto cannot give at all (a 500, a reset) come from the fault proxy.
 */
import * as assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  CreateServiceLinkedRoleCommand,
  CreateUserCommand,
  GetPolicyCommand,
  GetRoleCommand,
  GetUserCommand,
  ListAttachedUserPoliciesCommand,
  ListPolicyVersionsCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  PutUserPermissionsBoundaryCommand,
  UpdateAssumeRolePolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import {
  attachManagedPolicy,
  createIamConnection,
  createManagedPolicy,
  createPolicyVersion,
  deleteInlinePolicy,
  deletePermissionsBoundary,
  deletePolicyVersion,
  detachManagedPolicy,
  getManagedPolicy,
  getPermissionsBoundary,
  getPolicyVersion,
  getRole,
  listAttachedPolicies,
  listInlinePolicyNames,
  listPolicyVersions,
  putInlinePolicy,
  putRolePermissionsBoundary,
  updateTrustPolicy,
  type EntityRef,
  type IamConnection,
} from '../../client/src/aws';
import {
  applyAttach,
  applyDeleteInline,
  applyDetach,
  applyPolicyVersion,
  applyRemoveBoundary,
  applyRoleBoundary,
  applyTrustPolicyUpdate,
  createPolicyFromDocument,
  planAttach,
  planDeleteInline,
  planPolicyVersion,
  planRemoveBoundary,
  planTrustPolicyUpdate,
  samePolicy,
} from '../../client/src/flows';
import { MANAGED_POLICY_MAX_LENGTH } from 'iam-policy-engine';
import { isolateAwsEnvironment } from '../support/awsEnvironment';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import { EC2_TRUST_POLICY, RecordingLog, adminClient, failsWith, identityPolicy, uniqueName, SETUP, TEST } from '../support/iamTesting';
import { startMoto, type MotoServer } from '../support/moto';

isolateAwsEnvironment();
const ACCOUNT = '123456789012';

let moto: MotoServer | undefined;
let proxy: FaultProxy | undefined;
let admin: IAMClient;
let connection: IamConnection;
const log = new RecordingLog();
const extra: IamConnection[] = [];

before(async () => {
  moto = await startMoto();
  proxy = await startFaultProxy(moto.endpoint);
  admin = adminClient(moto.endpoint);
  connection = createIamConnection({ endpoint: moto.endpoint }, { log });
}, SETUP);

afterEach(() => proxy?.setFault(undefined));

after(async () => {
  connection?.dispose();
  for (const other of extra) other.dispose();
  admin?.destroy();
  await proxy?.close();
  await moto?.stop();
});

function throughProxy(): IamConnection {
  const other = createIamConnection({ endpoint: proxy!.endpoint }, { log, maxAttempts: 1, requestTimeoutMs: 1_000 });
  extra.push(other);
  return other;
}

async function createUser(): Promise<EntityRef & { kind: 'user' }> {
  const name = uniqueName('user');
  await admin.send(new CreateUserCommand({ UserName: name }));
  return { kind: 'user', name };
}
async function createRole(): Promise<EntityRef & { kind: 'role' }> {
  const name = uniqueName('role');
  await admin.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: EC2_TRUST_POLICY }));
  return { kind: 'role', name };
}
async function createPolicy(document = identityPolicy('managed')): Promise<string> {
  const created = await admin.send(new CreatePolicyCommand({ PolicyName: uniqueName('Managed'), PolicyDocument: document }));
  return created.Policy?.Arn ?? '';
}
async function serviceLinkedRole(): Promise<EntityRef & { kind: 'role' }> {
  // A fresh service name each time: moto names the role after it.
  const suffix = uniqueName('s').replace(/[^A-Za-z0-9]/g, '');
  const created = await admin.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'elasticbeanstalk.amazonaws.com', CustomSuffix: suffix }));
  return { kind: 'role', name: created.Role?.RoleName ?? '' };
}
async function versionsSeenByMoto(policyArn: string): Promise<{ id: string; isDefault: boolean }[]> {
  const versions = (await admin.send(new ListPolicyVersionsCommand({ PolicyArn: policyArn }))).Versions ?? [];
  return versions.map((version) => ({ id: version.VersionId ?? '', isDefault: version.IsDefaultVersion === true })).sort((a, b) => a.id.localeCompare(b.id));
}

const TRUST_LAMBDA = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

describe('managed policies', () => {
  it('CreatePolicy with a path and a description; GetPolicy and GetPolicyVersion read it back decoded', TEST, async () => {
    const name = uniqueName('Created');
    const document = identityPolicy('created/a b+c%41é');
    const created = await createManagedPolicy(connection, { policyName: name, path: '/team/', description: 'Reads reports', document });
    assert.equal(created.arn, `arn:aws:iam::${ACCOUNT}:policy/team/${name}`);
    assert.equal(created.defaultVersionId, 'v1');
    assert.ok(created.requestId);
    const stored = (await admin.send(new GetPolicyCommand({ PolicyArn: created.arn }))).Policy;
    assert.equal(stored?.Description, 'Reads reports');
    assert.equal(stored?.Path, '/team/');
    const details = await getManagedPolicy(connection, created.arn);
    assert.deepEqual(
      { name: details.name, scope: details.scope, defaultVersionId: details.defaultVersionId },
      { name, scope: 'Local', defaultVersionId: 'v1' },
    );
    assert.equal((await getPolicyVersion(connection, created.arn, 'v1')).document, document);
  });

  it('EntityAlreadyExists for a name the account has; MalformedPolicyDocument with nothing created', TEST, async () => {
    const name = uniqueName('Twice');
    await createManagedPolicy(connection, { policyName: name, path: '/', document: identityPolicy('one') });
    const twice = await failsWith('entity-already-exists', () =>
      createManagedPolicy(connection, { policyName: name, path: '/', document: identityPolicy('two') }),
    );
    assert.match(
      twice.message,
      new RegExp(`^IAM refused: A policy called ${name} already exists\\. .*Choose another name, or push the document as a new version of that policy\\.$`),
    );
    assert.equal(twice.problem.code, 'EntityAlreadyExists');

    const noResource = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject' }] });
    const other = uniqueName('Malformed');
    const malformed = await failsWith('malformed-policy', () => createManagedPolicy(connection, { policyName: other, path: '/', document: noResource }));
    assert.equal(malformed.message, 'IAM rejected the policy document: Policy statement must contain resources.');
    await failsWith('no-such-entity', () => getManagedPolicy(connection, `arn:aws:iam::${ACCOUNT}:policy/${other}`));
  });

  it('CreatePolicyVersion as the default; ListPolicyVersions newest first; DeletePolicyVersion', TEST, async () => {
    const arn = await createPolicy(identityPolicy('v1'));
    const v2 = await createPolicyVersion(connection, arn, identityPolicy('v2'), true);
    assert.deepEqual({ versionId: v2.versionId, isDefault: v2.isDefault }, { versionId: 'v2', isDefault: true });
    await createPolicyVersion(connection, arn, identityPolicy('v3'), false);
    const versions = await listPolicyVersions(connection, arn);
    assert.deepEqual(
      versions.map((version) => [version.versionId, version.isDefault]),
      [
        ['v3', false],
        ['v2', true],
        ['v1', false],
      ],
    );
    assert.match((await getPolicyVersion(connection, arn, 'v2')).document, /arn:aws:s3:::v2\//);
    await deletePolicyVersion(connection, arn, 'v1');
    assert.deepEqual(await versionsSeenByMoto(arn), [
      { id: 'v2', isDefault: true },
      { id: 'v3', isDefault: false },
    ]);
  });

  it('LimitExceeded on the sixth version; DeleteConflict for the default; NoSuchEntity for a policy or version that is not there', TEST, async () => {
    const arn = await createPolicy(identityPolicy('v1'));
    for (let i = 2; i <= 5; i++) await createPolicyVersion(connection, arn, identityPolicy(`v${i}`), false);
    const sixth = await failsWith('limit-exceeded', () => createPolicyVersion(connection, arn, identityPolicy('v6'), true));
    assert.match(sixth.message, /^IAM refused: a quota is exceeded\. A managed policy can have up to 5 versions\./);
    assert.doesNotMatch(sixth.message, /inline policies/, 'no advice about inline policies for a managed one');
    assert.equal((await versionsSeenByMoto(arn)).length, 5);

    const conflict = await failsWith('delete-conflict', () => deletePolicyVersion(connection, arn, 'v1'));
    assert.match(
      conflict.message,
      /^IAM refused: Cannot delete the default version of a policy\. A policy's default version cannot be deleted: make another version the default first\.$/,
    );
    const missing = `arn:aws:iam::${ACCOUNT}:policy/${uniqueName('Missing')}`;
    await failsWith('no-such-entity', () => createPolicyVersion(connection, missing, identityPolicy('x'), true));
    await failsWith('no-such-entity', () => listPolicyVersions(connection, missing));
    await failsWith('no-such-entity', () => getPolicyVersion(connection, arn, 'v9'));
    await failsWith('no-such-entity', () => deletePolicyVersion(connection, arn, 'v9'));
  });

  it('MalformedPolicyDocument for a new version leaves the versions as they were', TEST, async () => {
    const arn = await createPolicy();
    const error = await failsWith('malformed-policy', () =>
      createPolicyVersion(connection, arn, '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject"}]}', true),
    );
    assert.match(error.message, /Policy statement must contain resources/);
    assert.deepEqual(await versionsSeenByMoto(arn), [{ id: 'v1', isDefault: true }]);
  });
});

describe('attaching and detaching', () => {
  it('attaches to a user, a group and a role, lists them (every page), and detaches', TEST, async () => {
    const user = await createUser();
    const arns = await Promise.all(Array.from({ length: 7 }, () => createPolicy()));
    for (const arn of arns) await attachManagedPolicy(connection, user, arn);
    log.clear();
    const attached = await listAttachedPolicies(connection, user, { pageSize: 3 });
    assert.deepEqual(new Set(attached.map((policy) => policy.arn)), new Set(arns));
    assert.ok(log.records.filter((entry) => entry.operation === 'ListAttachedUserPolicies').length >= 3, 'three pages at least');
    await detachManagedPolicy(connection, user, arns[0]);
    const seen = (await admin.send(new ListAttachedUserPoliciesCommand({ UserName: user.name }))).AttachedPolicies ?? [];
    assert.equal(seen.length, 6);
    assert.ok(!seen.some((policy) => policy.PolicyArn === arns[0]));

    const role = await createRole();
    await attachManagedPolicy(connection, role, 'arn:aws:iam::aws:policy/ReadOnlyAccess');
    assert.deepEqual(await listAttachedPolicies(connection, role), [{ name: 'ReadOnlyAccess', arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }]);
    await detachManagedPolicy(connection, role, 'arn:aws:iam::aws:policy/ReadOnlyAccess');
    assert.deepEqual(await listAttachedPolicies(connection, role), []);
  });

  it('NoSuchEntity: an entity or policy that is not there, detaching what is not attached', TEST, async () => {
    const user = await createUser();
    await failsWith('no-such-entity', () => attachManagedPolicy(connection, { kind: 'user', name: 'nobody' }, 'arn:aws:iam::aws:policy/ReadOnlyAccess'));
    await failsWith('no-such-entity', () => attachManagedPolicy(connection, user, `arn:aws:iam::${ACCOUNT}:policy/NoSuchPolicy`));
    await failsWith('no-such-entity', () => detachManagedPolicy(connection, user, 'arn:aws:iam::aws:policy/ReadOnlyAccess'));
    await failsWith('no-such-entity', () => listAttachedPolicies(connection, { kind: 'group', name: 'no-group' }));
  });

  it('PolicyNotAttachable: an AWS service-role policy (added to moto by moto_iam_ext.py)', TEST, async () => {
    const role = await createRole();
    const error = await failsWith('policy-not-attachable', () =>
      attachManagedPolicy(connection, role, 'arn:aws:iam::aws:policy/aws-service-role/AWSSupportServiceRolePolicy'),
    );
    assert.match(error.message, /^This managed policy cannot be used here: Cannot attach a Service Role Policy to a Customer Role\./);
    assert.deepEqual(await listAttachedPolicies(connection, role), []);
  });

  it('the flows: attaching twice changes nothing the second time', TEST, async () => {
    const user = await createUser();
    const arn = await createPolicy();
    const request = { target: user, policyArn: arn };
    assert.deepEqual(await planAttach(connection, request), { action: 'change' });
    assert.equal((await applyAttach(connection, request)).message, `Attached ${arn} to the user "${user.name}".`);
    assert.deepEqual(await planAttach(connection, request), { action: 'unchanged', message: `${arn} is already attached to the user "${user.name}".` });
    const blocked = await planAttach(connection, { target: { kind: 'user', name: 'u'.repeat(65) }, policyArn: 'arn:aws:iam::123456789012:role/x' });
    assert.equal(blocked.action, 'blocked');
    assert.deepEqual(blocked.action === 'blocked' ? blocked.blockers.map((blocker) => blocker.code) : [], ['target-name', 'policy-arn']);
  });
});

describe('inline policies: deleting', () => {
  it('deletes the inline policy of a user, group or role; NoSuchEntity for one that is not there', TEST, async () => {
    const user = await createUser();
    await putInlinePolicy(connection, user, 'Keep', identityPolicy('keep'));
    await putInlinePolicy(connection, user, 'Drop', identityPolicy('drop'));
    const plan = await planDeleteInline(connection, { target: user, policyName: 'Drop' });
    assert.equal(plan.action === 'change' ? plan.document : '', identityPolicy('drop'));
    await applyDeleteInline(connection, { target: user, policyName: 'Drop' });
    assert.deepEqual(await listInlinePolicyNames(connection, user), ['Keep']);
    await failsWith('no-such-entity', () => deleteInlinePolicy(connection, user, 'Drop'));
    await failsWith('no-such-entity', () => planDeleteInline(connection, { target: user, policyName: 'Drop' }));
    const role = await createRole();
    await putInlinePolicy(connection, role, 'R', identityPolicy('r'));
    await deleteInlinePolicy(connection, role, 'R');
    assert.deepEqual(await listInlinePolicyNames(connection, role), []);
  });
});

describe('trust policies', () => {
  it('GetRole gives the trust policy decoded; UpdateAssumeRolePolicy replaces it', TEST, async () => {
    const role = await createRole();
    assert.deepEqual(JSON.parse((await getRole(connection, role.name)).trustPolicy), JSON.parse(EC2_TRUST_POLICY));
    await updateTrustPolicy(connection, role.name, TRUST_LAMBDA);
    const stored = (await admin.send(new GetRoleCommand({ RoleName: role.name }))).Role?.AssumeRolePolicyDocument ?? '';
    assert.deepEqual(JSON.parse(decodeURIComponent(stored)), JSON.parse(TRUST_LAMBDA));
  });

  it('MalformedPolicyDocument for a trust policy with a Resource; NoSuchEntity for a role that is not there', TEST, async () => {
    const role = await createRole();
    const withResource = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole', Resource: '*' }],
    });
    const error = await failsWith('malformed-policy', () => updateTrustPolicy(connection, role.name, withResource));
    assert.match(error.message, /^IAM rejected the policy document: Has prohibited field Resource/);
    await failsWith('no-such-entity', () => updateTrustPolicy(connection, 'no-such-role', TRUST_LAMBDA));
    await failsWith('no-such-entity', () => getRole(connection, 'no-such-role'));
  });

  it('the flow refuses what the engine does not take for a trust policy, before any request', TEST, async () => {
    const role = await createRole();
    log.clear();
    const plan = await planTrustPolicyUpdate(connection, { roleName: role.name, document: identityPolicy('not-trust') });
    assert.equal(plan.action, 'blocked');
    assert.match(plan.action === 'blocked' ? plan.blockers[0].message : '', /^This document is not a trust policy: it reads as an identity policy/);
    // Only the engine's kind `trust`: a bucket policy (a Principal, but S3 actions on a bucket) is not one,
    // nor a trust policy's text in a file named as a service control policy.
    const bucket = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports/*' }],
    });
    const asBucket = await planTrustPolicyUpdate(connection, { roleName: role.name, document: bucket });
    assert.match(
      asBucket.action === 'blocked' ? asBucket.blockers[0].message : asBucket.action,
      /^This document is not a trust policy: it reads as an S3 bucket policy\./,
    );
    const named = await planTrustPolicyUpdate(connection, { roleName: role.name, document: TRUST_LAMBDA, fileName: '/work/lambda.scp.json' });
    assert.match(
      named.action === 'blocked' ? named.blockers[0].message : named.action,
      /^This document is not a trust policy: its file name makes it a service control policy\./,
    );
    const trust = await planTrustPolicyUpdate(connection, { roleName: role.name, document: TRUST_LAMBDA, fileName: '/work/lambda.trust.json' });
    assert.equal(trust.action, 'replace', 'a trust policy named as one goes on to the comparison');
    assert.deepEqual(
      log.records.map((record) => record.operation),
      ['GetRole'],
    );
  });

  it('the flow: unchanged, replace, and nothing written when IAM changed after the comparison', TEST, async () => {
    const role = await createRole();
    assert.equal((await planTrustPolicyUpdate(connection, { roleName: role.name, document: EC2_TRUST_POLICY })).action, 'unchanged');
    const plan = await planTrustPolicyUpdate(connection, { roleName: role.name, document: TRUST_LAMBDA });
    assert.equal(plan.action, 'replace');
    if (plan.action !== 'replace') return;
    await admin.send(new UpdateAssumeRolePolicyCommand({ RoleName: role.name, PolicyDocument: TRUST_LAMBDA.replace('lambda', 'ecs-tasks') }));
    assert.equal((await applyTrustPolicyUpdate(connection, plan)).status, 'changed-meanwhile');
    const again = await planTrustPolicyUpdate(connection, { roleName: role.name, document: TRUST_LAMBDA });
    assert.equal(again.action === 'replace' ? (await applyTrustPolicyUpdate(connection, again)).status : again.action, 'updated');
    assert.match((await getRole(connection, role.name)).trustPolicy, /lambda\.amazonaws\.com/);
  });
});

describe('permissions boundaries', () => {
  it("sets a role's boundary and removes it; NoSuchEntity and PolicyNotAttachable as for users (checks added to moto by moto_iam_ext.py)", TEST, async () => {
    const role = await createRole();
    const arn = await createPolicy();
    await putRolePermissionsBoundary(connection, role.name, arn);
    assert.equal((await admin.send(new GetRoleCommand({ RoleName: role.name }))).Role?.PermissionsBoundary?.PermissionsBoundaryArn, arn);
    assert.equal(await getPermissionsBoundary(connection, role), arn);
    await deletePermissionsBoundary(connection, role);
    assert.equal((await admin.send(new GetRoleCommand({ RoleName: role.name }))).Role?.PermissionsBoundary, undefined);

    await failsWith('no-such-entity', () => putRolePermissionsBoundary(connection, role.name, `arn:aws:iam::${ACCOUNT}:policy/NoSuchPolicy`));
    await failsWith('no-such-entity', () => putRolePermissionsBoundary(connection, 'no-such-role', arn));
    await failsWith('policy-not-attachable', () =>
      putRolePermissionsBoundary(connection, role.name, 'arn:aws:iam::aws:policy/aws-service-role/AWSSupportServiceRolePolicy'),
    );
    await failsWith('no-such-entity', () => deletePermissionsBoundary(connection, { kind: 'role', name: 'no-such-role' }));
  });

  it("removes a user's boundary: DeleteUserPermissionsBoundary (added to moto by moto_iam_ext.py)", TEST, async () => {
    const user = await createUser();
    await admin.send(new PutUserPermissionsBoundaryCommand({ UserName: user.name, PermissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess' }));
    const plan = await planRemoveBoundary(connection, user);
    assert.deepEqual(plan, { action: 'change', currentArn: 'arn:aws:iam::aws:policy/PowerUserAccess' });
    await applyRemoveBoundary(connection, user, 'arn:aws:iam::aws:policy/PowerUserAccess');
    assert.equal((await admin.send(new GetUserCommand({ UserName: user.name }))).User?.PermissionsBoundary, undefined);
    assert.deepEqual(await planRemoveBoundary(connection, user), { action: 'unchanged', message: `The user "${user.name}" has no permissions boundary.` });
    await failsWith('no-such-entity', () => deletePermissionsBoundary(connection, { kind: 'user', name: 'nobody-here' }));
  });
});

describe('service-linked roles (UnmodifiableEntity, added to moto by moto_iam_ext.py)', () => {
  it('refuses every change: inline policies, attachments, the trust policy, the boundary', TEST, async () => {
    const role = await serviceLinkedRole();
    const arn = await createPolicy();
    const refusals = [
      () => putInlinePolicy(connection, role, 'P', identityPolicy('p')),
      () => deleteInlinePolicy(connection, role, 'P'),
      () => attachManagedPolicy(connection, role, arn),
      () => detachManagedPolicy(connection, role, arn),
      () => updateTrustPolicy(connection, role.name, TRUST_LAMBDA),
      () => putRolePermissionsBoundary(connection, role.name, arn),
      () => deletePermissionsBoundary(connection, role),
    ];
    for (const refused of refusals) {
      const error = await failsWith('unmodifiable-entity', refused);
      assert.equal(error.message, `The role "${role.name}" is a service-linked role: only the AWS service that owns it can change its policies.`);
      assert.match(error.problem.detail ?? '', /only modifiable by AWS/);
    }
    const stored = (await admin.send(new GetRoleCommand({ RoleName: role.name }))).Role;
    assert.match(decodeURIComponent(stored?.AssumeRolePolicyDocument ?? ''), /elasticbeanstalk\.amazonaws\.com/);
    assert.equal(stored?.PermissionsBoundary, undefined);
    assert.deepEqual(await listAttachedPolicies(connection, role), []);
  });
});

describe('pushing a new version (flows)', () => {
  it('unchanged when the default is the same policy; otherwise a new default version', TEST, async () => {
    const arn = await createPolicy(identityPolicy('one'));
    const same = await planPolicyVersion(connection, { policyArn: arn, document: JSON.stringify(JSON.parse(identityPolicy('one'))) });
    assert.equal(same.action, 'unchanged');
    const plan = await planPolicyVersion(connection, { policyArn: arn, document: identityPolicy('two') });
    assert.equal(plan.action, 'push');
    if (plan.action !== 'push') return;
    assert.equal(plan.deleteFirst, undefined);
    assert.equal(plan.changedSinceOpened, undefined);
    const outcome = await applyPolicyVersion(connection, plan);
    assert.deepEqual(outcome.status === 'pushed' ? [outcome.versionId, outcome.deleted] : outcome, ['v2', undefined]);
    assert.deepEqual(await versionsSeenByMoto(arn), [
      { id: 'v1', isDefault: false },
      { id: 'v2', isDefault: true },
    ]);
  });

  it('at five versions: names the oldest non-default one, deletes it, pushes the new default', TEST, async () => {
    const arn = await createPolicy(identityPolicy('v1'));
    for (let i = 2; i <= 5; i++)
      await admin.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: identityPolicy(`v${i}`), SetAsDefault: i === 2 }));
    // v2 is the default; v1 is the oldest of the others.
    const plan = await planPolicyVersion(connection, { policyArn: arn, document: identityPolicy('v6') });
    assert.equal(plan.action, 'push');
    if (plan.action !== 'push') return;
    assert.equal(plan.deleteFirst?.versionId, 'v1');
    assert.match(plan.deleteFirst?.document ?? '', /arn:aws:s3:::v1\//);
    const outcome = await applyPolicyVersion(connection, plan);
    assert.equal(
      outcome.status === 'pushed' ? outcome.message : '',
      `Pushed v6 of the managed policy "${arn.split('/').pop()}" and made it the default (it was v2); deleted v1 to make room.`,
    );
    assert.deepEqual(
      (await versionsSeenByMoto(arn)).map((version) => `${version.id}${version.isDefault ? '*' : ''}`),
      ['v2', 'v3', 'v4', 'v5', 'v6*'],
    );
  });

  it('puts the deleted version back when IAM refuses the new one after it made room', TEST, async () => {
    const arn = await createPolicy(identityPolicy('v1'));
    for (let i = 2; i <= 5; i++)
      await admin.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: identityPolicy(`v${i}`), SetAsDefault: false }));
    const through = throughProxy();
    const plan = await planPolicyVersion(through, { policyArn: arn, document: identityPolicy('v6') });
    assert.equal(plan.action === 'push' ? plan.deleteFirst?.versionId : plan.action, 'v2');
    if (plan.action !== 'push') return;
    proxy!.setFault({ kind: 'iam-error', status: 400, code: 'MalformedPolicyDocument', message: 'Syntax errors in policy.' }, ['CreatePolicyVersion'], 1);
    const error = await failsWith('malformed-policy', () => applyPolicyVersion(through, plan));
    assert.match(
      error.message,
      /^IAM rejected the policy document: Syntax errors in policy\. The version v2, deleted to make room, was put back as v6 \(not the default\)\.$/,
    );
    const versions = await versionsSeenByMoto(arn);
    assert.deepEqual(
      versions.map((version) => `${version.id}${version.isDefault ? '*' : ''}`),
      ['v1*', 'v3', 'v4', 'v5', 'v6'],
    );
    assert.match((await getPolicyVersion(connection, arn, 'v6')).document, /arn:aws:s3:::v2\//, 'the text of v2, kept');
  });

  it('writes nothing when the versions changed after the comparison', TEST, async () => {
    const arn = await createPolicy(identityPolicy('v1'));
    const plan = await planPolicyVersion(connection, { policyArn: arn, document: identityPolicy('mine'), base: identityPolicy('v1') });
    assert.equal(plan.action === 'push' ? plan.changedSinceOpened : plan.action, false);
    if (plan.action !== 'push') return;
    await admin.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: identityPolicy('theirs'), SetAsDefault: true }));
    assert.equal((await applyPolicyVersion(connection, plan)).status, 'changed-meanwhile');
    assert.deepEqual(
      (await versionsSeenByMoto(arn)).map((version) => version.id),
      ['v1', 'v2'],
    );
    const again = await planPolicyVersion(connection, { policyArn: arn, document: identityPolicy('mine'), base: identityPolicy('v1') });
    assert.equal(again.action === 'push' ? again.changedSinceOpened : again.action, true, 'the default is no longer what was opened');
  });

  it('blocks, without a request, a document over the 6,144 quota or one IAM would reject; refuses an AWS managed policy', TEST, async () => {
    const arn = await createPolicy();
    const resources = Array.from({ length: 80 }, (_, i) => `arn:aws:s3:::bucket-${String(i).padStart(3, '0')}-${'x'.repeat(60)}/*`);
    const big = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: resources }] }, null, 2);
    const size = JSON.stringify(JSON.parse(big)).length;
    assert.ok(size > MANAGED_POLICY_MAX_LENGTH && big.length < 131_072);
    log.clear();
    const plan = await planPolicyVersion(connection, { policyArn: arn, document: big });
    assert.equal(plan.action, 'blocked');
    assert.equal(
      plan.action === 'blocked' ? plan.blockers[0].message : '',
      `Too large for IAM: this policy is ${size.toLocaleString('en-US')} characters without white space, ${(size - MANAGED_POLICY_MAX_LENGTH).toLocaleString('en-US')} over the 6,144 IAM allows for a managed policy. Shorten it (wildcards for families of actions, fewer repeated ARNs), or split it into two managed policies.`,
    );
    const broken = await planPolicyVersion(connection, { policyArn: arn, document: '{"Version": "2012-10-17", "Statement": [],}' });
    // Both Errors: IAM answers "Syntax errors in policy." to an empty Statement too.
    assert.deepEqual(broken.action === 'blocked' ? broken.blockers.map((blocker) => blocker.code) : broken.action, ['empty-statement', 'json-trailing-comma']);
    assert.deepEqual(log.records, []);
    const creating = await createPolicyFromDocument(connection, { policyName: uniqueName('Big'), path: '/', description: '', document: big });
    assert.deepEqual(creating.status === 'blocked' ? creating.blockers.map((blocker) => blocker.code) : creating.status, ['quota']);
    const awsManaged = await planPolicyVersion(connection, { policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', document: identityPolicy('x') });
    assert.match(awsManaged.action === 'blocked' ? awsManaged.blockers[0].message : '', /is managed by AWS: only AWS can change it/);
  });

  it('checks the name, path and description of CreatePolicy before any request', TEST, async () => {
    log.clear();
    const outcome = await createPolicyFromDocument(connection, {
      policyName: 'has space',
      path: 'team/',
      description: 'd'.repeat(1_001),
      document: identityPolicy('x'),
    });
    assert.deepEqual(outcome.status === 'blocked' ? outcome.blockers.map((blocker) => blocker.code) : outcome.status, [
      'policy-name',
      'policy-path',
      'policy-description',
    ]);
    assert.match(outcome.status === 'blocked' ? outcome.blockers[1].message : '', /^The path must start with \/\./);
    assert.deepEqual(log.records, []);
  });
});

describe('unsure outcomes are read back (the same read-back as the push commands: flows/readBack.ts)', () => {
  const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const ids = (versions: { id: string; isDefault: boolean }[]): string[] => versions.map((version) => `${version.id}${version.isDefault ? '*' : ''}`);

  it('a 500 on CreatePolicyVersion that IAM did not act on: not written, and moto agrees', TEST, async () => {
    const arn = await createPolicy(identityPolicy('v1'));
    const through = throughProxy();
    const plan = await planPolicyVersion(through, { policyArn: arn, document: identityPolicy('v2') });
    if (plan.action !== 'push') assert.fail(plan.action);
    proxy!.setFault({ kind: 'service-failure' }, ['CreatePolicyVersion'], 1);
    const error = await failsWith('service-failure', () => applyPolicyVersion(through, plan));
    assert.equal(error.problem.iamHolds, 'not-written');
    assert.match(
      error.message,
      /^IAM answered CreatePolicyVersion with an internal error \(ServiceFailure, HTTP 500\)\. Read back, v1 is still the default version of the managed policy "[^"]+": yours was not written\. Push again\.$/,
    );
    assert.deepEqual(await versionsSeenByMoto(arn), [{ id: 'v1', isDefault: true }]);
  });

  it('a reset after UpdateAssumeRolePolicy reached IAM: written, confirmed by reading back', TEST, async () => {
    const role = await createRole();
    const through = throughProxy();
    const plan = await planTrustPolicyUpdate(through, { roleName: role.name, document: TRUST_LAMBDA });
    if (plan.action !== 'replace') assert.fail(plan.action);
    // The proxy lets moto write it, then resets the connection before the answer: what a lost answer is.
    proxy!.setFault({ kind: 'after-forwarding', answer: { kind: 'reset' } }, ['UpdateAssumeRolePolicy'], 1);
    const outcome = await applyTrustPolicyUpdate(through, plan);
    assert.equal(outcome.status === 'updated' && outcome.confirmedByReadBack, true);
    assert.match(
      outcome.message,
      new RegExp(
        `^Could not reach the endpoint .*: the connection was reset before an answer came\\. Read back, IAM holds your document as the trust policy of the role "${role.name}": it was written\\.$`,
      ),
    );
    assert.ok(samePolicy((await getRole(connection, role.name)).trustPolicy, TRUST_LAMBDA));
  });

  it('at five versions, a new version whose answer is an HTML page: put back the deleted one only when it was not written', TEST, async () => {
    const five = async (): Promise<string> => {
      const arn = await createPolicy(identityPolicy('v1'));
      for (let i = 2; i <= 5; i++)
        await admin.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: identityPolicy(`v${i}`), SetAsDefault: i === 5 }));
      return arn;
    };
    const through = throughProxy();
    // Not written (the proxy answers instead of moto): v1 was deleted to make room, and is put back.
    const lost = await five();
    const plan = await planPolicyVersion(through, { policyArn: lost, document: identityPolicy('v6') });
    if (plan.action !== 'push' || plan.deleteFirst === undefined) assert.fail('a plan that deletes v1 first');
    proxy!.setFault({ kind: 'html-page' }, ['CreatePolicyVersion'], 1);
    const error = await failsWith('not-iam-answer', () => applyPolicyVersion(through, plan));
    assert.equal(error.problem.iamHolds, 'not-written');
    assert.match(error.message, /yours was not written\. Push again\. The version v1, deleted to make room, was put back as v6 \(not the default\)\.$/);
    assert.deepEqual(ids(await versionsSeenByMoto(lost)), ['v2', 'v3', 'v4', 'v5*', 'v6']);
    assert.match((await getPolicyVersion(connection, lost, 'v6')).document, /arn:aws:s3:::v1\//, 'the text of v1, kept');

    // Written (moto got it, the answer was spoiled): the new default stands, nothing is put back.
    const written = await five();
    const again = await planPolicyVersion(through, { policyArn: written, document: identityPolicy('v6') });
    if (again.action !== 'push') assert.fail(again.action);
    proxy!.setFault({ kind: 'after-forwarding', answer: { kind: 'html-page' } }, ['CreatePolicyVersion'], 1);
    const outcome = await applyPolicyVersion(through, again);
    assert.deepEqual(outcome.status === 'pushed' ? [outcome.versionId, outcome.deleted, outcome.confirmedByReadBack] : outcome.status, ['v6', 'v1', true]);
    assert.match(
      outcome.message,
      /Read back, v6 of the managed policy "[^"]+" holds your document and is the default: it was written\. v1 was deleted to make room\.$/,
    );
    assert.deepEqual(ids(await versionsSeenByMoto(written)), ['v2', 'v3', 'v4', 'v5', 'v6*']);
  });

  it('an AttachRolePolicy that may have happened but cannot be checked says so', TEST, async () => {
    const role = await createRole();
    const arn = await createPolicy();
    const through = throughProxy();
    proxy!.setFault({ kind: 'service-failure' }, ['AttachRolePolicy', 'ListAttachedRolePolicies']);
    const error = await failsWith('service-failure', () => applyAttach(through, { target: role, policyArn: arn }));
    assert.equal(error.problem.iamHolds, 'unchecked');
    assert.match(
      error.message,
      new RegExp(
        `^IAM answered AttachRolePolicy with an internal error \\(ServiceFailure, HTTP 500\\)\\. Whether it was attached could not be checked: reading it back failed too \\(IAM answered ListAttachedRolePolicies with an internal error \\(ServiceFailure, HTTP 500\\)\\)\\. Look at the managed policies attached to the role "${role.name}" in IAM before trying again\\.$`,
      ),
    );
  });

  it('a detach, a deletion and a boundary removal whose answers were lost: each confirmed by reading back', TEST, async () => {
    const role = await createRole();
    const arn = await createPolicy();
    await admin.send(new AttachRolePolicyCommand({ RoleName: role.name, PolicyArn: arn }));
    await admin.send(new PutRolePolicyCommand({ RoleName: role.name, PolicyName: 'Inline', PolicyDocument: identityPolicy('inline') }));
    await admin.send(new PutRolePermissionsBoundaryCommand({ RoleName: role.name, PermissionsBoundary: arn }));
    const through = throughProxy();
    const lost = { kind: 'after-forwarding', answer: { kind: 'empty' } } as const;
    proxy!.setFault(lost, ['DetachRolePolicy'], 1);
    const detached = await applyDetach(through, { target: role, policyArn: arn });
    assert.equal(detached.confirmedByReadBack, true);
    assert.match(
      detached.message,
      new RegExp(
        `with HTTP 200 and an empty body, not with IAM's answer\\. Read back, ${literal(arn)} is no longer attached to the role "${role.name}": it was detached\\.$`,
      ),
    );
    proxy!.setFault(lost, ['DeleteRolePolicy'], 1);
    const deleted = await applyDeleteInline(through, { target: role, policyName: 'Inline' });
    assert.match(deleted.message, new RegExp(`Read back, the role "${role.name}" has no inline policy "Inline" any more: it was deleted\\.$`));
    proxy!.setFault(lost, ['DeleteRolePermissionsBoundary'], 1);
    const removed = await applyRemoveBoundary(through, role, arn);
    assert.match(removed.message, new RegExp(`Read back, the role "${role.name}" has no permissions boundary: it was removed\\.$`));
    // And one that IAM never saw: the role's boundary is set again, a reset before moto gets it.
    proxy!.setFault({ kind: 'reset' }, ['PutRolePermissionsBoundary'], 1);
    const error = await failsWith('unreachable', () => applyRoleBoundary(through, { roleName: role.name, policyArn: arn }));
    assert.match(error.message, new RegExp(`Read back, the role "${role.name}" has no permissions boundary: it was not set\\. Try again\\.$`));
    const seen = (await admin.send(new GetRoleCommand({ RoleName: role.name }))).Role;
    assert.equal(seen?.PermissionsBoundary, undefined);
  });
});
