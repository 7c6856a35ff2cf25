/**
 * The parts of the IAM layer that need no server: connection settings, message wording for
 * failures that happen before any request (credentials), parsing, and the no-vscode rule.
 * Everything that talks to IAM is tested against moto in test/iam/.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as os from 'node:os';
import { Readable } from 'node:stream';
import {
  AnswerTimeoutError,
  DEFAULT_CREDENTIAL_PROCESS_TIMEOUT_MS,
  DEFAULT_MAX_ATTEMPTS,
  IamCallError,
  checkProcessOutput,
  notIamAnswer,
  redactSecrets,
  redactUrl,
  resolveCredentialSource,
  createIamConnection,
  decodePolicyDocument,
  deniedActionFrom,
  describeIamError,
  formatIamCall,
  resolveConnectionFacts,
  sdkClientConfig,
  type ConnectionFacts,
} from '../../client/src/aws';
import { readBody } from '../../client/src/aws/answer';
import { REPO_ROOT } from '../support/paths';

const facts: ConnectionFacts = {
  region: 'us-east-1',
  maxAttempts: 3,
  connectTimeoutMs: 3_000,
  requestTimeoutMs: 5_000,
  socketTimeoutMs: 10_000,
  answerTimeoutMs: 15_000,
};

describe('connection settings', () => {
  it('defaults the region, drops empty strings, and keeps the retry and timeout policy', () => {
    const resolved = resolveConnectionFacts({ profile: '  ', region: '', endpoint: '' });
    assert.deepEqual(resolved, {
      region: 'us-east-1',
      maxAttempts: DEFAULT_MAX_ATTEMPTS,
      connectTimeoutMs: 3_000,
      requestTimeoutMs: 5_000,
      socketTimeoutMs: 10_000,
      answerTimeoutMs: 15_000,
    });
    assert.deepEqual(resolveConnectionFacts({ profile: ' dev ', region: 'eu-west-1', endpoint: 'http://127.0.0.1:5000' }), {
      profile: 'dev',
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:5000',
      maxAttempts: 3,
      connectTimeoutMs: 3_000,
      requestTimeoutMs: 5_000,
      socketTimeoutMs: 10_000,
      answerTimeoutMs: 15_000,
    });
  });

  it('retries a few times and gives up on a silent endpoint within seconds, a stalled answer included', () => {
    const config = sdkClientConfig(resolveConnectionFacts({}));
    assert.equal(config.maxAttempts, 3);
    assert.equal(config.retryMode, 'standard');
    // socketTimeout: without it an answer that stalls after its headers waits for the OS's reset (about 2 minutes).
    assert.deepEqual(config.requestHandler, { connectionTimeout: 3_000, requestTimeout: 5_000, throwOnRequestTimeout: true, socketTimeout: 10_000 });
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
      new Error(
        'The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login with the corresponding profile.',
      ),
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
      deniedActionFrom(
        'User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:PutRolePolicy on resource: role ops because no identity-based policy allows the iam:PutRolePolicy action',
      ),
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

describe("IAM's own answer", () => {
  const xml = (text: string): Uint8Array => Buffer.from(text);
  const ok =
    '<?xml version="1.0"?>\n<PutUserPolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">\n  <ResponseMetadata>\n    <RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId>\n  </ResponseMetadata>\n</PutUserPolicyResponse>\n';

  it("takes IAM's answer to the operation, and IAM's (or moto's) error XML", () => {
    assert.equal(notIamAnswer('PutUserPolicy', 200, { 'content-type': 'text/xml' }, xml(ok)), undefined);
    const error =
      '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>x</Message></Error><RequestId>r</RequestId></ErrorResponse>';
    assert.equal(notIamAnswer('PutUserPolicy', 404, {}, xml(error)), undefined);
    assert.equal(
      notIamAnswer('ListUsers', 403, {}, xml('<ErrorResponse><Errors><Error><Code>InvalidClientTokenId</Code></Error></Errors></ErrorResponse>')),
      undefined,
    );
  });

  it('says what came instead of it', () => {
    assert.equal(notIamAnswer('PutUserPolicy', 200, {}, xml('')), 'an empty body');
    assert.equal(
      notIamAnswer('PutUserPolicy', 200, { 'Content-Type': 'text/html; charset=utf-8' }, xml('<html><head><title> Portal\n login </title></head></html>')),
      'an HTML page ("Portal login")',
    );
    assert.equal(notIamAnswer('PutUserPolicy', 200, {}, xml('<!DOCTYPE html><p>hi</p>')), 'an HTML page');
    assert.equal(notIamAnswer('PutUserPolicy', 200, {}, xml(ok.replace(/<RequestId>.*<\/RequestId>/, ''))), 'an answer without a request id');
    assert.equal(notIamAnswer('PutUserPolicy', 200, {}, xml(ok.slice(0, 120))), 'an answer cut short');
    assert.equal(notIamAnswer('PutRolePolicy', 200, {}, xml(ok)), "XML that is not IAM's answer (<PutUserPolicyResponse>)", 'the answer to another action');
    assert.equal(notIamAnswer('PutUserPolicy', 200, { 'content-type': 'application/json' }, xml('{"ok": true}')), 'JSON');
    assert.equal(notIamAnswer('PutUserPolicy', 502, { 'content-type': 'text/plain' }, xml('Bad gateway')), '11 bytes of text/plain');
  });

  it('reads a body within its time, and cuts one that trickles', async () => {
    assert.deepEqual(Buffer.from(await readBody(Readable.from([Buffer.from('ab'), Buffer.from('c')]), 1_000)).toString(), 'abc');
    const slow = new Readable({ read() {} });
    const drip = setInterval(() => slow.push('x'), 20);
    try {
      await assert.rejects(readBody(slow, 200), (error: unknown) => error instanceof AnswerTimeoutError && error.name === 'TimeoutError');
    } finally {
      clearInterval(drip);
    }
    assert.equal(slow.destroyed, true, 'the connection is closed');
  });
});

describe('which failures may have taken effect', () => {
  const problem = (error: object) =>
    describeIamError(Object.assign(new Error((error as { message?: string }).message ?? 'x'), error), { operation: 'PutUserPolicy', connection: facts });
  it('an answer that says what happened did not; one that does not say, may have', () => {
    assert.equal(
      problem({ name: 'NoSuchEntityException', Code: 'NoSuchEntity', $metadata: { httpStatusCode: 404, attempts: 1 } }).mayHaveTakenEffect,
      undefined,
    );
    assert.equal(problem({ name: 'ServiceFailureException', Code: 'ServiceFailure', $metadata: { httpStatusCode: 500 } }).mayHaveTakenEffect, true);
    assert.equal(problem({ name: 'TimeoutError', code: 'ECONNRESET' }).mayHaveTakenEffect, true);
    assert.equal(problem({ name: 'Error', code: 'ECONNREFUSED' }).mayHaveTakenEffect, false, 'no connection, nothing sent');
    assert.equal(problem({ name: 'TimeoutError', message: 'the request socket did not establish a connection with the server' }).mayHaveTakenEffect, false);
    assert.equal(problem({ name: 'TimeoutError', message: 'a request has exceeded the configured 5000 ms requestTimeout.' }).mayHaveTakenEffect, true);
    assert.equal(problem({ name: 'AbortError' }).mayHaveTakenEffect, true);
    // A refusal after a retry: the first attempt may have gone through.
    assert.equal(problem({ name: 'Throttling', Code: 'Throttling', $metadata: { httpStatusCode: 400, attempts: 3 } }).mayHaveTakenEffect, true);
    assert.equal(
      problem({ name: 'CredentialsProviderError', $metadata: { attempts: 2 } }).mayHaveTakenEffect,
      undefined,
      'nothing is sent without credentials',
    );
  });
});

describe('secrets in messages', () => {
  it('blanks the password of a URL, or a lone token before the host, and keeps the rest', () => {
    assert.equal(redactUrl('http://deploy:s3cr3t@proxy.example.com:8080/iam'), 'http://deploy:***@proxy.example.com:8080/iam');
    assert.equal(redactUrl('https://ghp_token@host'), 'https://***@host');
    assert.equal(redactUrl('http://127.0.0.1:5000'), 'http://127.0.0.1:5000');
    assert.equal(
      redactSecrets('Could not reach the endpoint http://a:b@h:1 (3 attempts) or https://c:d@e'),
      'Could not reach the endpoint http://a:***@h:1 (3 attempts) or https://c:***@e',
    );
  });

  it("blanks the connection's secrets, also URL-encoded, and anything shaped like a session token", () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
    assert.equal(redactSecrets(`signed with ${secret} and ${encodeURIComponent(secret)}`, [secret]), 'signed with *** and ***');
    const token = `IQoJb3JpZ2luX2VjE${'A'.repeat(300)}b3JpZ2lu==`;
    assert.equal(redactSecrets(`The security token ${token} is invalid.`), 'The security token *** is invalid.');
    assert.equal(redactSecrets('arn:aws:iam::123456789012:user/alice'), 'arn:aws:iam::123456789012:user/alice');
    const longestName = 'A1'.repeat(64); // a group or policy name may be 128 letters and digits
    assert.equal(redactSecrets(`The group ${longestName} cannot be found.`), `The group ${longestName} cannot be found.`);
    assert.equal(redactSecrets('short words stay', ['stay']), 'short words stay', 'a short value is no secret worth blanking words for');
  });

  it('keeps an error code an endpoint made up out of the log', () => {
    const odd = Object.assign(new Error('x'), { name: 'Weird', Code: 'Bad code with spaces and a token IQoJb3JpZ2lu', $metadata: { httpStatusCode: 400 } });
    assert.equal(describeIamError(odd, { operation: 'ListUsers', connection: facts }).code, 'Unrecognised');
  });
});

describe('credential_process', () => {
  it('takes Version 1 credentials and refuses what the AWS SDKs refuse', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    assert.deepEqual(
      checkProcessOutput('{"Version": 1, "AccessKeyId": "AKIA1", "SecretAccessKey": "s", "SessionToken": "t", "Expiration": "2026-06-01T01:00:00Z"}\n', now),
      {
        accessKeyId: 'AKIA1',
        secretAccessKey: 's',
        sessionToken: 't',
        expiration: new Date('2026-06-01T01:00:00Z'),
      },
    );
    assert.deepEqual(checkProcessOutput('', now), { reason: 'not-json', length: 0 });
    assert.deepEqual(checkProcessOutput('[1]', now), { reason: 'not-json', length: 3 });
    assert.deepEqual(checkProcessOutput('{"Version": 2, "AccessKeyId": "a", "SecretAccessKey": "s"}', now), { reason: 'wrong-version' });
    assert.deepEqual(checkProcessOutput('{"Version": 1, "AccessKeyId": "a"}', now), { reason: 'no-keys' });
    assert.deepEqual(checkProcessOutput('{"Version": 1, "AccessKeyId": "a", "SecretAccessKey": "s", "Expiration": "soon"}', now), { reason: 'bad-expiration' });
    assert.deepEqual(checkProcessOutput('{"Version": 1, "AccessKeyId": "a", "SecretAccessKey": "s", "Expiration": "2026-05-31T23:59:59Z"}', now), {
      reason: 'expired',
      expiration: '2026-05-31T23:59:59.000Z',
    });
  });

  it('runs the process only where the SDK would: the profile in effect, with no keys, role or web identity before it', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-credential-source-'));
    try {
      const config = path.join(folder, 'config');
      const credentials = path.join(folder, 'credentials');
      fs.writeFileSync(
        config,
        '[default]\ncredential_process = get-default\n[profile tool]\ncredential_process = get-creds --json\n' +
          '[profile role]\nrole_arn = arn:aws:iam::123456789012:role/R\nsource_profile = tool\ncredential_process = unused\n[profile keyed]\ncredential_process = unused\n',
      );
      fs.writeFileSync(credentials, '[keyed]\naws_access_key_id = AKIA1\naws_secret_access_key = s\n');
      const env = { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials };
      assert.deepEqual(await resolveCredentialSource('tool', env), { kind: 'process', profile: 'tool', command: 'get-creds --json' });
      assert.deepEqual(await resolveCredentialSource(undefined, { ...env, AWS_PROFILE: 'tool' }), {
        kind: 'process',
        profile: 'tool',
        command: 'get-creds --json',
      });
      assert.deepEqual(await resolveCredentialSource(undefined, env), { kind: 'process', profile: 'default', command: 'get-default' });
      assert.deepEqual(
        await resolveCredentialSource(undefined, { ...env, AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 's' }),
        { kind: 'sdk' },
        'keys in the environment come first',
      );
      assert.deepEqual(await resolveCredentialSource('role', env), { kind: 'sdk' }, 'a role profile is the SDK’s');
      assert.deepEqual(await resolveCredentialSource('keyed', env), { kind: 'sdk' }, 'static keys win over the process');
      assert.deepEqual(await resolveCredentialSource('nowhere', env), { kind: 'sdk' }, 'the SDK says what is missing');
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('gives a process 30 seconds by default', () => {
    assert.equal(DEFAULT_CREDENTIAL_PROCESS_TIMEOUT_MS, 30_000);
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
