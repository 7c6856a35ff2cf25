import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { describeProfile, parseProfileSections, profilesFromFiles, readAwsProfiles, sharedFilePaths } from '../../client/src/aws';

const CONFIG = `
# a comment
[default]
region = eu-west-1

[profile dev]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Developer

[profile   admin  ] ; spaces around the name
role_arn = arn:aws:iam::123456789012:role/Admin
source_profile = default

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start

[services local]
iam =
  endpoint_url = http://127.0.0.1:5000

[not-a-profile-without-prefix]
region = us-east-1

[profile tool]
credential_process = /usr/local/bin/get-creds --json
`;

const CREDENTIALS = `
[default]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY

; another comment
[ci]
aws_access_key_id=AKIAI44QH8DHBEXAMPLE
aws_secret_access_key=je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY
`;

describe('AWS profiles from the shared files', () => {
  it('reads [default] and [profile NAME] from the config file, and skips sso-session, services and unprefixed sections', () => {
    assert.deepEqual([...parseProfileSections(CONFIG, 'config').keys()], ['default', 'dev', 'admin', 'tool']);
  });

  it('reads every section of the credentials file as a profile', () => {
    assert.deepEqual([...parseProfileSections(CREDENTIALS, 'credentials').keys()], ['default', 'ci']);
  });

  it('merges both files, default first, and says how each profile signs in', () => {
    const profiles = profilesFromFiles(CONFIG, CREDENTIALS);
    assert.deepEqual(
      profiles.map((profile) => [profile.name, profile.files.join('+'), profile.kind]),
      [
        ['default', 'config+credentials', 'keys'],
        ['admin', 'config', 'role'],
        ['ci', 'credentials', 'keys'],
        ['dev', 'config', 'sso'],
        ['tool', 'config', 'process'],
      ],
    );
    assert.equal(describeProfile(profiles[3]), 'config · IAM Identity Center (SSO)');
  });

  it('keeps key names only, never values', () => {
    const keys = parseProfileSections(CREDENTIALS, 'credentials').get('default');
    assert.deepEqual([...(keys ?? [])], ['aws_access_key_id', 'aws_secret_access_key']);
    assert.doesNotMatch(JSON.stringify(profilesFromFiles(CONFIG, CREDENTIALS)), /AKIA|wJalr|get-creds|123456789012/);
  });

  it('takes comments, CRLF line ends and quoted names as the SDK does', () => {
    const text = '[profile "quoted"]\r\nregion = x\r\n# [profile commented]\r\n[profile b] # trailing\r\nregion = y\r\n';
    assert.deepEqual([...parseProfileSections(text, 'config').keys()], ['quoted', 'b']);
  });

  it('finds the files where the SDK does: AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, else ~/.aws', () => {
    assert.deepEqual(sharedFilePaths({}, '/home/u'), { config: '/home/u/.aws/config', credentials: '/home/u/.aws/credentials' });
    assert.deepEqual(sharedFilePaths({ AWS_CONFIG_FILE: '~/cfg', AWS_SHARED_CREDENTIALS_FILE: '/etc/creds' }, '/home/u'), {
      config: '/home/u/cfg',
      credentials: '/etc/creds',
    });
  });

  it('reads the files from disk; missing files are empty, not an error', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-profiles-'));
    try {
      fs.writeFileSync(path.join(dir, 'config'), CONFIG);
      const listing = await readAwsProfiles({ AWS_CONFIG_FILE: path.join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'missing') }, dir);
      assert.deepEqual(
        listing.profiles.map((profile) => profile.name),
        ['default', 'admin', 'dev', 'tool'],
      );
      assert.deepEqual(listing.unreadable, []);
      const none = await readAwsProfiles({}, path.join(dir, 'no-home'));
      assert.deepEqual(none.profiles, []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
