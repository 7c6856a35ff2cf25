/**
 * Failures moto cannot produce, injected by a proxy between the SDK and moto: an internal
 * error, throttling, IAM errors moto does not raise (the inline quota, a service-linked role,
 * a parameter constraint), a reset connection and an endpoint that never answers. Each must
 * give its clear message, and moto (asked directly, not through the proxy) must show that
 * nothing was written.
 */
import * as assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { CreateGroupCommand, CreateRoleCommand, CreateServiceLinkedRoleCommand, CreateUserCommand, type IAMClient } from '@aws-sdk/client-iam';
import {
  createIamConnection,
  listInlinePolicyNames,
  listUsers,
  putInlinePolicy,
  type EntityRef,
  type IamConnection,
} from '../../client/src/aws';
import { isolateAwsEnvironment } from '../support/awsEnvironment';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import { EC2_TRUST_POLICY, RecordingLog, adminClient, identityPolicy, storedDocument, uniqueName, failsWith, SETUP, TEST } from '../support/iamTesting';
import { startMoto, type MotoServer } from '../support/moto';

isolateAwsEnvironment();

let moto: MotoServer | undefined;
let proxy: FaultProxy | undefined;
let admin: IAMClient;
const openConnections: IamConnection[] = [];
const log = new RecordingLog();

before(async () => {
  moto = await startMoto({ awsManagedPolicies: false });
  proxy = await startFaultProxy(moto.endpoint);
  admin = adminClient(moto.endpoint); // straight to moto: what it shows is what was written
}, SETUP);

afterEach(() => proxy?.setFault(undefined));

after(async () => {
  for (const connection of openConnections) connection.dispose();
  admin?.destroy();
  await proxy?.close();
  await moto?.stop();
});

/** A connection through the proxy; short timeouts so the no-answer case stays quick. */
function throughProxy(options: { maxAttempts?: number; requestTimeoutMs?: number } = {}): IamConnection {
  const connection = createIamConnection({ endpoint: proxy!.endpoint }, { log, maxAttempts: 3, requestTimeoutMs: 1_000, ...options });
  openConnections.push(connection);
  return connection;
}

async function newUser(): Promise<EntityRef> {
  const name = uniqueName('user');
  await admin.send(new CreateUserCommand({ UserName: name }));
  return { kind: 'user', name };
}
async function newGroup(): Promise<EntityRef> {
  const name = uniqueName('group');
  await admin.send(new CreateGroupCommand({ GroupName: name }));
  return { kind: 'group', name };
}
async function newRole(): Promise<EntityRef> {
  const name = uniqueName('role');
  await admin.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: EC2_TRUST_POLICY }));
  return { kind: 'role', name };
}


/** moto's own list, not through the proxy. */
async function nothingWritten(target: EntityRef): Promise<void> {
  const direct = createIamConnection({ endpoint: moto!.endpoint });
  try {
    assert.deepEqual(await listInlinePolicyNames(direct, target), []);
  } finally {
    direct.dispose();
  }
}

