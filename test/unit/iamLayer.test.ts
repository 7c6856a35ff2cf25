/**
 * The parts of the IAM layer that need no server: connection settings, message wording for
 * failures that happen before any request (credentials), parsing, and the no-vscode rule.
 * Everything that talks to IAM is tested against moto in test/iam/.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  DEFAULT_MAX_ATTEMPTS,
  IamCallError,
  createIamConnection,
  decodePolicyDocument,
  deniedActionFrom,
  describeIamError,
  formatIamCall,
  resolveConnectionFacts,
  sdkClientConfig,
  type ConnectionFacts,
} from '../../client/src/aws';
import { REPO_ROOT } from '../support/paths';

const facts: ConnectionFacts = { region: 'us-east-1', maxAttempts: 3, connectTimeoutMs: 3_000, requestTimeoutMs: 5_000 };

describe('connection settings', () => {
  it('defaults the region, drops empty strings, and keeps the retry and timeout policy', () => {
    const resolved = resolveConnectionFacts({ profile: '  ', region: '', endpoint: '' });
    assert.deepEqual(resolved, { region: 'us-east-1', maxAttempts: DEFAULT_MAX_ATTEMPTS, connectTimeoutMs: 3_000, requestTimeoutMs: 5_000 });
    assert.deepEqual(resolveConnectionFacts({ profile: ' dev ', region: 'eu-west-1', endpoint: 'http://127.0.0.1:5000' }), {
      profile: 'dev',
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:5000',
      maxAttempts: 3,
      connectTimeoutMs: 3_000,
      requestTimeoutMs: 5_000,
    });
  });

  it('retries a few times and gives up on a silent endpoint within seconds', () => {
    const config = sdkClientConfig(resolveConnectionFacts({}));
    assert.equal(config.maxAttempts, 3);
    assert.equal(config.retryMode, 'standard');
    assert.deepEqual(config.requestHandler, { connectionTimeout: 3_000, requestTimeout: 5_000, throwOnRequestTimeout: true });
    assert.equal('logger' in config, false, 'the SDK logger would print policy documents');
  });

  it('refuses an endpoint that is not an http(s) URL', () => {
    assert.throws(
      () => createIamConnection({ endpoint: 'localhost:5000' }),
      (error: unknown) => error instanceof IamCallError && error.problem.kind === 'settings' && /not an http:\/\/ or https:\/\/ URL/.test(error.message),
    );
  });
});

describe('failure messages', () => {
  it('tells how to get credentials when the chain finds none', () => {
    const missing = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    const withProfile = describeIamError(missing, { operation: 'ListUsers', connection: { ...facts, profile: 'dev' } });
    assert.equal(withProfile.kind, 'credentials-missing');
    assert.match(withProfile.message, /No AWS credentials for the profile "dev"/);
    assert.match(withProfile.message, /iamPolicy\.aws\.profile/);
    assert.match(withProfile.message, /aws sso login --profile dev/);
    const without = describeIamError(missing, { operation: 'ListUsers', connection: facts });
    assert.match(without.message, /^No AWS credentials found\./);
  });

  it('recognises an expired SSO session', () => {
    const expired = Object.assign(
      new Error('The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login with the corresponding profile.'),
      { name: 'CredentialsProviderError' },
    );
    const problem = describeIamError(expired, { operation: 'PutUserPolicy', connection: { ...facts, profile: 'sso' } });
    assert.equal(problem.kind, 'credentials-expired');
    assert.match(problem.message, /has expired\. Refresh them: for IAM Identity Center \(SSO\) run "aws sso login --profile sso"/);
  });

  it('recognises expired keys reported by the service', () => {
    const expired = Object.assign(new Error('The security token included in the request is expired'), {
      name: 'ExpiredToken',
      $metadata: { httpStatusCode: 403, requestId: 'r-1' },
    });
    const problem = describeIamError(expired, { operation: 'ListUsers', connection: facts });
    assert.equal(problem.kind, 'credentials-expired');
    assert.equal(problem.requestId, 'r-1');
  });

  it('tells a connection that was never opened from an answer that never came', () => {
    const connect = Object.assign(
      new Error('@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 3000 ms.'),
      { name: 'TimeoutError', $metadata: { attempts: 3 } },
    );
    assert.equal(
      describeIamError(connect, { operation: 'ListUsers', connection: facts }).message,
      'Could not connect to IAM (region us-east-1) within 3 seconds (3 attempts). Check the network, a proxy, or the endpoint setting.',
    );
  });

  it('reads the denied action out of an AccessDenied message', () => {
    assert.equal(
      deniedActionFrom('User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:PutRolePolicy on resource: role ops because no identity-based policy allows the iam:PutRolePolicy action'),
      'iam:PutRolePolicy',
    );
    assert.equal(deniedActionFrom('Access denied'), undefined);
  });

  it('falls back to the operation when IAM does not name the action', () => {
    const denied = Object.assign(new Error('Access denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    const problem = describeIamError(denied, { operation: 'PutGroupPolicy', target: { kind: 'group', name: 'ops' }, connection: facts });
    assert.equal(problem.deniedAction, 'iam:PutGroupPolicy');
    assert.match(problem.message, /the default AWS credentials may not call iam:PutGroupPolicy on the group "ops"/);
  });
});

describe('policy documents from IAM', () => {
  it('decodes the URL encoding IAM applies', () => {
    assert.equal(decodePolicyDocument('%7B%22Resource%22%3A%22arn%3Aaws%3As3%3A%3A%3Ab%2Fa%20b%2Bc%25%C3%A9%22%7D'), '{"Resource":"arn:aws:s3:::b/a b+c%é"}');
  });
  it('leaves a document alone that is not encoded', () => {
    assert.equal(decodePolicyDocument('{"Resource":"arn:aws:s3:::b/%41"}'), '{"Resource":"arn:aws:s3:::b/%41"}');
  });
});

describe('call log lines', () => {
  it('names the operation, target, policy, result and request id', () => {
    assert.equal(
      formatIamCall({
        operation: 'PutUserPolicy',
        target: { kind: 'user', name: 'alice' },
        policyName: 'AllowS3',
        result: 'ok',
        requestId: 'abc',
        attempts: 1,
        durationMs: 41.6,
      }),
      'PutUserPolicy user alice, policy AllowS3: ok (request abc, 1 attempt, 42 ms)',
    );
    assert.equal(
      formatIamCall({ operation: 'ListRoles', page: 2, result: 'error', errorCode: 'Throttling', attempts: 3, durationMs: 900 }),
      'ListRoles page 2: error Throttling (3 attempts, 900 ms)',
    );
  });
});

describe('plain Node', () => {
  it('has no vscode import in client/src/aws and client/src/flows', () => {
    for (const folder of ['client/src/aws', 'client/src/flows']) {
      for (const file of fs.readdirSync(path.join(REPO_ROOT, folder))) {
        const text = fs.readFileSync(path.join(REPO_ROOT, folder, file), 'utf8');
        assert.doesNotMatch(text, /from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)/, `${folder}/${file}`);
      }
    }
  });
});
