#!/usr/bin/env node
// `npm start`: the extension in a real VS Code on a copy of samples/, with a local IAM (moto)
// as the push commands' endpoint, so every command can be tried without an AWS account.
//
//   node scripts/start.mjs                 VS Code (`code` on the PATH) or else code-server
//   node scripts/start.mjs --code-server   code-server even when `code` is there
//   node scripts/start.mjs --check         start everything, check it answers, stop (for the tests)
//
// `npm start` runs scripts/prerequisites.mjs first (what the machine needs, checked in well under
// a second, installed as root on Debian), then `npm run build`, then this.
//
// What it starts, and stops again on Ctrl+C (or when the VS Code window closes):
//   - moto on 127.0.0.1 (test/support/moto.ts, which makes its Python environment, .venv, on
//     first use), seeded with a few users, groups, roles and a managed policy;
//   - a copy of samples/ in a temporary folder, whose .vscode/settings.json points
//     iamPolicy.aws.endpoint at moto;
//   - the editor, with an AWS setup of its own: config and credentials files made for the
//     session (profiles `default` and `auditor`, fake keys), nothing of the machine's AWS_*
//     variables, and AWS_ENDPOINT_URL_IAM/_STS at moto too, so that even with the endpoint
//     setting cleared no request leaves this machine.
//     `code`: --extensionDevelopmentPath=<this repository>, its own user data and extensions
//     folders (a separate instance, so it gets this environment), workspace trust off.
//     code-server: test/vscode/support/codeServer.ts (installed into a cache folder on first
//     use, while moto's environment is made), the working tree linked in as the extension, on
//     127.0.0.1; the address is printed.
// It runs what `npm run build` made (dist/ and out/): `npm start` builds first.
import { createRequire } from 'node:module';
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CODE_SERVER_VERSION, codeServerDir, isInstalled } from './install-code-server.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const run = promisify(execFile);

const ACCOUNT = '123456789012';
const FAKE_KEYS = { id: 'AKIAIOSFODNN7TRYITOUT', secret: 'fake-secret-for-npm-start-0123456789abcdef' };
const AUDITOR_KEYS = { id: 'AKIAIOSFODNN7AUDITOR', secret: 'fake-secret-for-the-auditor-profile-0123456' };
const STOP_DEADLINE_MS = 20_000;

const args = process.argv.slice(2);
const unknown = args.filter((arg) => !['--check', '--code-server', '--help', '-h'].includes(arg));
if (args.includes('--help') || args.includes('-h') || unknown.length > 0) {
  if (unknown.length > 0) console.error(`Unknown option: ${unknown.join(' ')}`);
  console.log('Usage: node scripts/start.mjs [--code-server] [--check]   (npm start -- --code-server)');
  process.exit(unknown.length > 0 ? 2 : 0);
}
const CHECK = args.includes('--check');
// The AWS SDK's notice that its releases after January 2027 need Node 22 does not concern the
// release locked here (README, "Node.js versions"): its own switch for that one warning.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const FORCE_CODE_SERVER = args.includes('--code-server') || CHECK;

/** What `npm run build` makes and this script runs. */
function requireBuilt(relative) {
  const file = path.join(REPO, relative);
  if (!fs.existsSync(file)) {
    console.error(`${relative} is missing: run \`npm run build\` first (\`npm start\` does).`);
    process.exit(1);
  }
  return require(file);
}

const { startMoto } = requireBuilt('out/test/support/moto.js');
const { startCodeServer, ensureCodeServer } = requireBuilt('out/test/vscode/support/codeServer.js');
const { EXTENSION_ID, EXTENSION_FOLDER_NAME } = requireBuilt('out/test/vscode/support/paths.js');
if (!fs.existsSync(path.join(REPO, 'dist', 'client', 'extension.js'))) {
  console.error('dist/client/extension.js is missing: run `npm run build` first (`npm start` does).');
  process.exit(1);
}
const iamSdk = require('@aws-sdk/client-iam');
const { STSClient, GetCallerIdentityCommand } = require('@aws-sdk/client-sts');

