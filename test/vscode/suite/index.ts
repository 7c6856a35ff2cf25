/**
 * Entry point of the suite that runs inside VS Code's extension host. VS Code loads this file
 * (extensionTestsPath) and awaits run(). Two runners load it:
 *  - test/vscode/extensionHost.test.ts (npm test): code-server, the packaged .vsix, loopback;
 *  - scripts/test-vscode-electron.mjs (npm run test:vscode): @vscode/test-electron, where
 *    VS Code can be downloaded.
 * The last line printed is RESULT_MARKER and the counts as JSON, which the first runner reads.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

const RESULT_MARKER = 'IAM-POLICY-SUITE-RESULT ';

export function run(): Promise<void> {
  // Files run in name order: activation, commands, diagnostics, quickFixes, settings.
  return runSuiteIn(__dirname);
}

/** Runs the `*.test.js` files of `folder` (this one, or restricted/ for the Restricted Mode suite). */
export function runSuiteIn(folder: string): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, reporter: 'spec', timeout: 30_000 });
  const files = fs
    .readdirSync(folder)
    .filter((name) => name.endsWith('.test.js'))
    .sort();
  for (const file of files) mocha.addFile(path.join(folder, file));
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const stats = runner.stats ?? { tests: 0, passes: 0, failures, pending: 0 };
        console.log(`${RESULT_MARKER}${JSON.stringify({ tests: stats.tests, passed: stats.passes, failed: stats.failures, pending: stats.pending })}`);
        if (failures > 0) reject(new Error(`${failures} of ${stats.tests} tests failed.`));
        else if (stats.passes === 0) reject(new Error('No test ran.'));
        else resolve();
      });
    } catch (error) {
      console.error(error);
      reject(error);
    }
  });
}
