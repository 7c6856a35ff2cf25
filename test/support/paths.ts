/** Paths the tests use, from the compiled location out/test/support/. */
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');
export const SERVER_BUNDLE = path.join(REPO_ROOT, 'dist', 'server', 'main.js');
export const SERVER_BIN = path.join(REPO_ROOT, 'bin', 'iam-policy-language-server.js');
