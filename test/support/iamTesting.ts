/**
 * Helpers shared by the tests in test/iam: an SDK client of their own for setting up and
 * reading back (so what is checked does not go through the code under test), unique names,
 * and a log that keeps records.
 */
import * as assert from 'node:assert/strict';
import { GetGroupPolicyCommand, GetRolePolicyCommand, GetUserPolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { IamCallError, type EntityRef, type IamCallRecord, type IamLog, type IamProblemKind } from '../../client/src/aws';
import { FAKE_ACCESS_KEY_ID, FAKE_SECRET_ACCESS_KEY } from './awsEnvironment';

/** Test options: the setup has room for creating the venv on a first run (pip takes about half a minute). */
export const SETUP = { timeout: 10 * 60_000 };
/** Test options for one test against moto. */
export const TEST = { timeout: 60_000 };

export function adminClient(endpoint: string, credentials = { accessKeyId: FAKE_ACCESS_KEY_ID, secretAccessKey: FAKE_SECRET_ACCESS_KEY }): IAMClient {
  return new IAMClient({ region: 'us-east-1', endpoint, credentials, maxAttempts: 1 });
}

let counter = 0;
/** A name no other test of this process uses. */
export function uniqueName(prefix: string): string {
  counter++;
  return `${prefix}-${process.pid}-${counter}`;
}

/** A log that keeps every record, for assertions. */
export class RecordingLog implements IamLog {
  readonly records: IamCallRecord[] = [];
  record(entry: IamCallRecord): void {
    this.records.push(entry);
  }
  clear(): void {
    this.records.length = 0;
  }
}

/** The document moto holds, read with the test's own client and decoded by hand. */
export async function storedDocument(admin: IAMClient, target: EntityRef, policyName: string): Promise<string> {
  let encoded: string | undefined;
  switch (target.kind) {
    case 'user':
      encoded = (await admin.send(new GetUserPolicyCommand({ UserName: target.name, PolicyName: policyName }))).PolicyDocument;
      break;
    case 'group':
      encoded = (await admin.send(new GetGroupPolicyCommand({ GroupName: target.name, PolicyName: policyName }))).PolicyDocument;
      break;
    case 'role':
      encoded = (await admin.send(new GetRolePolicyCommand({ RoleName: target.name, PolicyName: policyName }))).PolicyDocument;
      break;
  }
  return decodeURIComponent(encoded ?? '');
}

/** A trust policy that lets EC2 assume a role: CreateRole needs one. */
export const EC2_TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/** An identity policy; `marker` ends up in a resource ARN so tests can look for the text. */
export function identityPolicy(marker: string, action = 's3:GetObject'): string {
  return JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [{ Sid: 'Read', Effect: 'Allow', Action: action, Resource: `arn:aws:s3:::${marker}/*` }],
    },
    null,
    2,
  );
}

/** Runs `action`, which must fail with an IamCallError of this kind; returns the error. */
export async function failsWith(kind: IamProblemKind, action: () => Promise<unknown>): Promise<IamCallError> {
  try {
    await action();
  } catch (error) {
    assert.ok(error instanceof IamCallError, `expected an IamCallError, got ${String(error)}`);
    assert.equal(error.problem.kind, kind, error.message);
    return error;
  }
  assert.fail(`expected a ${kind} failure, but the call succeeded`);
}
