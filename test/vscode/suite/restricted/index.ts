/**
 * Entry point of the suite that runs in Restricted Mode (test/vscode/restricted.test.ts opens
 * an untrusted copy of the workspace, whose .vscode/settings.json sets the AWS settings).
 */
import { runSuiteIn } from '../index';

export function run(): Promise<void> {
  return runSuiteIn(__dirname);
}
