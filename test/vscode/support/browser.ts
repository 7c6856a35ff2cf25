/**
 * Debian's Chromium driven by playwright-core (which brings no browser of its own), headless,
 * with a fresh profile and nothing in the background that reaches out.
 *
 *   const browser = await launchBrowser(path.join(server.runDir, 'chromium'));
 *   await browser.page.goto(server.workbenchUrl());
 *   ...
 *   await browser.close();
 */
import * as fs from 'node:fs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium package; IAM_POLICY_CHROMIUM points elsewhere. */
export const CHROMIUM = process.env.IAM_POLICY_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** The size screenshots have. */
export const VIEWPORT = { width: 1280, height: 800 };

/** Throws, saying how to get it, when Chromium is not there. */
export function requireChromium(): string {
  try {
    fs.accessSync(CHROMIUM, fs.constants.X_OK);
    return CHROMIUM;
  } catch {
    throw new Error(
      `Chromium is not at ${CHROMIUM}: the VS Code tests drive the editor through it. ` +
        'Install it as root with `apt-get update && apt-get install -y chromium` (or scripts/ci-vscode-deps.sh), ' +
        'or set IAM_POLICY_CHROMIUM to a Chromium binary.',
    );
  }
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function launchBrowser(profileDir: string): Promise<Browser> {
  const executablePath = requireChromium();
  fs.mkdirSync(profileDir, { recursive: true });
  // The profile folder is the first argument: Playwright refuses --user-data-dir in args.
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: VIEWPORT,
    timeout: 60_000,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  // A step waits for what a person would see within seconds; 15 s leaves room on a busy machine.
  page.setDefaultTimeout(15_000);
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => undefined);
    },
  };
}
