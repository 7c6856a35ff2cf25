/**
 * Runs the mocha suite (test/vscode/suite, compiled to out/vscode-suite) inside code-server's
 * extension host, as @vscode/test-electron would inside a desktop VS Code. code-server has no
 * --extensionTestsPath flag, but the workbench page takes the same settings from its URL:
 * `payload=[["extensionDevelopmentPath", …], ["extensionTestsPath", …]]`. In that mode the
 * workbench reports the suite's console output to `window.codeAutomationLog` and its end to
 * `window.codeAutomationExit(code)`, which we expose to the page before opening it.
 */
import { format } from 'node:util';
import type { Page } from 'playwright-core';
import type { CodeServer } from './codeServer';

/** The line the suite's index.ts prints last, followed by JSON counts. */
export const RESULT_MARKER = 'IAM-POLICY-SUITE-RESULT ';

export interface SuiteCounts {
  tests: number;
  passed: number;
  failed: number;
  pending: number;
}

export interface SuiteRun {
  /** 0 when the suite passed. */
  exitCode: number;
  /** The suite's console output, in order. */
  output: string;
  /** Undefined when the suite never printed its result line (it crashed, or never loaded). */
  counts: SuiteCounts | undefined;
  seconds: number;
}

export interface SuiteOptions {
  /** The extension under test: the folder the .vsix was installed into. */
  extensionDevelopmentPath: string;
  /** The compiled suite's index.js (exports run()). */
  extensionTestsPath: string;
  timeoutMs?: number;
}

export async function runSuiteInExtensionHost(page: Page, server: CodeServer, options: SuiteOptions): Promise<SuiteRun> {
  const started = Date.now();
  const lines: string[] = [];
  let exited: (code: number) => void = () => undefined;
  const exit = new Promise<number>((resolve) => (exited = resolve));
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
    lines.push(formatLog(type, args));
  });
  await page.exposeFunction('codeAutomationExit', (code: number) => {
    exited(Number(code));
  });
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', server.remoteUri(options.extensionDevelopmentPath)],
    ['extensionTestsPath', server.remoteUri(options.extensionTestsPath)],
  ]);
  await page.goto(server.workbenchUrl({ payload }));

  const timeoutMs = options.timeoutMs ?? 120_000;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  const outcome = await Promise.race([exit, timedOut]);
  clearTimeout(timer);
  const output = lines.join('\n');
  if (outcome === 'timeout') {
    throw new Error(`The suite did not finish within ${timeoutMs / 1000} s. Its output so far:\n${output}\n--- code-server log ---\n${server.logTail()}`);
  }
  return { exitCode: outcome, output, counts: parseCounts(output), seconds: (Date.now() - started) / 1000 };
}

function parseCounts(output: string): SuiteCounts | undefined {
  const line = output.split('\n').find((text) => text.startsWith(RESULT_MARKER));
  return line === undefined ? undefined : (JSON.parse(line.slice(RESULT_MARKER.length)) as SuiteCounts);
}

/** The workbench passes console calls as (type, args), format string unapplied (mocha's reporter uses them). */
function formatLog(type: string, args: unknown[]): string {
  const text = format(...(Array.isArray(args) ? args : [args]));
  return type === 'log' || type === 'info' ? text : `[${type}] ${text}`;
}
