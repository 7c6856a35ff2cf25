/** Where the VS Code tests find and keep things. Compiled to out/test/vscode/support/. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../../support/paths';

export { REPO_ROOT };

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  name: string;
  publisher: string;
  version: string;
};

/** `publisher.name`, as VS Code knows the extension. */
export const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;
/** The folder `--install-extension` unpacks the .vsix into. */
export const EXTENSION_FOLDER_NAME = `${EXTENSION_ID}-${manifest.version}`;
/** Where `vsce package` writes the .vsix (its default name, at the repository root). */
export const VSIX_PATH = path.join(REPO_ROOT, `${manifest.name}-${manifest.version}.vsix`);

/** Policy files the editor opens; each run works on a copy. */
export const WORKSPACE_FIXTURES = path.join(REPO_ROOT, 'test', 'vscode', 'workspace');
/** The mocha suite that runs inside VS Code's extension host (test/vscode/suite, own tsconfig). */
export const SUITE_INDEX = path.join(REPO_ROOT, 'out', 'vscode-suite', 'index.js');
/** Runs, logs and screenshots the tests keep (git-ignored). */
export const TEST_RUNS = path.join(REPO_ROOT, '.test-runs');
export const SCREENSHOTS = path.join(TEST_RUNS, 'screenshots');
export const INSTALL_SCRIPT = path.join(REPO_ROOT, 'scripts', 'install-code-server.mjs');

/**
 * A fresh folder for one run under .test-runs/ (the previous run of the same name is removed,
 * so what is there after a failure is the failed run's logs and profile).
 */
export function freshRunDir(name: string): string {
  const dir = path.join(TEST_RUNS, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Copies the workspace fixtures to `dest`, so edits in the editor never touch the repository. */
export function copyWorkspace(dest: string): string {
  fs.cpSync(WORKSPACE_FIXTURES, dest, { recursive: true });
  return dest;
}
