/**
 * What a person sees: the packaged .vsix installed into a fresh code-server profile, a
 * workspace of policy files, and the workbench driven through Chromium. Each step leaves a
 * screenshot in .test-runs/screenshots/ (kept after the run, git-ignored).
 *
 * The steps share one workbench and run in order; a failed step fails the ones after it
 * (they say so). To add steps (the push-to-IAM commands, say), add `step(...)` calls at the
 * marked place at the end: each gets the session, whose `workbench` has runCommand, pick,
 * answer and notifications.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetPolicyCommand,
  GetUserCommand,
  ListAttachedUserPoliciesCommand,
  ListPolicyVersionsCommand,
  ListUserPoliciesCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { FAKE_ACCESS_KEY_ID, FAKE_SECRET_ACCESS_KEY } from '../support/awsEnvironment';
import { EC2_TRUST_POLICY, adminClient, identityPolicy, storedDocument } from '../support/iamTesting';
import { startMoto, type MotoServer } from '../support/moto';
import { launchBrowser, requireChromium, type Browser } from './support/browser';
import { describeTimings, startCodeServer, type CodeServer } from './support/codeServer';
import { SCREENSHOTS, freshRunDir } from './support/paths';
import { ensureVsix } from './support/vsix';
import { visibleWebview } from './support/webview';
import { SELECTORS, Workbench } from './support/workbench';

const CURLY_FILE = 'curly-quotes.iam.json';
const LEFT_QUOTE_FIX = 'Replace U+201C LEFT DOUBLE QUOTATION MARK with "';
const PUSH_FILE = 'read-reports.iam.json';
const BROKEN_FILE = 'json-comment.iam.json';
const GRANTS_FILE = 'deploy.iam.json';
/** S3 read actions for a policy longer than the diff editor is high. */
const MANY_READ_ACTIONS = [
  's3:GetObjectVersion',
  's3:GetObjectAcl',
  's3:GetObjectTagging',
  's3:GetObjectAttributes',
  's3:GetObjectLegalHold',
  's3:GetObjectRetention',
  's3:GetObjectTorrent',
  's3:GetObjectVersionAcl',
  's3:GetObjectVersionAttributes',
  's3:GetObjectVersionTagging',
  's3:GetObjectVersionTorrent',
  's3:GetBucketLocation',
  's3:GetBucketPolicy',
  's3:GetBucketTagging',
  's3:GetBucketVersioning',
  's3:GetBucketAcl',
  's3:GetBucketCORS',
  's3:GetBucketLogging',
  's3:GetBucketWebsite',
  's3:GetEncryptionConfiguration',
  's3:GetLifecycleConfiguration',
  's3:GetReplicationConfiguration',
  's3:ListBucket',
  's3:ListBucketVersions',
  's3:ListBucketMultipartUploads',
  's3:ListMultipartUploadParts',
];
/** moto's account. */
const ACCOUNT = '123456789012';
const BOUNDARY_ARN = `arn:aws:iam::${ACCOUNT}:policy/DeveloperBoundary`;
/** The managed policy the round-trip steps create from alice's inline policy. */
const CREATED_POLICY = 'ReportReaders';
const CREATED_ARN = `arn:aws:iam::${ACCOUNT}:policy/${CREATED_POLICY}`;

/** The account the push steps work in: users (one with a path), a group, a role, a boundary policy. */
async function seedIam(iam: IAMClient): Promise<void> {
  await iam.send(new CreateUserCommand({ UserName: 'alice', Path: '/engineering/' }));
  await iam.send(new CreateUserCommand({ UserName: 'bob' }));
  await iam.send(new CreateUserCommand({ UserName: 'carol', Path: '/contractors/' }));
  await iam.send(new CreateGroupCommand({ GroupName: 'Developers' }));
  await iam.send(new CreateRoleCommand({ RoleName: 'ReportReader', AssumeRolePolicyDocument: EC2_TRUST_POLICY }));
  await iam.send(new CreatePolicyCommand({ PolicyName: 'DeveloperBoundary', PolicyDocument: identityPolicy('boundary', 's3:*') }));
}

/**
 * The AWS setup code-server (and so the extension host) gets: fake keys in the environment,
 * and config and credentials files of its own (with one more profile, for the profile pick).
 */
function awsEnvironment(): Record<string, string> {
  const dir = freshRunDir('ui-aws');
  const config = path.join(dir, 'config');
  const credentials = path.join(dir, 'credentials');
  fs.writeFileSync(config, '[default]\nregion = us-east-1\n\n[profile auditor]\nregion = us-east-1\n');
  fs.writeFileSync(credentials, `[auditor]\naws_access_key_id = AKIAAUDITOR000000000\naws_secret_access_key = ${FAKE_SECRET_ACCESS_KEY}\n`);
  return {
    AWS_ACCESS_KEY_ID: FAKE_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: FAKE_SECRET_ACCESS_KEY,
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: config,
    AWS_SHARED_CREDENTIALS_FILE: credentials,
  };
}

async function userPolicy(iam: IAMClient, userName: string, policyName: string): Promise<string> {
  return storedDocument(iam, { kind: 'user', name: userName }, policyName);
}

