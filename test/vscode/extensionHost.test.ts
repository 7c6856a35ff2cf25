/**
 * The mocha suite of test/vscode/suite, run inside a real VS Code's extension host against the
 * packaged extension: the .vsix is installed into a fresh code-server, and the workbench page
 * loads the suite through its URL payload (see support/extensionHost.ts). Fails with the suite's
 * output when any of its tests fails, and when fewer tests passed than the suite has.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { launchBrowser, requireChromium, type Browser } from './support/browser';
import { describeTimings, startCodeServer, type CodeServer } from './support/codeServer';
import { runSuiteInExtensionHost } from './support/extensionHost';
import { SUITE_INDEX } from './support/paths';
import { ensureVsix } from './support/vsix';

/** The suite's tests (test/vscode/suite/*.test.ts). Update when adding one. */
const SUITE_TESTS = 36;

describe('the extension inside VS Code (code-server 4.100.3, extension host)', () => {
  let server: CodeServer | undefined;
  let browser: Browser | undefined;

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it(`runs the suite against the installed .vsix and all ${SUITE_TESTS} of its tests pass`, async (t) => {
    // Setup inside the test: a missing Chromium or code-server fails it, with the reason.
    requireChromium();
    if (!fs.existsSync(SUITE_INDEX)) throw new Error(`${SUITE_INDEX} is missing: run \`npm run build\` (tsc -b builds test/vscode/suite).`);
    const vsix = await ensureVsix();
    server = await startCodeServer({ name: 'extension-host', vsix: vsix.path });
    t.diagnostic(
      `${vsix.packaged ? 'packaged' : 'reused'} ${path.basename(vsix.path)} (${vsix.sizeBytes} bytes) in ${vsix.seconds.toFixed(1)} s; ${describeTimings(server)}`,
    );
    browser = await launchBrowser(path.join(server.runDir, 'chromium'));
    assert.ok(server.installedExtension !== undefined);
    const run = await runSuiteInExtensionHost(browser.page, server, {
      extensionDevelopmentPath: server.installedExtension,
      extensionTestsPath: SUITE_INDEX,
      timeoutMs: 150_000,
    });
    fs.writeFileSync(path.join(server.runDir, 'suite-output.txt'), run.output);
    t.diagnostic(`suite: ${JSON.stringify(run.counts)} in ${run.seconds.toFixed(1)} s (output: ${path.join(server.runDir, 'suite-output.txt')})`);
    const report = `exit code ${run.exitCode}, ${JSON.stringify(run.counts)} in ${run.seconds.toFixed(1)} s\n--- suite output ---\n${run.output}`;
    assert.ok(run.counts !== undefined, `the suite printed no result line; ${report}\n--- code-server log ---\n${server.logTail()}`);
    assert.equal(run.counts.failed, 0, report);
    assert.equal(run.exitCode, 0, report);
    assert.equal(run.counts.passed, SUITE_TESTS, `expected ${SUITE_TESTS} passing tests; ${report}`);
    assert.ok(run.output.includes(`Extension under test: ${server.installedExtension} (`), `the suite ran against another copy of the extension; ${report}`);
    // VS Code 1.100's Node is 20, which the bundled AWS SDK supports: its notice about later
    // releases needing Node 22 is not printed (README, "Node.js versions"); other warnings are.
    assert.doesNotMatch(run.output, /NodeVersionSupportWarning/, report);
  });
});
