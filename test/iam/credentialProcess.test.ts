/**
 * Profiles whose credentials come from a `credential_process`, against moto: a process that
 * works signs real requests; one that prints bad JSON, expired credentials, exits non-zero or
 * hangs is reported as what it did (with its stderr's first line), not as a missing profile,
 * and a hung one is stopped after the time limit. The processes are small Node scripts
 * written into the test's AWS config folder.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createIamConnection, getCallerIdentity, listUsers, type IamConnectionOptions } from '../../client/src/aws';
import { isolateAwsEnvironment } from '../support/awsEnvironment';
import { failsWith, SETUP, TEST } from '../support/iamTesting';
import { startMoto, type MotoServer } from '../support/moto';

const aws = isolateAwsEnvironment();
let moto: MotoServer | undefined;

before(async () => {
  moto = await startMoto({ awsManagedPolicies: false });
}, SETUP);

after(async () => {
  await moto?.stop();
});

/** A `[profile NAME]` in the config file whose credential_process runs `source` with Node. */
function processProfile(name: string, source: string): void {
  const script = path.join(aws.directory, `${name}.js`);
  fs.writeFileSync(script, source);
  fs.appendFileSync(aws.configFile, `[profile ${name}]\ncredential_process = "${process.execPath}" "${script}"\n`);
}

const VALID = `process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: 'AKIAPROCESSEXAMPLE01', SecretAccessKey: 'process-secret-0123456789abcdefghij', Expiration: new Date(Date.now() + 3600e3).toISOString() }));`;

processProfile('works', VALID);
processProfile('not-json', `process.stdout.write('Password:'); process.stderr.write('warning: no terminal\\n');`);
processProfile(
  'expired',
  `process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: 'AKIAPROCESSEXAMPLE01', SecretAccessKey: 's', Expiration: '2020-01-01T00:00:00Z' }));`,
);
processProfile('exits', `process.stderr.write('\\nerror: the sign-in session has ended, run "corp-login"\\nat line 2\\n'); process.exit(3);`);
processProfile('no-version', `process.stdout.write(JSON.stringify({ AccessKeyId: 'AKIAPROCESSEXAMPLE01', SecretAccessKey: 's' }));`);
const PID_FILE = path.join(aws.directory, 'hangs.pid');
processProfile(
  'hangs',
  `require('fs').writeFileSync(${JSON.stringify(PID_FILE)}, String(process.pid)); process.stderr.write('Open https://sso.example.com/device to sign in\\n'); setInterval(() => {}, 1000);`,
);

/** With only the profile's credentials: the environment's keys would otherwise not matter, but keep it plain. */
async function connect<T>(
  profile: string,
  body: (connection: ReturnType<typeof createIamConnection>) => Promise<T>,
  options: IamConnectionOptions = {},
): Promise<T> {
  const connection = createIamConnection({ endpoint: moto!.endpoint, profile }, { maxAttempts: 1, ...options });
  try {
    return await aws.withoutEnvironmentKeys(() => body(connection));
  } finally {
    connection.dispose();
  }
}

/** Whether `pid` runs: a killed process waiting to be reaped (a zombie, state Z) does not. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

const FIX = 'Run it in a terminal to see what it does, fix it in the AWS config file, or choose another profile in the iamPolicy.aws.profile setting.';

describe('credential_process', () => {
  it('a process that prints credentials signs the requests', TEST, async () => {
    const users = await connect('works', (connection) => listUsers(connection));
    assert.ok(Array.isArray(users));
    const identity = await connect('works', (connection) => getCallerIdentity(connection));
    assert.equal(identity.account, '123456789012');
  });

  it('output that is not JSON: says so, with stderr, never the output itself', TEST, async () => {
    const error = await connect('not-json', (connection) => failsWith('credential-process', () => listUsers(connection)));
    assert.equal(
      error.message,
      `The credential_process of the AWS profile "not-json" printed 9 characters that are not JSON credentials on stdout (it printed on stderr: "warning: no terminal"). ${FIX}`,
    );
  });

  it('expired credentials: says when they expired', TEST, async () => {
    const error = await connect('expired', (connection) => failsWith('credential-process', () => listUsers(connection)));
    assert.match(
      error.message,
      /^The credential_process of the AWS profile "expired" returned credentials that expired at 2020-01-01T00:00:00\.000Z\. Renew what it reads from/,
    );
  });

  it('a non-zero exit: the exit code and the first line of stderr', TEST, async () => {
    const error = await connect('exits', (connection) => failsWith('credential-process', () => listUsers(connection)));
    assert.equal(
      error.message,
      `The credential_process of the AWS profile "exits" failed: it exited with code 3 and it printed on stderr: "error: the sign-in session has ended, run "corp-login"". ${FIX}`,
    );
    assert.doesNotMatch(error.message, /not in the AWS config or credentials file/);
  });

  it('JSON without "Version": 1 is refused, as the AWS SDKs do', TEST, async () => {
    const error = await connect('no-version', (connection) => failsWith('credential-process', () => listUsers(connection)));
    assert.match(error.message, /printed JSON without "Version": 1/);
  });

  it('a process that hangs is stopped after the time limit, and said to be', TEST, async () => {
    const started = Date.now();
    const error = await connect('hangs', (connection) => failsWith('credential-process', () => listUsers(connection)), { credentialProcessTimeoutMs: 1_000 });
    const elapsed = Date.now() - started;
    assert.equal(
      error.message,
      `The credential_process of the AWS profile "hangs" did not finish within 1 second and was stopped (it printed on stderr: "Open https://sso.example.com/device to sign in"). It may be waiting for a sign-in or a prompt it cannot get here. ${FIX}`,
    );
    assert.ok(elapsed < 5_000, `took ${elapsed} ms`);
    const pid = Number(fs.readFileSync(PID_FILE, 'utf8'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(isRunning(pid), false, 'the process was killed');
  });
});
