/**
 * Failures moto cannot produce, injected by a proxy between the SDK and moto: an internal
 * error, throttling, IAM errors moto does not raise (the inline quota, a service-linked role,
 * a parameter constraint), a reset connection and an endpoint that never answers. Each must
 * give its clear message, and moto (asked directly, not through the proxy) must show that
 * nothing was written.
 *
 * Then the answers that leave a write's outcome open (an answer that is not IAM's, a 500 or a
 * reset after the request reached moto, a stall, a trickle, a cancel): the push and boundary
 * flows read back and say whether it was written, and moto shows they are right.
 */
import * as assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import {
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateServiceLinkedRoleCommand,
  CreateUserCommand,
  GetUserCommand,
  PutUserPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import {
  createIamConnection,
  listInlinePolicyNames,
  listUsers,
  putInlinePolicy,
  putUserPermissionsBoundary,
  type EntityRef,
  type IamConnection,
  type IamConnectionOptions,
} from '../../client/src/aws';
import { pushPolicy } from '../../client/src/commands/push';
import { applyInlinePolicyPush, applyPermissionsBoundary, planInlinePolicyPush, planPermissionsBoundary, type InlinePushOutcome } from '../../client/src/flows';
import * as fs from 'node:fs';
import { isolateAwsEnvironment } from '../support/awsEnvironment';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy';
import { EC2_TRUST_POLICY, RecordingLog, adminClient, identityPolicy, storedDocument, uniqueName, failsWith, SETUP, TEST } from '../support/iamTesting';
import { startMoto, type MotoServer } from '../support/moto';
import { testEnv } from '../support/scriptedUi';

const aws = isolateAwsEnvironment();

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
function throughProxy(options: IamConnectionOptions = {}): IamConnection {
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
      // Not "did not complete": IAM may have done the work before failing to say so.
      'IAM answered PutUserPolicy with an internal error (ServiceFailure, HTTP 500) after 3 attempts. Try again in a few minutes.',
    );
    assert.ok(error.problem.requestId, 'the request id of the failed answer is kept');
    assert.equal(proxy!.requestsFor('PutUserPolicy').length - before, 3);
    await nothingWritten(target);
  });

  it('throttling beyond the retries is reported as such', TEST, async () => {
    const target = await newRole();
    proxy!.setFault({ kind: 'throttling' }, ['PutRolePolicy']);
    const error = await failsWith('throttled', () => putInlinePolicy(throughProxy(), target, 'P', identityPolicy('x')));
    assert.equal(error.message, "IAM is throttling this account's requests: PutRolePolicy was refused 3 times (Throttling). Wait a minute and try again.");
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
    proxy!.setFault({ kind: 'iam-error', status: 409, code: 'LimitExceeded', message: `Maximum policy size of 2048 bytes exceeded for user ${target.name}` }, [
      'PutUserPolicy',
    ]);
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
      {
        kind: 'iam-error',
        status: 400,
        code: 'UnmodifiableEntity',
        message: `Cannot perform the operation on the protected role '${target.name}' - this role is only modifiable by AWS`,
      },
      ['PutRolePolicy'],
    );
    const error = await failsWith('unmodifiable-entity', () => putInlinePolicy(throughProxy(), target, 'P', identityPolicy('x')));
    assert.equal(
      error.message,
      'The role "AWSServiceRoleForElasticBeanstalk" is a service-linked role: only the AWS service that owns it can change its policies.',
    );
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
        message:
          "1 validation error detected: Value at 'policyName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
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
    const error = await failsWith('timeout', () =>
      putInlinePolicy(throughProxy({ maxAttempts: 2, requestTimeoutMs: 1_000 }), target, 'P', identityPolicy('x')),
    );
    const elapsed = Date.now() - started;
    assert.match(
      error.message,
      /^The endpoint http:\/\/127\.0\.0\.1:\d+ did not answer PutRolePolicy within 1 second \(2 attempts\)\. Check the network, a proxy, or the endpoint setting\.$/,
    );
    assert.ok(elapsed >= 2_000 && elapsed < 6_000, `took ${elapsed} ms`);
    assert.equal(proxy!.requestsFor('PutRolePolicy').length - before, 2);
    await nothingWritten(target);
  });
});

