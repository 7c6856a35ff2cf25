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
import { launchBrowser, requireChromium, type Browser } from './support/browser';
import { describeTimings, startCodeServer, type CodeServer } from './support/codeServer';
import { SCREENSHOTS } from './support/paths';
import { ensureVsix } from './support/vsix';
import { SELECTORS, Workbench } from './support/workbench';

const CURLY_FILE = 'curly-quotes.iam.json';
const LEFT_QUOTE_FIX = 'Replace U+201C LEFT DOUBLE QUOTATION MARK with "';

async function waitUntil<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
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
}

describe('the extension in the VS Code workbench (code-server 4.100.3, Chromium)', () => {
  let session: Session | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
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
  });

  // Setup is a test, not a before hook: a missing Chromium or code-server then counts as a
  // failed test, with its reason, rather than as cancelled tests.
  it('installs the .vsix into a fresh code-server and opens the workspace of policy files', async (t) => {
    try {
      requireChromium();
      const vsix = await ensureVsix();
      server = await startCodeServer({ name: 'ui', vsix: vsix.path });
      t.diagnostic(`${vsix.packaged ? 'packaged' : 'reused'} the .vsix; ${describeTimings(server)}; screenshots in ${SCREENSHOTS}`);
      browser = await launchBrowser(path.join(server.runDir, 'chromium'));
      const workbench = new Workbench(browser.page, SCREENSHOTS);
      await workbench.open(server.workbenchUrl());
      await browser.page.locator(SELECTORS.explorerRow).filter({ hasText: CURLY_FILE }).waitFor();
      await workbench.screenshot('workspace');
      session = { server, browser, page: browser.page, workbench };
    } catch (error) {
      failedStep = 'setup';
      throw error;
    }
  });

  step('a curly quote in a policy gets a red squiggle', async ({ page, workbench }) => {
    await workbench.openFile(CURLY_FILE);
    await workbench.squiggles('error').first().waitFor({ timeout: 20_000 });
    assert.equal(await page.locator('.statusbar-item[aria-label="IAM Policy"], .statusbar-item:has-text("IAM Policy")').count() > 0, true, 'the status bar shows the IAM Policy language');
    await workbench.screenshot('squiggle');
  });

  step('hovering the squiggle shows the message', async ({ page, workbench }) => {
    // Squiggles on the two quotes of “Allow”: the leftmost is the opening curly quote.
    const boxes = (await workbench.squiggles('error').evaluateAll((elements) =>
      elements.map((element) => element.getBoundingClientRect()).map(({ x, y, width, height }) => ({ x, y, width, height })),
    )).filter((box) => box.width > 0);
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
    assert.ok(left.some((row) => row.includes('U+201D')), `the right quote is still reported: ${left.join(' | ')}`);
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
  // MORE STEPS GO HERE (the push-to-IAM commands, from another engineer), e.g.
  //   step('pushes the policy to a role', async ({ page, workbench }) => {
  //     await workbench.runCommand('IAM Policy: Push to Role');
  //     await workbench.pick('MyRole');
  //     await workbench.answer('ReadReports');
  //     await workbench.notifications().filter({ hasText: 'Pushed' }).waitFor();
  //     await workbench.screenshot('pushed');
  //   });
  // ---------------------------------------------------------------------------------------
});