/** Everything started, for stopping. */
const state = { moto: undefined, codeServer: undefined, code: undefined, temp: undefined, stopping: undefined };

async function stopAll(exitCode) {
  state.stopping ??= (async () => {
    // Bounded: if anything hangs, leave anyway (moto also exits when our pipe to it closes).
    setTimeout(() => process.exit(exitCode === 0 ? 1 : exitCode), STOP_DEADLINE_MS).unref();
    if (!CHECK) console.log('\nStopping…');
    if (state.code !== undefined && state.code.exitCode === null) state.code.kill('SIGTERM');
    await Promise.allSettled([state.codeServer?.stop(), state.moto?.stop()]);
    if (state.temp !== undefined) fs.rmSync(state.temp, { recursive: true, force: true });
    if (!CHECK) console.log('Stopped moto and the editor.');
    process.exit(exitCode);
  })();
  return state.stopping;
}

process.on('SIGINT', () => void stopAll(130));
process.on('SIGTERM', () => void stopAll(143));

/** A local account worth trying the commands on. */
async function seed(endpoint) {
  const iam = new iamSdk.IAMClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: FAKE_KEYS.id, secretAccessKey: FAKE_KEYS.secret },
    maxAttempts: 1,
  });
  const trust = (service) =>
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });
  try {
    for (const [UserName, Path] of [
      ['alice', '/engineering/'],
      ['bob', '/'],
      ['ci-deployer', '/automation/'],
    ]) {
      await iam.send(new iamSdk.CreateUserCommand({ UserName, Path }));
    }
    for (const GroupName of ['Developers', 'Auditors']) await iam.send(new iamSdk.CreateGroupCommand({ GroupName }));
    await iam.send(new iamSdk.AddUserToGroupCommand({ GroupName: 'Developers', UserName: 'alice' }));
    await iam.send(new iamSdk.CreateRoleCommand({ RoleName: 'ReportReader', AssumeRolePolicyDocument: trust('ec2.amazonaws.com') }));
    await iam.send(
      new iamSdk.CreateRoleCommand({ RoleName: 'ReportsFunction', Path: '/service-role/', AssumeRolePolicyDocument: trust('lambda.amazonaws.com') }),
    );
    const boundary = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'DeveloperServices', Effect: 'Allow', Action: ['s3:*', 'lambda:*', 'logs:*', 'cloudwatch:*'], Resource: '*' },
        { Sid: 'NoIdentityChanges', Effect: 'Deny', Action: ['iam:*', 'organizations:*'], Resource: '*' },
      ],
    };
    await iam.send(
      new iamSdk.CreatePolicyCommand({
        PolicyName: 'DeveloperBoundary',
        PolicyDocument: JSON.stringify(boundary, null, 2),
        Description: 'Caps what developers may grant themselves',
      }),
    );
    // An older read-reports on bob: pushing samples/read-reports.iam.json to bob shows the diff.
    const older = {
      Version: '2012-10-17',
      Statement: [{ Sid: 'ReadTheReports', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::example-reports/*' }],
    };
    await iam.send(new iamSdk.PutUserPolicyCommand({ UserName: 'bob', PolicyName: 'read-reports', PolicyDocument: JSON.stringify(older, null, 2) }));
  } finally {
    iam.destroy();
  }
}

/** The AWS files and variables the editor gets: made for the session, never the machine's own. */
function awsSetup(dir, endpoint) {
  fs.mkdirSync(dir, { recursive: true });
  const config = path.join(dir, 'config');
  const credentials = path.join(dir, 'credentials');
  fs.writeFileSync(config, '[default]\nregion = us-east-1\n\n[profile auditor]\nregion = us-east-1\n');
  fs.writeFileSync(
    credentials,
    `[default]\naws_access_key_id = ${FAKE_KEYS.id}\naws_secret_access_key = ${FAKE_KEYS.secret}\n\n` +
      `[auditor]\naws_access_key_id = ${AUDITOR_KEYS.id}\naws_secret_access_key = ${AUDITOR_KEYS.secret}\n`,
  );
  return {
    AWS_CONFIG_FILE: config,
    AWS_SHARED_CREDENTIALS_FILE: credentials,
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_IAM: endpoint,
    AWS_ENDPOINT_URL_STS: endpoint,
  };
}

/** The samples, copied so the editor's edits never touch the repository, with the endpoint set. */
function workspaceCopy(dir, endpoint) {
  fs.cpSync(path.join(REPO, 'samples'), dir, { recursive: true });
  fs.mkdirSync(path.join(dir, '.vscode'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, '.vscode', 'settings.json'),
    `${JSON.stringify({ 'iamPolicy.aws.endpoint': endpoint, 'iamPolicy.aws.region': 'us-east-1', 'iamPolicy.aws.profile': '' }, null, 2)}\n`,
  );
  return dir;
}

/** `code` on the PATH, if any. */
function findCode() {
  const names = process.platform === 'win32' ? ['code.cmd', 'code.exe'] : ['code'];
  for (const folder of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const name of names) {
      const candidate = path.join(folder, name);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** The environment of the editor: ours, without the machine's AWS_* variables. */
function editorEnvironment(aws) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('AWS_')) env[key] = value;
  return { ...env, ...aws };
}

async function openInCode(code, workspace, aws) {
  const profile = path.join(state.temp, 'vscode');
  fs.mkdirSync(path.join(profile, 'user-data', 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(profile, 'user-data', 'User', 'settings.json'),
    `${JSON.stringify({ 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'extensions.ignoreRecommendations': true }, null, 2)}\n`,
  );
  const child = spawn(
    code,
    [
      '--new-window',
      '--wait',
      '--disable-workspace-trust',
      '--user-data-dir',
      path.join(profile, 'user-data'),
      '--extensions-dir',
      path.join(profile, 'extensions'),
      `--extensionDevelopmentPath=${REPO}`,
      workspace,
      path.join(workspace, 'read-reports.iam.json'),
    ],
    { env: editorEnvironment(aws), stdio: 'inherit' },
  );
  state.code = child;
  child.on('exit', () => void stopAll(0));
  child.on('error', (error) => {
    console.error(`Could not run ${code}: ${error.message}`);
    void stopAll(1);
  });
  console.log('VS Code is opening (an Extension Development Host window). Close it, or press Ctrl+C here, to stop.');
}

async function check(moto, server) {
  const failures = [];
  const ok = (line) => console.log(`ok   ${line}`);
  const fail = (line) => {
    failures.push(line);
    console.log(`FAIL ${line}`);
  };
  // moto answers as IAM and STS, with the seeded account.
  const credentials = { accessKeyId: FAKE_KEYS.id, secretAccessKey: FAKE_KEYS.secret };
  const iam = new iamSdk.IAMClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials, maxAttempts: 1 });
  const sts = new STSClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials, maxAttempts: 1 });
  try {
    const users = ((await iam.send(new iamSdk.ListUsersCommand({}))).Users ?? []).map((user) => user.UserName).sort();
    const account = (await sts.send(new GetCallerIdentityCommand({}))).Account;
    if (users.join(',') === 'alice,bob,ci-deployer' && account === ACCOUNT)
      ok(`moto answers at ${moto.endpoint}: account ${account}, users ${users.join(', ')}`);
    else fail(`moto at ${moto.endpoint} has users ${users.join(', ')} in account ${account}`);
  } catch (error) {
    fail(`moto at ${moto.endpoint} does not answer: ${error.message}`);
  } finally {
    iam.destroy();
    sts.destroy();
  }
  // code-server serves the workbench page.
  try {
    const response = await fetch(server.workbenchUrl(), { signal: AbortSignal.timeout(10_000) });
    const html = await response.text();
    if (response.status === 200 && html.includes('vscode-workbench-web-configuration')) ok(`code-server serves the workbench at ${server.url}`);
    else fail(`code-server at ${server.url} answered ${response.status} without the workbench`);
  } catch (error) {
    fail(`code-server at ${server.url} does not answer: ${error.message}`);
  }
  // The extension is installed: code-server lists it, and it is this working tree.
  try {
    const { stdout } = await run(
      process.execPath,
      [
        server.install.entry,
        '--config',
        path.join(server.runDir, 'code-server.yaml'),
        '--user-data-dir',
        server.userDataDir,
        '--extensions-dir',
        server.extensionsDir,
        '--list-extensions',
        '--show-versions',
      ],
      {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: path.join(server.runDir, 'home'),
          XDG_CONFIG_HOME: path.join(server.runDir, 'xdg', 'config'),
          XDG_DATA_HOME: path.join(server.runDir, 'xdg', 'data'),
          XDG_CACHE_HOME: path.join(server.runDir, 'xdg', 'cache'),
        },
        timeout: 60_000,
      },
    );
    const listed = stdout.split('\n').find((line) => line.startsWith(`${EXTENSION_ID}@`));
    const linked = fs.realpathSync(path.join(server.extensionsDir, EXTENSION_FOLDER_NAME)) === fs.realpathSync(REPO);
    if (listed !== undefined && linked) ok(`the extension is installed: ${listed} -> ${REPO}`);
    else fail(`code-server --list-extensions does not list ${EXTENSION_ID} from this repository:\n${stdout}`);
  } catch (error) {
    fail(`code-server --list-extensions failed: ${error.message}`);
  }
  // The workspace points the push commands at moto.
  const settings = JSON.parse(fs.readFileSync(path.join(server.workspace, '.vscode', 'settings.json'), 'utf8'));
  if (settings['iamPolicy.aws.endpoint'] === moto.endpoint) ok(`the workspace copy's settings point iamPolicy.aws.endpoint at moto (${server.workspace})`);
  else fail(`the workspace settings have iamPolicy.aws.endpoint ${settings['iamPolicy.aws.endpoint']}`);
  return failures;
}