/** A document moto holds for `target`, or undefined when it has no such policy. */
async function storedOrNothing(target: EntityRef, policyName: string): Promise<string | undefined> {
  try {
    return await storedDocument(admin, target, policyName);
  } catch (error) {
    if ((error as Error).name === 'NoSuchEntityException') return undefined;
    throw error;
  }
}

const PORT = String.raw`http://127\.0\.0\.1:\d+`;

/** Plans a push through the proxy (no fault yet), then applies it with `fault` set on the write. */
async function pushWithFault(
  target: EntityRef,
  policyName: string,
  document: string,
  fault: Parameters<FaultProxy['setFault']>[0],
  options: IamConnectionOptions = {},
): Promise<InlinePushOutcome> {
  const connection = throughProxy(options);
  const plan = await planInlinePolicyPush(connection, { target, policyName, document });
  assert.ok(plan.action === 'create' || plan.action === 'replace', plan.action);
  proxy!.setFault(fault, [`Put${target.kind === 'user' ? 'User' : target.kind === 'group' ? 'Group' : 'Role'}Policy`]);
  return applyInlinePolicyPush(connection, plan);
}

describe("only IAM's own answer counts", () => {
  it('an HTML page with status 200 on PutUserPolicy is an error naming the endpoint, not a success', TEST, async () => {
    const target = await newUser();
    proxy!.setFault({ kind: 'html-page' }, ['PutUserPolicy']);
    const before = proxy!.requestsFor('PutUserPolicy').length;
    const error = await failsWith('not-iam-answer', () => putInlinePolicy(throughProxy(), target, 'P', identityPolicy('x')));
    assert.match(
      error.message,
      new RegExp(
        `^The endpoint ${PORT} answered PutUserPolicy with HTTP 200 and an HTML page \\("Sign in to the network"\\), not with IAM's answer\\. A proxy, a captive portal or a wrong endpoint setting is in the way`,
      ),
    );
    assert.equal(error.problem.mayHaveTakenEffect, true);
    assert.equal(proxy!.requestsFor('PutUserPolicy').length - before, 1, 'a page with status 200 is not retried');
    await nothingWritten(target);
  });

  it('an empty body with status 200 on PutUserPermissionsBoundary is an error too', TEST, async () => {
    const target = await newUser();
    const arn = (await admin.send(new CreatePolicyCommand({ PolicyName: uniqueName('Boundary'), PolicyDocument: identityPolicy('b') }))).Policy?.Arn ?? '';
    proxy!.setFault({ kind: 'empty' }, ['PutUserPermissionsBoundary']);
    const error = await failsWith('not-iam-answer', () => putUserPermissionsBoundary(throughProxy(), target.name, arn));
    assert.match(
      error.message,
      new RegExp(`^The endpoint ${PORT} answered PutUserPermissionsBoundary with HTTP 200 and an empty body, not with IAM's answer\\.`),
    );
    assert.equal((await admin.send(new GetUserCommand({ UserName: target.name }))).User?.PermissionsBoundary, undefined);
  });

  it('every call is checked: a page on ListUsers, and a proxy error page (HTTP 502, retried)', TEST, async () => {
    proxy!.setFault({ kind: 'html-page' }, ['ListUsers']);
    await failsWith('not-iam-answer', () => listUsers(throughProxy()));
    proxy!.setFault({ kind: 'html-page', status: 502 }, ['ListUsers']);
    const before = proxy!.requestsFor('ListUsers').length;
    const error = await failsWith('not-iam-answer', () => listUsers(throughProxy()));
    assert.match(
      error.message,
      new RegExp(
        `^The endpoint ${PORT} answered ListUsers with HTTP 502 and an HTML page \\("Sign in to the network"\\), not with IAM's answer \\(3 attempts\\)\\.`,
      ),
    );
    assert.equal(proxy!.requestsFor('ListUsers').length - before, 3);
  });

  it('an answer cut short or with another root is not taken', TEST, async () => {
    const target = await newUser();
    proxy!.setFault(
      { kind: 'answer', status: 200, body: '<PutUserPolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ResponseMetadata><RequestId>r' },
      ['PutUserPolicy'],
    );
    const cut = await failsWith('not-iam-answer', () => putInlinePolicy(throughProxy(), target, 'P', identityPolicy('x')));
    assert.match(cut.message, /with HTTP 200 and an answer cut short, not with IAM's answer/);
    proxy!.setFault({ kind: 'answer', status: 200, body: '<Result><Ok>true</Ok></Result>' }, ['PutUserPolicy']);
    const other = await failsWith('not-iam-answer', () => putInlinePolicy(throughProxy(), target, 'P', identityPolicy('x')));
    assert.match(other.message, /with HTTP 200 and XML that is not IAM's answer \(<Result>\)/);
    await nothingWritten(target);
  });
});

describe('ambiguous outcomes are read back', () => {
  it('a 500 after IAM wrote the policy: "it was written", and moto has it', TEST, async () => {
    const target = await newUser();
    const document = identityPolicy('written-despite-500');
    const outcome = await pushWithFault(target, 'P', document, { kind: 'after-forwarding', answer: { kind: 'service-failure' } });
    assert.equal(outcome.status, 'pushed');
    assert.equal(outcome.status === 'pushed' && outcome.confirmedByReadBack, true);
    assert.equal(
      outcome.message,
      `IAM answered PutUserPolicy with an internal error (ServiceFailure, HTTP 500) after 3 attempts. Read back, IAM holds your document as the inline policy "P" of the user "${target.name}": it was written.`,
    );
    assert.equal(await storedDocument(admin, target, 'P'), document);
  });

  it('a reset after IAM wrote a replacement: "it was written"', TEST, async () => {
    const target = await newGroup();
    const connection = throughProxy();
    await putInlinePolicy(connection, target, 'P', identityPolicy('old'));
    const outcome = await pushWithFault(target, 'P', identityPolicy('new'), { kind: 'after-forwarding', answer: { kind: 'reset' } });
    assert.equal(outcome.status, 'pushed');
    assert.match(
      outcome.message,
      new RegExp(
        `^Could not reach the endpoint ${PORT} \\(3 attempts\\): the connection was reset before an answer came\\. Read back, IAM holds your document as the inline policy "P" of the group "${target.name}": it was written\\.$`,
      ),
    );
    assert.equal(await storedDocument(admin, target, 'P'), identityPolicy('new'));
  });

  it('a reset before IAM got the request: "still the version from before", not written', TEST, async () => {
    const target = await newRole();
    await putInlinePolicy(throughProxy(), target, 'P', identityPolicy('before'));
    const error = await failsWith('unreachable', () => pushWithFault(target, 'P', identityPolicy('after'), { kind: 'reset' }));
    assert.equal(error.problem.iamHolds, 'not-written');
    assert.match(
      error.message,
      new RegExp(
        `the connection was reset before an answer came\\. Read back, the inline policy "P" of the role "${target.name}" is still the version from before: yours was not written\\. Push again\\.$`,
      ),
    );
    assert.equal(await storedDocument(admin, target, 'P'), identityPolicy('before'));
  });

  it('a 500 on a new policy that IAM did not write: "has no inline policy", not written', TEST, async () => {
    const target = await newUser();
    const error = await failsWith('service-failure', () => pushWithFault(target, 'New', identityPolicy('x'), { kind: 'service-failure' }));
    assert.equal(
      error.message,
      `IAM answered PutUserPolicy with an internal error (ServiceFailure, HTTP 500) after 3 attempts. Read back, the user "${target.name}" has no inline policy "New": it was not written. Push again.`,
    );
    await nothingWritten(target);
  });

  it('an HTML page instead of the answer: read back, not written', TEST, async () => {
    const target = await newUser();
    const error = await failsWith('not-iam-answer', () => pushWithFault(target, 'P', identityPolicy('x'), { kind: 'html-page' }));
    assert.match(
      error.message,
      new RegExp(
        `^The endpoint ${PORT} answered PutUserPolicy with HTTP 200 and an HTML page \\("Sign in to the network"\\), not with IAM's answer\\. Read back, the user "${target.name}" has no inline policy "P": it was not written\\. Push again\\.$`,
      ),
    );
  });

  it('the comparison is semantic: what IAM holds formatted and ordered differently counts as written', TEST, async () => {
    const target = await newUser();
    const document = identityPolicy('semantic');
    const connection = throughProxy();
    const plan = await planInlinePolicyPush(connection, { target, policyName: 'P', document });
    assert.equal(plan.action, 'create');
    if (plan.action !== 'create') return;
    // As if the lost request had arrived: IAM holds the same policy, minified and with its keys in another order.
    const parsed = JSON.parse(document) as { Version: string; Statement: unknown };
    await admin.send(
      new PutUserPolicyCommand({
        UserName: target.name,
        PolicyName: 'P',
        PolicyDocument: JSON.stringify({ Statement: parsed.Statement, Version: parsed.Version }),
      }),
    );
    // ...and the plan's check that nothing appeared meanwhile is skipped by failing only the write.
    proxy!.setFault({ kind: 'service-failure' }, ['PutUserPolicy']);
    const outcome = await applyInlinePolicyPush(connection, {
      ...plan,
      action: 'replace',
      existing: '',
      proposed: '',
      existingDocument: await storedDocument(admin, target, 'P'),
    });
    assert.equal(outcome.status, 'pushed');
    assert.match(outcome.message, /Read back, IAM holds your document as the inline policy "P" of the user "[^"]+": it was written\.$/);
  });

  it('when reading back fails too: "could not be checked", saying why', TEST, async () => {
    const target = await newRole();
    const connection = throughProxy();
    const plan = await planInlinePolicyPush(connection, { target, policyName: 'P', document: identityPolicy('x') });
    assert.equal(plan.action, 'create');
    if (plan.action !== 'create') return;
    proxy!.setFault({ kind: 'after-forwarding', answer: { kind: 'reset' } }, ['PutRolePolicy', 'GetRolePolicy']);
    const error = await failsWith('unreachable', () => applyInlinePolicyPush(connection, plan));
    assert.equal(error.problem.iamHolds, 'unchecked');
    assert.match(
      error.message,
      new RegExp(
        `reset before an answer came\\. Whether it was written could not be checked: reading it back failed too \\(Could not reach the endpoint ${PORT} \\(3 attempts\\): the connection was reset before an answer came\\)\\. Look at the inline policy "P" of the role "${target.name}" in IAM before trying again\\.$`,
      ),
    );
  });

  it('a permissions boundary: set despite a 500, and not set after an empty answer', TEST, async () => {
    const target = await newUser();
    const arn = (await admin.send(new CreatePolicyCommand({ PolicyName: uniqueName('Boundary'), PolicyDocument: identityPolicy('b') }))).Policy?.Arn ?? '';
    const connection = throughProxy();
    const plan = await planPermissionsBoundary(connection, { userName: target.name, policyArn: arn });
    assert.equal(plan.action, 'set');
    if (plan.action !== 'set') return;

    proxy!.setFault({ kind: 'empty' }, ['PutUserPermissionsBoundary']);
    const error = await failsWith('not-iam-answer', () => applyPermissionsBoundary(connection, plan));
    assert.match(
      error.message,
      new RegExp(
        `with HTTP 200 and an empty body, not with IAM's answer\\. Read back, the user "${target.name}" has no permissions boundary: it was not set\\. Try again\\.$`,
      ),
    );

    proxy!.setFault({ kind: 'after-forwarding', answer: { kind: 'service-failure' } }, ['PutUserPermissionsBoundary']);
    const outcome = await applyPermissionsBoundary(connection, plan);
    assert.equal(outcome.confirmedByReadBack, true);
    assert.match(
      outcome.message,
      new RegExp(`Read back, the user "${target.name}" has ${arn.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} as permissions boundary: it was set\\.$`),
    );
    assert.equal((await admin.send(new GetUserCommand({ UserName: target.name }))).User?.PermissionsBoundary?.PermissionsBoundaryArn, arn);
  });
});

describe('answers that stall or trickle are cut', () => {
  it('an answer that stops after its headers times out (socket idle), then is read back: written', TEST, async () => {
    const target = await newUser();
    const started = Date.now();
    const outcome = await pushWithFault(
      target,
      'P',
      identityPolicy('stalled'),
      { kind: 'after-forwarding', answer: { kind: 'stall-after-headers' } },
      { maxAttempts: 1, socketTimeoutMs: 1_000 },
    );
    const elapsed = Date.now() - started;
    assert.equal(outcome.status, 'pushed');
    assert.match(
      outcome.message,
      new RegExp(
        `^The answer of the endpoint ${PORT} to PutUserPolicy stopped coming: nothing for 1 second\\. Read back, IAM holds your document as the inline policy "P" of the user "${target.name}": it was written\\.$`,
      ),
    );
    assert.ok(elapsed < 6_000, `took ${elapsed} ms`);
  });

  it('an answer trickled one byte at a time is cut when it is not whole in time', TEST, async () => {
    const target = await newUser();
    const started = Date.now();
    // moto's answer is about 200 bytes: 20 s at one byte per 100 ms.
    const error = await failsWith('timeout', () =>
      pushWithFault(target, 'P', identityPolicy('x'), { kind: 'trickle', intervalMs: 100 }, { maxAttempts: 1, answerTimeoutMs: 1_000 }),
    );
    const elapsed = Date.now() - started;
    assert.match(
      error.message,
      new RegExp(
        `^The answer of the endpoint ${PORT} to PutUserPolicy came too slowly: not whole 1 second after it began\\. Read back, the user "${target.name}" has no inline policy "P": it was not written\\. Push again\\.$`,
      ),
    );
    assert.ok(elapsed < 6_000, `took ${elapsed} ms`);
  });

  it('Cancel on the progress notification aborts the write at once, then reads back (scripted UI)', TEST, async () => {
    const stalled = await newUser();
    const env = testEnv({ endpoint: proxy!.endpoint }, undefined, { requestTimeoutMs: 30_000, socketTimeoutMs: 30_000 });
    env.ui.answerPicks({ choose: stalled.name }).answerTexts('P').cancelProgress('Pushing', 300);
    proxy!.setFault({ kind: 'no-answer' }, ['PutUserPolicy']);
    const started = Date.now();
    const outcome = await pushPolicy(env, { key: 'file:///w/p.iam.json', fileName: '/w/p.iam.json', getText: () => identityPolicy('cancelled') }, 'user');
    assert.ok(Date.now() - started < 5_000, 'not the 30 s timeout');
    assert.equal(outcome.status, 'failed');
    assert.deepEqual(
      env.ui.notifications.map((note) => [note.severity, note.message]),
      [
        [
          'warning',
          `You cancelled PutUserPolicy while it was under way. Read back, the user "${stalled.name}" has no inline policy "P": it was not written. Push again.`,
        ],
      ],
    );
    await nothingWritten(stalled);

    // The request had reached IAM when the person cancelled: it says so.
    const written = await newUser();
    const again = testEnv({ endpoint: proxy!.endpoint }, undefined, { requestTimeoutMs: 30_000, socketTimeoutMs: 30_000 });
    again.ui.answerPicks({ choose: written.name }).answerTexts('P').cancelProgress('Pushing', 500);
    proxy!.setFault({ kind: 'after-forwarding', answer: { kind: 'stall-after-headers' } }, ['PutUserPolicy']);
    const done = await pushPolicy(again, { key: 'file:///w/q.iam.json', fileName: '/w/q.iam.json', getText: () => identityPolicy('cancelled-late') }, 'user');
    assert.equal(done.status, 'done');
    assert.deepEqual(
      again.ui.notifications.map((note) => [note.severity, note.message]),
      [
        [
          'warning',
          `You cancelled PutUserPolicy while it was under way. Read back, IAM holds your document as the inline policy "P" of the user "${written.name}": it was written.`,
        ],
      ],
    );
    assert.equal(await storedOrNothing(written, 'P'), identityPolicy('cancelled-late'));
  });
});

describe('secrets stay out of messages and the log', () => {
  /** Has a `-`, so only knowing the connection's own token can catch it (not the look of a token). */
  const SESSION_TOKEN = 'FwoGZXIvYXdzEXAMPLE-session-token-an-endpoint-echoes-0123456789';
  before(() => {
    fs.appendFileSync(
      aws.credentialsFile,
      `[with-token]\naws_access_key_id = ASIAEXAMPLETOKENUSER\naws_secret_access_key = secret-of-the-token-profile-0123456789\naws_session_token = ${SESSION_TOKEN}\n`,
    );
  });

  it('a session token an endpoint echoes in its error reaches neither the notification nor the log', TEST, async () => {
    proxy!.setFault({ kind: 'echo-token' }, ['ListUsers']);
    const env = testEnv({ endpoint: proxy!.endpoint, profile: 'with-token' });
    env.ui.answerPicks({ choose: 'anyone' });
    const outcome = await aws.withoutEnvironmentKeys(() =>
      pushPolicy(env, { key: 'file:///w/t.iam.json', fileName: '/w/t.iam.json', getText: () => identityPolicy('t') }, 'user'),
    );
    assert.equal(outcome.status, 'failed');
    assert.equal(outcome.status === 'failed' && outcome.problem.kind, 'credentials-rejected');
    // The endpoint did send it back: the proxy's error quotes it...
    assert.ok(proxy!.requestsFor('ListUsers').some((request) => request.fault === 'echo-token'));
    // ...and what the person sees and what is logged has it blanked.
    const shown = [...env.ui.notifications.map((note) => note.message), ...env.lines, outcome.status === 'failed' ? (outcome.problem.detail ?? '') : ''];
    assert.ok(
      shown.some((text) => text.includes('The security token included in the request is invalid: ***')),
      shown.join('\n'),
    );
    assert.ok(
      shown.every((text) => !text.includes(SESSION_TOKEN) && !text.includes('secret-of-the-token-profile')),
      shown.join('\n'),
    );
  });

  it('the password of an endpoint URL is blanked wherever the endpoint is named', TEST, async () => {
    const withPassword = proxy!.endpoint.replace('http://', 'http://deploy:pa55-w0rd-in-url@');
    proxy!.setFault({ kind: 'html-page' }, ['ListUsers']);
    const env = testEnv({ endpoint: withPassword });
    const outcome = await pushPolicy(env, { key: 'file:///w/u.iam.json', fileName: '/w/u.iam.json', getText: () => identityPolicy('u') }, 'user');
    assert.equal(outcome.status, 'failed');
    const message = env.ui.notifications[0]?.message ?? '';
    assert.match(message, new RegExp(`^The endpoint http://deploy:\\*\\*\\*@127\\.0\\.0\\.1:\\d+ answered ListUsers with HTTP 200 and an HTML page`));
    assert.ok(
      [message, ...env.lines].every((text) => !text.includes('pa55-w0rd-in-url')),
      [message, ...env.lines].join('\n'),
    );

    // And in a setting that is not even a URL.
    const bad = testEnv({ endpoint: 'ftp://deploy:pa55-w0rd-in-url@host' });
    await pushPolicy(bad, { key: 'file:///w/v.iam.json', fileName: '/w/v.iam.json', getText: () => identityPolicy('v') }, 'user');
    assert.equal(
      bad.ui.notifications[0]?.message,
      `The endpoint setting "ftp://deploy:***@host" is not an http:// or https:// URL. Clear it to use AWS's IAM endpoint.`,
    );
  });
});