async function userPolicyNames(iam: IAMClient, userName: string): Promise<string[]> {
  return (await iam.send(new ListUserPoliciesCommand({ UserName: userName }))).PolicyNames ?? [];
}

async function waitUntil<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function waitUntilAsync<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** What every step after the first works with. */
interface Session {
  server: CodeServer;
  browser: Browser;
  page: Page;
  workbench: Workbench;
  /** Our own client of the moto server the extension pushes to. */
  iam: IAMClient;
  motoEndpoint: string;
}

describe('the extension in the VS Code workbench (code-server 4.100.3, Chromium)', () => {
  let session: Session | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let moto: MotoServer | undefined;
  let iam: IAMClient | undefined;
  let failedStep: string | undefined;

  /**
   * A step of the walk-through, run in order with the steps before it. After a failed step the
   * rest fail too, saying which one broke (never skipped silently), and the failed step leaves
   * a FAILED screenshot.
   */
  function step(title: string, body: (session: Session) => Promise<void>): void {
    it(title, async () => {
      if (failedStep !== undefined) assert.fail(`not run: the step "${failedStep}" failed before it`);
      try {
        if (session === undefined) throw new Error('no workbench: the setup step did not run');
        await body(session);
      } catch (error) {
        failedStep = title;
        await session?.workbench.screenshot(`FAILED-${title.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 40)}`, 0).catch(() => undefined);
        throw error;
      }
    });
  }

  after(async () => {
    await browser?.close();
    await server?.stop();
    iam?.destroy();
    await moto?.stop();
  });

  // Setup is a test, not a before hook: a missing Chromium or code-server then counts as a
  // failed test, with its reason, rather than as cancelled tests.
  it('installs the .vsix into a fresh code-server and opens the workspace of policy files; moto is the IAM endpoint', async (t) => {
    try {
      requireChromium();
      const motoStarted = Date.now();
      const [vsix, startedMoto] = await Promise.all([ensureVsix(), startMoto()]);
      moto = startedMoto;
      iam = adminClient(moto.endpoint);
      await seedIam(iam);
      const motoSeconds = (Date.now() - motoStarted) / 1000;
      server = await startCodeServer({
        name: 'ui',
        vsix: vsix.path,
        settings: {
          'iamPolicy.aws.endpoint': moto.endpoint,
          // VS Code in a browser saves after a second by default; desktop VS Code does not. The
          // push steps show that the editor's unsaved text is what is sent.
          'files.autoSave': 'off',
        },
        env: awsEnvironment(),
      });
      t.diagnostic(
        `${vsix.packaged ? 'packaged' : 'reused'} the .vsix and started moto in ${motoSeconds.toFixed(1)} s; ${describeTimings(server)}; screenshots in ${SCREENSHOTS}`,
      );
      browser = await launchBrowser(path.join(server.runDir, 'chromium'));
      const workbench = new Workbench(browser.page, SCREENSHOTS);
      await workbench.open(server.workbenchUrl());
      await browser.page.locator(SELECTORS.explorerRow).filter({ hasText: CURLY_FILE }).waitFor();
      await workbench.screenshot('workspace');
      session = { server, browser, page: browser.page, workbench, iam, motoEndpoint: moto.endpoint };
    } catch (error) {
      failedStep = 'setup';
      throw error;
    }
  });

  step('a curly quote in a policy gets a red squiggle', async ({ page, workbench }) => {
    await workbench.openFile(CURLY_FILE);
    await workbench.squiggles('error').first().waitFor({ timeout: 20_000 });
    assert.equal(
      (await page.locator('.statusbar-item[aria-label="IAM Policy"], .statusbar-item:has-text("IAM Policy")').count()) > 0,
      true,
      'the status bar shows the IAM Policy language',
    );
    await workbench.screenshot('squiggle');
  });

  step('hovering the squiggle shows the message', async ({ page, workbench }) => {
    // Squiggles on the two quotes of “Allow”: the leftmost is the opening curly quote.
    const boxes = (
      await workbench
        .squiggles('error')
        .evaluateAll((elements) => elements.map((element) => element.getBoundingClientRect()).map(({ x, y, width, height }) => ({ x, y, width, height })))
    ).filter((box) => box.width > 0);
    assert.ok(boxes.length > 0, 'the squiggles are on screen');
    const leftmost = boxes.reduce((a, b) => (b.x < a.x ? b : a));
    await page.mouse.move(leftmost.x + 3, leftmost.y + leftmost.height / 2);
    const hover = page.locator(SELECTORS.hover).filter({ hasText: 'U+201C LEFT DOUBLE QUOTATION MARK' });
    await hover.waitFor({ state: 'visible', timeout: 10_000 });
    await workbench.screenshot('hover');
    await page.mouse.move(5, 400);
    await page.keyboard.press('Escape');
  });

  step('the Problems panel lists the two curly quotes (and no cascade of JSON errors)', async ({ workbench }) => {
    await workbench.showProblems();
    const problems = await workbench.waitForProblems('two problems', (rows) => rows.length === 2);
    assert.match(problems[0], /^Error: Disallowed character U\+201C LEFT DOUBLE QUOTATION MARK: .* at line 6 and character 17\. generated by iam-policy$/);
    assert.match(problems[1], /U\+201D RIGHT DOUBLE QUOTATION MARK/);
    await workbench.screenshot('problems');
  });

  step('the light bulb offers the quick fix, and applying it removes that problem', async ({ page, workbench }) => {
    // Going to the problem selects the curly quote, where the light bulb shows.
    await workbench.goToProblem('U+201C');
    await page.locator('.statusbar-item', { hasText: /Ln 6, Col 1[78] \(1 selected\)/ }).waitFor();
    const actions = await workbench.openLightBulb();
    await actions.filter({ hasText: LEFT_QUOTE_FIX }).waitFor();
    await workbench.screenshot('light-bulb');
    await workbench.clickAction(LEFT_QUOTE_FIX);
    const left = await workbench.waitForProblems('the U+201C problem gone', (rows) => rows.length > 0 && !rows.some((row) => row.includes('U+201C')));
    assert.ok(
      left.some((row) => row.includes('U+201D')),
      `the right quote is still reported: ${left.join(' | ')}`,
    );
    await workbench.screenshot('first-fix-applied');
  });

  step('Ctrl+. then Enter applies the preferred fix for the other quote; no problem is left', async ({ server, page, workbench }) => {
    await workbench.goToProblem('U+201D');
    await page.locator('.statusbar-item', { hasText: /Ln 6, Col 2[34] \(1 selected\)/ }).waitFor();
    await page.keyboard.press('Control+.');
    await page.locator(SELECTORS.actionItem).first().waitFor();
    await page.keyboard.press('Enter');
    await workbench.waitForProblems('no problems', (rows) => rows.length === 0);
    await page.locator(SELECTORS.squiggleError).first().waitFor({ state: 'detached' });
    await page.keyboard.press('Control+S');
    const file = path.join(server.workspace, CURLY_FILE);
    const saved = await waitUntil('the fixed policy saved to disk', () => {
      const text = fs.readFileSync(file, 'utf8');
      return /^ {6}"Effect": "Allow",$/m.test(text) ? text : undefined;
    });
    assert.doesNotMatch(saved, /[“”]/);
    await workbench.screenshot('all-fixed');
  });

  // ---------------------------------------------------------------------------------------
  // Pushing to IAM: moto (started in the setup, seeded below) is the endpoint, code-server has
  // fake keys in its environment. What the commands wrote is read back with our own client.
  // More steps go at the end.
  // ---------------------------------------------------------------------------------------

  step('Push Policy to IAM User…: pick the user, name the policy, and IAM holds the editor text', async ({ page, server, workbench, iam }) => {
    await workbench.clearNotifications();
    await workbench.openFile(PUSH_FILE);
    await workbench.runCommand('IAM Policy: Push Policy to IAM User…');
    await page.locator(SELECTORS.quickInputRow).filter({ hasText: 'alice' }).waitFor();
    const rows = await workbench.quickPickRows();
    assert.ok(
      rows.some((row) => row.startsWith('alice') && row.includes('/engineering/')),
      `the users with their paths: ${rows.join(' | ')}`,
    );
    await page.locator('.quick-input-widget .quick-input-title', { hasText: `of account ${ACCOUNT}` }).waitFor();
    await workbench.screenshot('push-pick-user');
    await workbench.pick('alice');
    await page.locator(SELECTORS.quickInput).filter({ hasText: 'The name of the inline policy' }).waitFor();
    assert.equal(await page.locator(SELECTORS.quickInputBox).inputValue(), 'read-reports', 'the file name is offered as the policy name');
    await page.locator(SELECTORS.quickInputBox).fill('ReadReports');
    await workbench.screenshot('push-policy-name');
    await page.keyboard.press('Enter');
    await workbench.notification(`Created the inline policy "ReadReports" of the user "alice" in account ${ACCOUNT}.`);
    await workbench.progressGone();
    await workbench.statusBarItem(ACCOUNT).first().waitFor();
    await workbench.screenshot('pushed');
    const onDisk = fs.readFileSync(path.join(server.workspace, PUSH_FILE), 'utf8');
    assert.equal(await userPolicy(iam, 'alice', 'ReadReports'), onDisk);
  });

  step(
    'Push Policy Again with an unsaved change: the diff shows, readable while it asks (not a modal over it), then IAM has the new text',
    async ({ page, workbench, iam }) => {
      await workbench.clearNotifications();
      // Replace the two actions by a list of 26 through the editor's find and replace (a regular
      // expression: one per line), and leave the change unsaved: the diff is taller than its editor.
      await page.locator(SELECTORS.editorLines).first().click();
      await page.keyboard.press('Control+H');
      if ((await page.locator('.find-widget .monaco-custom-toggle.codicon-regex[aria-checked="false"]').count()) > 0) await page.keyboard.press('Alt+R');
      await page.locator('.find-widget .find-part .input').first().fill('"s3:GetObject", "s3:ListBucket"');
      await page
        .locator('.find-widget .replace-part .input')
        .first()
        .fill(MANY_READ_ACTIONS.map((action) => `\\n        "${action}"`).join(',') + '\\n      ');
      await page.keyboard.press('Control+Alt+Enter');
      await page.keyboard.press('Escape');
      await page.locator(`.tabs-container .tab.dirty[data-resource-name="${PUSH_FILE}"]`).waitFor();
      await workbench.runCommand('IAM Policy: Push Policy Again');
      await page.locator(SELECTORS.diffEditor).waitFor({ state: 'visible' });
      await page.locator('.tabs-container .tab', { hasText: 'ReadReports: IAM (user alice)' }).waitFor();
      // The question waits beside the diff: a notification and the diff's title bar, no dialog.
      await workbench.notification('Replace the inline policy "ReadReports" of the user "alice"');
      const replace = page.locator(SELECTORS.editorTitleAction).filter({ hasText: /^Replace$/ });
      await replace.waitFor();
      assert.equal(await page.locator(SELECTORS.dialog).count(), 0, 'no modal dialog over the diff');
      // Read the whole diff while the question waits: into its editor, and down to its end.
      const before = await workbench.firstVisibleLineOfDiff();
      // With What changes beside it the diff is narrow, and VS Code shows it inline: IAM's lines
      // are zones of the modified editor (.line-delete), the editor's own lines the other.
      await page.locator(`${SELECTORS.diffEditor} .editor.modified .view-lines:not(.line-delete)`).click();
      await page.keyboard.press('Control+End');
      await waitUntilAsync('the diff scrolled', async () => ((await workbench.firstVisibleLineOfDiff()) > before ? true : undefined));
      // The last action, a few lines above the end. VS Code's inline diff sometimes paints the
      // end of the text with the lines above it missing (seen in 2 of 6 runs; the view zones of
      // IAM's lines settle after the scroll): moving the cursor up a line repaints it, as it
      // would for a user reading up from the end.
      const lastAction = page.locator(`${SELECTORS.diffEditor} .editor.modified .view-line`, { hasText: MANY_READ_ACTIONS[MANY_READ_ACTIONS.length - 1] });
      let moves = 0;
      await waitUntilAsync(
        'the last action in the diff',
        async () => {
          if (await lastAction.first().isVisible()) return true;
          if (moves < 12) {
            moves++;
            await page.keyboard.press('ArrowUp');
          }
          return undefined;
        },
        15_000,
      );
      await workbench.statusBarItem(ACCOUNT).first().waitFor(); // still showing where this goes
      await workbench.screenshot('push-again-diff-scrolled');
      await replace.click();
      await workbench.notification(`Replaced the inline policy "ReadReports" of the user "alice" in account ${ACCOUNT}.`);
      await page.locator(SELECTORS.diffEditor).waitFor({ state: 'detached' });
      await workbench.progressGone();
      await workbench.screenshot('replaced');
      const stored = await userPolicy(iam, 'alice', 'ReadReports');
      assert.match(stored, /"s3:GetObjectVersion"/);
      assert.match(stored, /"s3:ListMultipartUploadParts"/);
      assert.doesNotMatch(stored, /"s3:GetObject"/);
      await page.locator(`.tabs-container .tab.dirty[data-resource-name="${PUSH_FILE}"]`).waitFor(); // still unsaved: the editor's text was sent
    },
  );

  step('a document IAM would reject is not sent: the notification says why and offers Show Problems', async ({ page, workbench, iam }) => {
    await workbench.clearNotifications();
    await workbench.openFile(BROKEN_FILE);
    await workbench.runCommand('IAM Policy: Push Policy to IAM User…');
    const toast = await workbench.notification(/Not sent: the document has a problem IAM would reject\. Line \d+, column \d+: /);
    assert.equal(await page.locator(SELECTORS.quickInput).isVisible(), false, 'nothing is asked');
    await workbench.screenshot('not-sent');
    await workbench.clickNotificationButton(toast, 'Show Problems');
    await page.locator(SELECTORS.problemsPanel).waitFor();
    assert.deepEqual(await userPolicyNames(iam, 'alice'), ['ReadReports']);
    assert.deepEqual(await userPolicyNames(iam, 'bob'), []);
  });

  step('Set Permissions Boundary of IAM User…: pick the user and the policy, confirm, and GetUser shows it', async ({ page, workbench, iam }) => {
    await workbench.clearNotifications();
    await workbench.openFile(PUSH_FILE);
    await workbench.runCommand('IAM Policy: Set Permissions Boundary of IAM User…');
    await workbench.pick('bob');
    await page.locator(SELECTORS.quickInputRow).filter({ hasText: 'DeveloperBoundary' }).waitFor();
    const placeholder = await page.locator(SELECTORS.quickInputBox).getAttribute('placeholder');
    assert.match(placeholder ?? '', /^It has no boundary now\./);
    await workbench.screenshot('boundary-pick-policy');
    await workbench.pick('DeveloperBoundary');
    await workbench.dialog(`Set ${BOUNDARY_ARN} as the permissions boundary of the user "bob" in account ${ACCOUNT}?`);
    await workbench.screenshot('boundary-confirm');
    await workbench.clickDialogButton('Set Boundary');
    await workbench.notification(`Set ${BOUNDARY_ARN} as the permissions boundary of the user "bob" in account ${ACCOUNT}.`);
    await workbench.progressGone();
    await workbench.screenshot('boundary-set');
    const user = (await iam.send(new GetUserCommand({ UserName: 'bob' }))).User;
    assert.equal(user?.PermissionsBoundary?.PermissionsBoundaryArn, BOUNDARY_ARN);
  });

  step('the status bar item shows profile, account and endpoint, and opens Select AWS Profile', async ({ page, workbench, motoEndpoint }) => {
    await workbench.clearNotifications();
    const endpointHost = new URL(motoEndpoint).host;
    const item = workbench.statusBarItem(`default · ${ACCOUNT} · ${endpointHost}`).first();
    await item.waitFor();
    await item.click();
    await page.locator(SELECTORS.quickInputRow).filter({ hasText: 'auditor' }).waitFor();
    const rows = await workbench.quickPickRows();
    assert.ok(rows[0]?.startsWith('Default credentials'), rows.join(' | '));
    await workbench.screenshot('select-profile');
    await page.keyboard.press('Escape');
  });

  step("a problem's code in the Problems panel opens that rule's documentation, rendered, at its section", async ({ page, workbench }) => {
    await workbench.clearNotifications();
    await workbench.openFile(BROKEN_FILE);
    await workbench.showProblems();
    const link = page
      .locator(`${SELECTORS.problemRow} a.monaco-link`)
      .filter({ hasText: /^json-comment$/ })
      .first();
    await link.waitFor();
    await link.click();
    await page.locator('.tabs-container .tab', { hasText: 'Preview IAM Policy documentation.md' }).waitFor();
    // The preview is a webview (frames in frames): its heading of the rule, at the top of its view.
    // The preview renders, then scrolls to the section: wait for the scroll before measuring.
    const heading = await workbench.inWebview<{ tag: string; text: string | null; top: number; scrolled: number; height: number }>(
      'the rendered section json-comment, scrolled to',
      `(() => {
        const element = document.getElementById('json-comment');
        if (element === null || element.getBoundingClientRect().height === 0 || window.scrollY === 0) return undefined;
        return { tag: element.tagName, text: element.textContent, top: element.getBoundingClientRect().top, scrolled: window.scrollY, height: window.innerHeight };
      })()`,
    );
    assert.equal(heading.tag, 'H3');
    assert.equal(heading.text?.trim(), 'json-comment');
    assert.ok(heading.scrolled > 1000, `scrolled down to the section (scrollY ${heading.scrolled})`);
    assert.ok(
      heading.top >= -2 && heading.top < heading.height / 3,
      `the section's heading is at the top of the preview (at ${heading.top} of ${heading.height})`,
    );
    await workbench.screenshot('rule-documentation', 800);
    // The README file itself was not opened: no warnings of VS Code's about extension READMEs.
    const problems = await workbench.problems();
    assert.ok(!problems.some((problem) => /image URLs|README/i.test(problem)), problems.join('\n'));
  });

  step('the policy kind shows in the status bar, and picking another kind checks the document as that kind', async ({ page, workbench }) => {
    await workbench.clearNotifications();
    await workbench.openFile('bucket-policy.json');
    const inferred = workbench.statusBarItem('S3 bucket policy (inferred)').first();
    await inferred.waitFor({ timeout: 20_000 });
    await workbench.screenshot('kind-inferred');
    await inferred.click();
    await page.locator(SELECTORS.quickInputRow).filter({ hasText: 'Service control policy' }).waitFor();
    await workbench.pick('Service control policy');
    await workbench
      .statusBarItem(/^\s*Service control policy\s*$/)
      .first()
      .waitFor();
    await workbench.showProblems();
    const problems = await workbench.waitForProblems('Principal refused in an SCP', (rows) =>
      rows.some((row) => row.includes('principal-in-scp') || row.includes('in a service control policy')),
    );
    assert.ok(
      problems.some((row) => /Principal in a service control policy/.test(row)),
      problems.join(' | '),
    );
    await workbench.screenshot('kind-picked');
  });

  step(
    "an endpoint from the workspace's settings: the status bar says so, the first command asks once, the next does not",
    async ({ page, server, workbench, motoEndpoint }) => {
      await workbench.clearNotifications();
      await workbench.openFile(PUSH_FILE);
      fs.mkdirSync(path.join(server.workspace, '.vscode'), { recursive: true });
      fs.writeFileSync(path.join(server.workspace, '.vscode', 'settings.json'), JSON.stringify({ 'iamPolicy.aws.endpoint': motoEndpoint }, null, 2));
      const host = new URL(motoEndpoint).host;
      await workbench.statusBarItem(`${host} (workspace)`).first().waitFor({ timeout: 20_000 });
      await workbench.runCommand('IAM Policy: Push Policy Again');
      await workbench.dialog(`This workspace's settings choose the endpoint ${motoEndpoint} for the IAM Policy commands. Use them?`);
      await workbench.screenshot('workspace-settings-question');
      await workbench.clickDialogButton('Use Workspace Settings');
      const unchanged = `The user "alice" already has this policy as "ReadReports" in account ${ACCOUNT}. Nothing was sent.`;
      await workbench.notification(unchanged);
      await workbench.progressGone();
      await workbench.clearNotifications();
      // Once per workspace and value: the second run goes straight on.
      await workbench.runCommand('IAM Policy: Push Policy Again');
      await workbench.notification(unchanged);
      assert.equal(await page.locator(SELECTORS.dialog).count(), 0, 'not asked again');
      await workbench.statusBarItem(`default · ${ACCOUNT} · ${host} (workspace)`).first().waitFor();
      await workbench.screenshot('workspace-settings-allowed');
    },
  );

  // ---------------------------------------------------------------------------------------
  // What a policy grants: the CodeLens, the summary beside the editor (live, searchable, rows
  // linking to statements), Simulate a Request…, and the grant changes before an overwrite.
  // ---------------------------------------------------------------------------------------

  step(
    'a CodeLens on each statement says what it grants; clicking it opens the policy summary beside the editor at that statement',
    async ({ page, workbench }) => {
      await workbench.clearNotifications();
      // Room for the summary: the Problems panel goes.
      if (await page.locator(SELECTORS.problemsPanel).isVisible()) await page.keyboard.press('Control+J');
      await workbench.openFile(GRANTS_FILE);
      const lens = page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Allows 3 actions in 1 service: 1 Write, 1 Permissions management' });
      await lens.waitFor({ timeout: 20_000 });
      // KeepProduction denies every action of Lambda.
      await page
        .locator('.monaco-editor .codelens-decoration a', { hasText: /^Denies [\d,]+ actions in 1 service: / })
        .first()
        .waitFor();
      await workbench.screenshot('codelens');
      await lens.click();
      await page.locator('.tabs-container .tab', { hasText: `Summary: ${GRANTS_FILE}` }).waitFor();
      const view = visibleWebview(page);
      await view.locator('.totals', { hasText: 'Allows 6 actions in 3 services' }).waitFor();
      // The statement whose CodeLens was clicked, in view and marked.
      await view.locator('#statement-1.focus', { hasText: 'Allows 3 actions in 1 service' }).waitFor();
      const services = await view.locator('details.service > summary .service-name').allTextContents();
      assert.deepEqual(services, ['Amazon S3', 'AWS Identity and Access Management (IAM)', 'AWS Lambda']);
      await workbench.screenshot('policy-summary');
    },
  );

  step('opening a service lists its actions by access level, permissions management marked, each linked to its statements', async ({ page, workbench }) => {
    const view = visibleWebview(page);
    await view.locator('details.service[data-service="lambda"] > summary').click();
    const addPermission = view.locator('li.action', { hasText: 'lambda:AddPermission' });
    await addPermission.waitFor();
    await view.locator('details.service[data-service="lambda"] .level .badge.level-pm', { hasText: 'Permissions management' }).waitFor();
    assert.match((await addPermission.textContent()) ?? '', /allowed by #2 Deploy partly denied by #4 KeepProduction/);
    await workbench.screenshot('policy-summary-service');
  });

  step('the summary follows the text as it is typed, unsaved', async ({ page, workbench }) => {
    const view = visibleWebview(page);
    await page.locator(SELECTORS.editorLines).first().click();
    await page.keyboard.press('Control+H');
    await page.locator('.find-widget .find-part .input').first().fill('"s3:GetObject"');
    await page.locator('.find-widget .replace-part .input').first().fill('"s3:Get*"');
    await page.keyboard.press('Control+Alt+Enter');
    await page.keyboard.press('Escape');
    // s3:Get* is 63 actions of S3, with ListBucket 64; then Lambda's 3 and IAM's 1.
    await view.locator('.totals', { hasText: 'Allows 68 actions in 3 services' }).waitFor();
    await page.locator(`.tabs-container .tab.dirty[data-resource-name="${GRANTS_FILE}"]`).waitFor();
    await workbench.screenshot('policy-summary-live');
    await page.locator(SELECTORS.editorLines).first().click();
    await page.keyboard.press('Control+Z');
    await view.locator('.totals', { hasText: 'Allows 6 actions in 3 services' }).waitFor();
  });

  step('the search box finds actions across services', async ({ page, workbench }) => {
    const view = visibleWebview(page);
    await view.locator('#search').fill('passrole');
    await view.locator('.search-result', { hasText: '1 action matches “passrole”.' }).waitFor();
    assert.deepEqual(await view.locator('li.action .action-name').allTextContents(), ['iam:PassRole']);
    await workbench.screenshot('policy-summary-search');
    await view.locator('#search').fill('');
    await view.locator('.search-result').waitFor({ state: 'detached' });
  });

  step('a statement link in the summary selects that statement in the editor', async ({ page }) => {
    const view = visibleWebview(page);
    await view.locator('details.service[data-service="iam"] > summary a.statement-link', { hasText: '#3 PassAppRole' }).click();
    // The statement's opening brace: line 16 of the file.
    await page.locator('.statusbar-item', { hasText: /Ln 16, Col 5\b/ }).waitFor();
  });

  step('Simulate a Request… asks for the action, the resource and context keys, and names the deciding statements', async ({ page, workbench }) => {
    await workbench.clearNotifications();
    await workbench.runCommand('IAM Policy: Simulate a Request…');
    await page.locator(SELECTORS.quickInput).filter({ hasText: 'step 1 of 3' }).waitFor();
    await workbench.answer('lambda:UpdateFunctionCode');
    await page.locator(SELECTORS.quickInput).filter({ hasText: 'step 2 of 3' }).waitFor();
    await workbench.answer('arn:aws:lambda:us-east-1:123456789012:function:app-prod');
    await page.locator(SELECTORS.quickInput).filter({ hasText: 'step 3 of 3' }).waitFor();
    await workbench.answer('aws:SourceIp=203.0.113.7');
    const toast = await workbench.notification(
      'Denied explicitly: statement 4 (KeepProduction) denies lambda:UpdateFunctionCode on arn:aws:lambda:us-east-1:123456789012:function:app-prod, although statement 2 (Deploy) allows it.',
    );
    await workbench.screenshot('simulate');
    await workbench.clickNotificationButton(toast, 'Show Statement');
    // Statement 4 is selected: from its opening brace, line 23.
    await page.locator('.statusbar-item', { hasText: /Ln 23, Col 5 \(\d+ selected\)/ }).waitFor();
  });

  step(
    'before replacing a policy, what the new version adds shows beside the diff, and in the question waiting beside it',
    async ({ page, workbench, iam }) => {
      await workbench.clearNotifications();
      await workbench.openFile(PUSH_FILE);
      await page.locator(SELECTORS.editorLines).first().click();
      await page.keyboard.press('Control+H');
      await page.locator('.find-widget .find-part .input').first().fill('"s3:ListBucket"');
      await page.locator('.find-widget .replace-part .input').first().fill('"s3:ListBucket", "s3:PutBucketPolicy"');
      await page.keyboard.press('Control+Alt+Enter');
      await page.keyboard.press('Escape');
      await workbench.runCommand('IAM Policy: Push Policy Again');
      await page.locator(SELECTORS.diffEditor).waitFor({ state: 'visible' });
      // The question waits in a notification, the answers in the diff's title bar.
      const question = await workbench.notification('Replace the inline policy "ReadReports" of the user "alice"');
      assert.match(
        (await question.textContent()) ?? '',
        /It adds 1 action \(1 Permissions management\): adds s3:PutBucketPolicy on arn:aws:s3:::example-reports and arn:aws:s3:::example-reports\/\*\./,
      );
      await page.locator('.tabs-container .tab', { hasText: `What changes: ${PUSH_FILE}` }).waitFor();
      const changes = visibleWebview(page);
      await changes.locator('.totals', { hasText: 'Adds 1 action (1 Permissions management).' }).waitFor();
      assert.deepEqual(await changes.locator('ul.changes li').allTextContents(), [
        'Permissions management s3:PutBucketPolicy on arn:aws:s3:::example-reports, arn:aws:s3:::example-reports/*',
      ]);
      await workbench.screenshot('push-grant-changes');
      await page
        .locator(SELECTORS.editorTitleAction)
        .filter({ hasText: /^Cancel$/ })
        .click();
      await page.locator('.tabs-container .tab', { hasText: `What changes: ${PUSH_FILE}` }).waitFor({ state: 'detached' });
      await page.locator(SELECTORS.diffEditor).waitFor({ state: 'detached' });
      await workbench.progressGone();
      assert.doesNotMatch(await userPolicy(iam, 'alice', 'ReadReports'), /PutBucketPolicy/, 'declined: nothing sent');
      await page.locator(SELECTORS.editorLines).first().click();
      await page.keyboard.press('Control+Z');
      // The summary (following the active editor, so of this file now) goes, so the steps after
      // these find the workbench as they left it.
      const summaryTab = page.locator('.tabs-container .tab', { hasText: `Summary: ${PUSH_FILE}` });
      await summaryTab.hover();
      await summaryTab.locator('.tab-actions .action-label').click();
      await summaryTab.waitFor({ state: 'detached' });
    },
  );

  // ---------------------------------------------------------------------------------------
  // The round trip through the IAM view: open alice's inline policy (pushed above), edit it,
  // push it back; create a managed policy from it and attach that to bob from the view.
  // ---------------------------------------------------------------------------------------

  step('the IAM view: the account, its users with their paths, and what alice has', async ({ workbench }) => {
    await workbench.clearNotifications();
    await workbench.openViewContainer('IAM');
    await workbench.treeRow(`Account ${ACCOUNT}`);
    await workbench.expandTreeRow(/^Users$/);
    const alice = await workbench.treeRow(/alice\s*\/engineering\//);
    await alice.click();
    await workbench.treeRow(/ReadReports\s*inline/);
    await workbench.expandTreeRow(/^Customer managed policies$/);
    await workbench.treeRow(/DeveloperBoundary/);
    await workbench.screenshot('iam-view');
  });

  step("opening alice's ReadReports from the view: edited and pushed back without a question, IAM has the edit", async ({ page, workbench, iam }) => {
    await (await workbench.treeRow(/ReadReports\s*inline/)).click();
    await page.locator('.tabs-container .tab', { hasText: 'ReadReports.iam.json' }).waitFor();
    await page.locator(SELECTORS.editorLines).filter({ hasText: 's3:GetObjectVersion' }).waitFor();
    await page.locator(SELECTORS.editorLines).first().click();
    await page.keyboard.press('Control+H');
    await page.locator('.find-widget .find-part .input').first().fill('s3:GetObjectVersion"');
    await page.locator('.find-widget .replace-part .input').first().fill('s3:GetObjectAcl"');
    await page.keyboard.press('Control+Alt+Enter');
    await page.keyboard.press('Escape');
    await page.locator(SELECTORS.editorLines).filter({ hasText: 's3:GetObjectAcl' }).waitFor();
    await workbench.screenshot('opened-from-iam');
    await workbench.runCommand('IAM Policy: Push Policy Again');
    await workbench.notification(`Replaced the inline policy "ReadReports" of the user "alice" in account ${ACCOUNT}.`);
    assert.equal(await page.locator(SELECTORS.dialog).count(), 0, 'IAM had not changed since it was opened: no question');
    await workbench.progressGone();
    assert.match(await userPolicy(iam, 'alice', 'ReadReports'), /"s3:GetObjectAcl"/);
  });

  step('Create Managed Policy from Document…: name, path, description, and IAM has the policy', async ({ page, workbench, iam }) => {
    await workbench.clearNotifications();
    await workbench.runCommand('IAM Policy: Create Managed Policy from Document…');
    await page.locator(SELECTORS.quickInput).filter({ hasText: 'The name of the customer managed policy' }).waitFor();
    assert.equal(await page.locator(SELECTORS.quickInputBox).inputValue(), 'ReadReports', 'the document name is offered');
    await workbench.answer(CREATED_POLICY);
    await page.locator(SELECTORS.quickInput).filter({ hasText: 'Its path' }).waitFor();
    await page.keyboard.press('Enter');
    await page.locator(SELECTORS.quickInput).filter({ hasText: 'A description' }).waitFor();
    await workbench.answer('Reads the reports');
    await workbench.notification(`Created the managed policy "${CREATED_POLICY}" (${CREATED_ARN}) in account ${ACCOUNT}.`);
    await workbench.progressGone();
    assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: CREATED_ARN }))).Policy?.Description, 'Reads the reports');
  });

  step('Attach Managed Policy… on bob in the view: the new policy, attached, and the view shows it', async ({ page, workbench, iam }) => {
    await workbench.clearNotifications();
    await workbench.treeRow(new RegExp(`^${CREATED_POLICY}(\\s|$)`)); // the view read IAM again after the create
    await workbench.treeContextMenu(/^bob\s*\/$/, 'Attach Managed Policy…');
    await workbench.pick(CREATED_POLICY);
    await workbench.notification(`Attached ${CREATED_ARN} to the user "bob" in account ${ACCOUNT}.`);
    await workbench.progressGone();
    await workbench.expandTreeRow(/^bob\s*\/$/);
    await workbench.treeRow(new RegExp(`${CREATED_POLICY}\\s*attached`));
    // The README's picture: the view, with the new policy's versions, and the opened policy beside it.
    await workbench.clearNotifications();
    if (await page.locator(SELECTORS.problemsPanel).isVisible()) {
      await page.keyboard.press('Control+J'); // View: Toggle Panel
      await page.locator(SELECTORS.problemsPanel).waitFor({ state: 'hidden' });
    }
    await workbench.expandTreeRow(new RegExp(`^${CREATED_POLICY}\\s*1 attachment$`));
    await workbench.treeRow(/v1\s*default/);
    if (await page.locator('.find-widget.visible').isVisible()) {
      await page.locator(SELECTORS.editorLines).first().click();
      await page.keyboard.press('Escape');
    }
    await workbench.screenshot('iam-view-attached');
    const attached = (await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'bob' }))).AttachedPolicies ?? [];
    assert.deepEqual(
      attached.map((policy) => policy.PolicyArn),
      [CREATED_ARN],
    );
  });

  step(
    'Ctrl+S keeps a local copy in the workspace that still knows its place: Push Policy Again from it sends a new version of the managed policy',
    async ({ page, server, workbench, iam }) => {
      await workbench.clearNotifications();
      await page.locator(SELECTORS.editorLines).first().click();
      await page.keyboard.press('Control+S');
      const file = path.join(server.workspace, 'ReadReports.iam.json');
      await waitUntil('the opened policy saved into the workspace', () => (fs.existsSync(file) ? true : undefined));
      await page.locator('.tabs-container .tab[data-resource-name="ReadReports.iam.json"]:not(.dirty)').waitFor();
      await page.keyboard.press('Control+H');
      await page.locator('.find-widget .find-part .input').first().fill('s3:ListBucket"');
      await page.locator('.find-widget .replace-part .input').first().fill('s3:ListBucketVersions"');
      await page.keyboard.press('Control+Alt+Enter');
      await page.keyboard.press('Escape');
      await workbench.runCommand('IAM Policy: Push Policy Again');
      await workbench.notification(`Pushed v2 of the managed policy "${CREATED_POLICY}" and made it the default (it was v1) in account ${ACCOUNT}.`);
      assert.equal(await page.locator(SELECTORS.dialog).count(), 0, 'IAM holds what was created from it: no question');
      await workbench.progressGone();
      const versions = (await iam.send(new ListPolicyVersionsCommand({ PolicyArn: CREATED_ARN }))).Versions ?? [];
      assert.deepEqual(versions.map((version) => `${version.VersionId}${version.IsDefaultVersion === true ? '*' : ''}`).sort(), ['v1', 'v2*']);
    },
  );
});