async function main() {
  state.temp = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-policy-try-'));
  const code = FORCE_CODE_SERVER ? undefined : findCode();
  // The two first-run installs (code-server, moto's Python environment) go side by side.
  let codeServerInstall;
  if (code === undefined && !isInstalled()) {
    console.log(`Installing code-server ${CODE_SERVER_VERSION} (VS Code in the browser) into ${codeServerDir()}: first run only, a minute or two…`);
    codeServerInstall = ensureCodeServer().then(
      (install) => console.log(`Installed code-server in ${install.seconds} s.`),
      (error) => error,
    );
  }
  console.log('Starting moto, a local IAM (the first run installs it into a Python environment, .venv: about half a minute)…');
  state.moto = await startMoto();
  const moto = state.moto;
  await seed(moto.endpoint);
  const aws = awsSetup(path.join(state.temp, 'aws'), moto.endpoint);
  const workspace = workspaceCopy(path.join(state.temp, 'workspace'), moto.endpoint);

  if (code !== undefined) {
    summary(moto, workspace);
    await openInCode(code, workspace, aws);
    return;
  }
  const installFailure = await codeServerInstall;
  if (installFailure !== undefined) throw installFailure;
  if (!CHECK) console.log('Starting code-server…');
  state.codeServer = await startCodeServer({ name: CHECK ? 'start-check' : 'start', workspace, extensionPath: REPO, env: aws });
  const server = state.codeServer;
  if (CHECK) {
    const failures = await check(moto, server);
    await stopAll(failures.length === 0 ? 0 : 1);
    return;
  }
  summary(moto, workspace);
  console.log(`\nOpen this in a browser:\n\n    ${server.workbenchUrl()}\n`);
  console.log(`code-server's log: ${server.logFile}`);
  console.log('Press Ctrl+C to stop moto and code-server.');
}

function summary(moto, workspace) {
  console.log(`
moto (local IAM):  ${moto.endpoint}   account ${ACCOUNT}
                   users alice, bob, ci-deployer; groups Developers, Auditors;
                   roles ReportReader, ReportsFunction; managed policy DeveloperBoundary
workspace:         ${workspace}   (a copy of samples/, see its README.md)
Try: open read-reports.iam.json, then the cloud button in the editor title, or right-click > IAM Policy,
or the command palette: "IAM Policy: Push Policy to IAM User…", "Set Permissions Boundary of IAM User…".`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : String(error));
  void stopAll(1);
});
