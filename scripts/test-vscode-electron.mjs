#!/usr/bin/env node
// `npm run test:vscode`: the extension-host suite (test/vscode/suite, compiled to
// out/vscode-suite) in a desktop VS Code that @vscode/test-electron downloads. For machines that
// can reach VS Code's download site: on these machines `npm test` runs the same suite in
// code-server instead (test/vscode/extensionHost.test.ts).
//
// The extension runs from this folder (extensionDevelopmentPath), so build first (the npm script
// does). On Linux without a display, run it under xvfb-run. VSCODE_TEST_VERSION picks the
// VS Code version: by default the oldest that engines.vscode accepts, 1.100.3.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const suite = path.join(root, 'out', 'vscode-suite', 'index.js');
if (!fs.existsSync(suite)) {
  console.error(`${suite} is missing: run \`npm run build\` first.`);
  process.exit(1);
}

// The suite edits, saves and renames files: give it a copy of the workspace fixtures.
const run = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-policy-vscode-'));
const workspace = path.join(run, 'workspace');
fs.cpSync(path.join(root, 'test', 'vscode', 'workspace'), workspace, { recursive: true });

try {
  await runTests({
    version: process.env.VSCODE_TEST_VERSION ?? '1.100.3',
    extensionDevelopmentPath: root,
    extensionTestsPath: suite,
    launchArgs: [
      workspace,
      '--disable-extensions', // only the extension under development
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      `--user-data-dir=${path.join(run, 'user-data')}`,
    ],
  });
  fs.rmSync(run, { recursive: true, force: true });
} catch (error) {
  console.error(`The VS Code suite failed (workspace and profile kept in ${run}): ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
