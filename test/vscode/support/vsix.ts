/**
 * The packaged extension for the tests: `npm run package:vsix` (vsce, the same command
 * `npm run package` runs after building), redone only when something that goes into the
 * .vsix is newer than it.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { withLock } from '../../support/lock';
import { REPO_ROOT, VSIX_PATH } from './paths';

const run = promisify(execFile);

/** What vsce puts into the .vsix (see .vscodeignore), and what decides what it puts in. */
const INPUTS = [
  'package.json',
  '.vscodeignore',
  'README.md',
  'LICENSE',
  'language-configuration.json',
  'images',
  'syntaxes',
  'dist/client',
  'dist/server',
  'dist/node_modules',
];

export interface Vsix {
  path: string;
  /** False when an up-to-date .vsix was reused. */
  packaged: boolean;
  seconds: number;
  sizeBytes: number;
}

export async function ensureVsix(): Promise<Vsix> {
  const started = Date.now();
  for (const bundle of ['dist/client/extension.js', 'dist/server/main.js']) {
    if (!fs.existsSync(path.join(REPO_ROOT, bundle))) {
      throw new Error(`${bundle} is missing: run \`npm run build\` before the VS Code tests.`);
    }
  }
  const packaged = await withLock(`${VSIX_PATH}.lock`, async () => {
    if (fs.existsSync(VSIX_PATH) && fs.statSync(VSIX_PATH).mtimeMs >= newestInput()) return false;
    try {
      await run('npm', ['run', '--silent', 'package:vsix'], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 });
    } catch (error) {
      const { stdout, stderr, message } = error as { stdout?: string; stderr?: string; message: string };
      throw new Error(`vsce could not package the extension: ${message}\n${stdout ?? ''}${stderr ?? ''}`, { cause: error });
    }
    if (!fs.existsSync(VSIX_PATH)) throw new Error(`vsce finished but ${VSIX_PATH} is not there.`);
    return true;
  });
  return { path: VSIX_PATH, packaged, seconds: (Date.now() - started) / 1000, sizeBytes: fs.statSync(VSIX_PATH).size };
}

function newestInput(): number {
  let newest = 0;
  const visit = (file: string): void => {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      return;
    }
    if (stat.isDirectory()) for (const entry of fs.readdirSync(file)) visit(path.join(file, entry));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const input of INPUTS) visit(path.join(REPO_ROOT, input));
  return newest;
}
