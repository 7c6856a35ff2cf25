/**
 * Keeps the IAM tests away from the machine's real AWS setup: the SDK reads its config and
 * credentials files from a fresh temporary folder (so ~/.aws is never read: nothing in those
 * files points to an SSO cache or another file), static fake keys come from the environment
 * (moto accepts any), and the instance metadata service is switched off so a failed credential
 * lookup never reaches 169.254.169.254. HOME is left alone: pip needs its own configuration.
 *
 * Call `isolateAwsEnvironment()` at the top of a test file, before any SDK client exists.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Variables that could point the SDK at real credentials or another endpoint. */
const CLEARED = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_IAM',
  'AWS_ENDPOINT_URL_STS',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_SDK_LOAD_CONFIG',
];

export const FAKE_ACCESS_KEY_ID = 'AKIAIOSFODNN7TESTING';
export const FAKE_SECRET_ACCESS_KEY = 'fake-secret-never-logged-0123456789abcdef';

export interface AwsTestEnvironment {
  /** The temporary folder holding `config` and `credentials`. */
  readonly directory: string;
  readonly configFile: string;
  readonly credentialsFile: string;
  /** Adds a profile with static keys to the credentials file. */
  addProfile(name: string, keys: { accessKeyId: string; secretAccessKey: string }): void;
  /** Runs `body` with no keys in the environment (so only profiles count), then puts them back. */
  withoutEnvironmentKeys<T>(body: () => Promise<T>): Promise<T>;
}

export function isolateAwsEnvironment(): AwsTestEnvironment {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-tests-aws-'));
  const configFile = path.join(directory, 'config');
  const credentialsFile = path.join(directory, 'credentials');
  fs.writeFileSync(configFile, '');
  fs.writeFileSync(credentialsFile, '');
  for (const name of CLEARED) delete process.env[name];
  process.env.AWS_CONFIG_FILE = configFile;
  process.env.AWS_SHARED_CREDENTIALS_FILE = credentialsFile;
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  process.env.AWS_ACCESS_KEY_ID = FAKE_ACCESS_KEY_ID;
  process.env.AWS_SECRET_ACCESS_KEY = FAKE_SECRET_ACCESS_KEY;
  process.on('exit', () => fs.rmSync(directory, { recursive: true, force: true }));

  return {
    directory,
    configFile,
    credentialsFile,
    addProfile(name, keys) {
      fs.appendFileSync(credentialsFile, `[${name}]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`);
    },
    async withoutEnvironmentKeys(body) {
      const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
      delete process.env.AWS_ACCESS_KEY_ID;
      delete process.env.AWS_SECRET_ACCESS_KEY;
      try {
        return await body();
      } finally {
        if (saved.id !== undefined) process.env.AWS_ACCESS_KEY_ID = saved.id;
        if (saved.secret !== undefined) process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
      }
    },
  };
}