describe('injected failures', () => {
  it('an internal error (HTTP 500) is retried, then reported', TEST, async () => {
    const target = await newUser();
    proxy!.setFault({ kind: 'service-failure' }, ['PutUserPolicy']);
    const before = proxy!.requestsFor('PutUserPolicy').length;
    const error = await failsWith('service-failure', () => putInlinePolicy(throughProxy(), target, 'P', identityPolicy('x')));
    assert.equal(
      error.message,
      'IAM failed with an internal error (ServiceFailure, HTTP 500) after 3 attempts and did not complete PutUserPolicy. Try again in a few minutes.',
    );
    assert.ok(error.problem.requestId, 'the request id of the failed answer is kept');
    assert.equal(proxy!.requestsFor('PutUserPolicy').length - before, 3);
    await nothingWritten(target);
  });

  it('throttling beyond the retries is reported as such', TEST, async () => {
    const target = await newRole();
    proxy!.setFault({ kind: 'throttling' }, ['PutRolePolicy']);
    const error = await failsWith('throttled', () => putInlinePolicy(throughProxy(), target, 'P', identityPolicy('x')));
    assert.match(error.message, /^IAM is throttling this account's requests: PutRolePolicy was refused 3 times \(Throttling\) and not done\. Wait a minute/);
    assert.equal(proxy!.requestsFor('PutRolePolicy').filter((request) => request.fault === 'throttling').length, 3);
    await nothingWritten(target);
  });

  it('one throttled answer is retried by the SDK and the push goes through', TEST, async () => {
    const target = await newGroup();
    proxy!.setFault({ kind: 'throttling' }, ['PutGroupPolicy'], 1);
    log.clear();
    await putInlinePolicy(throughProxy(), target, 'P', identityPolicy('retried'));
    assert.equal(log.records[0].attempts, 2);
    assert.equal(await storedDocument(admin, target, 'P'), identityPolicy('retried'));
  });

  it('LimitExceeded (the inline quota, which moto does not enforce) fails at once, not retried as throttling', TEST, async () => {
    const target = await newUser();
    proxy!.setFault(
      { kind: 'iam-error', status: 409, code: 'LimitExceeded', message: `Maximum policy size of 2048 bytes exceeded for user ${target.name}` },
      ['PutUserPolicy'],
    );
    const before = proxy!.requestsFor('PutUserPolicy').length;
    const error = await failsWith('limit-exceeded', () => putInlinePolicy(throughProxy(), target, 'P', identityPolicy('x')));
    assert.equal(
      error.message,
      `IAM refused: a quota is exceeded. Maximum policy size of 2048 bytes exceeded for user ${target.name}. The inline policies of one user may total 2,048 characters without white space: shorten them, or move statements into a managed policy.`,
    );
    assert.equal(proxy!.requestsFor('PutUserPolicy').length - before, 1, 'sent once');
    await nothingWritten(target);
  });

  it('UnmodifiableEntity: a service-linked role', TEST, async () => {
    // A real service-linked role in moto, which lets anyone change it; IAM would not.
    const created = await admin.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'elasticbeanstalk.amazonaws.com' }));
    const target: EntityRef = { kind: 'role', name: created.Role?.RoleName ?? '' };
    proxy!.setFault(
      { kind: 'iam-error', status: 400, code: 'UnmodifiableEntity', message: `Cannot perform the operation on the protected role '${target.name}' - this role is only modifiable by AWS` },
      ['PutRolePolicy'],
    );
    const error = await failsWith('unmodifiable-entity', () => putInlinePolicy(throughProxy(), target, 'P', identityPolicy('x')));
    assert.equal(error.message, 'The role "AWSServiceRoleForElasticBeanstalk" is a service-linked role: only the AWS service that owns it can change its policies.');
    assert.match(error.problem.detail ?? '', /only modifiable by AWS/);
    await nothingWritten(target);
  });

  it('ValidationError: a parameter outside its constraint', TEST, async () => {
    const target = await newUser();
    proxy!.setFault(
      {
        kind: 'iam-error',
        status: 400,
        code: 'ValidationError',
        message: "1 validation error detected: Value at 'policyName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
      },
      ['PutUserPolicy'],
    );
    const error = await failsWith('validation', () => putInlinePolicy(throughProxy(), target, 'P', identityPolicy('x')));
    assert.match(error.message, /^IAM rejected a parameter of PutUserPolicy: 1 validation error detected: Value at 'policyName'/);
    await nothingWritten(target);
  });

  it('a list whose endpoint repeats its page marker stops instead of looping', TEST, async () => {
    const endless =
      '<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListUsersResult>' +
      '<IsTruncated>true</IsTruncated><Marker>same-marker</Marker><Users/></ListUsersResult>' +
      '<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListUsersResponse>';
    proxy!.setFault({ kind: 'answer', status: 200, body: endless }, ['ListUsers']);
    const before = proxy!.requestsFor('ListUsers').length;
    const error = await failsWith('unexpected', () => listUsers(throughProxy()));
    assert.equal(error.message, 'ListUsers returned the same page marker twice; the list was not read to its end.');
    assert.equal(proxy!.requestsFor('ListUsers').length - before, 2);
  });

  it('a reset connection is retried, then reported as unreachable', TEST, async () => {
    const target = await newGroup();
    proxy!.setFault({ kind: 'reset' }, ['PutGroupPolicy']);
    const before = proxy!.requestsFor('PutGroupPolicy').length;
    const error = await failsWith('unreachable', () => putInlinePolicy(throughProxy(), target, 'P', identityPolicy('x')));
    assert.equal(error.problem.code, 'ECONNRESET');
    assert.match(error.message, /^Could not reach the endpoint http:\/\/127\.0\.0\.1:\d+ \(3 attempts\): the connection was reset before an answer came\./);
    assert.equal(proxy!.requestsFor('PutGroupPolicy').length - before, 3);
    await nothingWritten(target);
  });

  it('an endpoint that never answers times out within seconds', TEST, async () => {
    const target = await newRole();
    proxy!.setFault({ kind: 'no-answer' }, ['PutRolePolicy']);
    const before = proxy!.requestsFor('PutRolePolicy').length;
    const started = Date.now();
    const error = await failsWith('timeout', () => putInlinePolicy(throughProxy({ maxAttempts: 2, requestTimeoutMs: 1_000 }), target, 'P', identityPolicy('x')));
    const elapsed = Date.now() - started;
    assert.match(error.message, /^The endpoint http:\/\/127\.0\.0\.1:\d+ did not answer within 1 second \(2 attempts\)\. Check the network, a proxy, or the endpoint setting\.$/);
    assert.ok(elapsed >= 2_000 && elapsed < 6_000, `took ${elapsed} ms`);
    assert.equal(proxy!.requestsFor('PutRolePolicy').length - before, 2);
    await nothingWritten(target);
  });
});
