/**
 * The language server in Neovim, as the README configures it for Neovim 0.7 to 0.10 (the Lua
 * snippet is taken from the README itself and run as Neovim's configuration): Debian's Neovim,
 * headless, opens a policy, gets the server's diagnostic, applies its quick fix through the
 * code action request, and the document is fixed. `iam-policy-language-server` is the built
 * bin, put on the PATH as a user's install would.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT, SERVER_BIN } from '../support/paths';

const DRIVER = path.join(REPO_ROOT, 'test', 'editors', 'neovim-driver.lua');
const POLICY = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",}\n  ]\n}\n';

interface DriverResult {
  filetype?: string;
  diagnostics: { code: string; source: string; message: string; line: number; col: number }[];
  actions: string[];
  after: string[];
  text?: string;
  error?: string;
}

/** The README's Lua snippet for Neovim 0.7 to 0.10. */
export function readmeSnippet(): string {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const from = readme.indexOf('**Neovim** 0.7 to 0.10');
  assert.ok(from >= 0, 'the README has a snippet for Neovim 0.7 to 0.10');
  const block = /```lua\n([\s\S]*?)```/.exec(readme.slice(from));
  assert.ok(block !== null, 'a lua block follows it');
  return block[1];
}

let scratch: string;

before(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-policy-neovim-'));
});
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('the language server in Neovim (headless, the README configuration)', () => {
  it('shows the diagnostic of a trailing comma and applies its quick fix', { timeout: 60_000 }, () => {
    const version = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
    assert.equal(version.status, 0, 'Neovim (Debian: neovim) is installed: `npm test` and scripts/ci-vscode-deps.sh install it');
    const bin = path.join(scratch, 'bin');
    fs.mkdirSync(bin);
    fs.symlinkSync(SERVER_BIN, path.join(bin, 'iam-policy-language-server'));
    const config = path.join(scratch, 'init.lua');
    fs.writeFileSync(config, readmeSnippet());
    const policy = path.join(scratch, 'policies', 'read.iam.json');
    fs.mkdirSync(path.dirname(policy));
    fs.writeFileSync(policy, POLICY);
    const resultFile = path.join(scratch, 'result.json');

    const run = spawnSync('nvim', ['--headless', '--clean', '-u', config, '-c', `luafile ${DRIVER}`], {
      cwd: path.dirname(policy),
      encoding: 'utf8',
      timeout: 50_000,
      env: {
        ...process.env,
        PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
        XDG_CONFIG_HOME: path.join(scratch, 'config'),
        XDG_DATA_HOME: path.join(scratch, 'data'),
        XDG_STATE_HOME: path.join(scratch, 'state'),
        XDG_CACHE_HOME: path.join(scratch, 'cache'),
        IAM_POLICY_FILE: policy,
        IAM_POLICY_ACTION: 'Remove the trailing comma',
        IAM_POLICY_RESULT: resultFile,
      },
    });
    const report = `${version.stdout.split('\n')[0]}; exit ${run.status ?? run.signal}\n${run.stdout}${run.stderr}`;
    assert.ok(fs.existsSync(resultFile), `the driver wrote no result; ${report}`);
    const result = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as DriverResult;
    assert.equal(result.error, undefined, `${result.error}; ${report}`);
    assert.equal(result.filetype, 'json');
    assert.deepEqual(
      result.diagnostics.map((d) => [d.code, d.source, d.line, d.col]),
      [['json-trailing-comma', 'iam-policy', 3, POLICY.split('\n')[3].indexOf(',}')]],
    );
    assert.ok(result.actions.includes('Remove the trailing comma'), result.actions.join(', '));
    assert.deepEqual(result.after, [], 'no diagnostic left after the fix');
    assert.equal(`${result.text}\n`, POLICY.replace('"*",}', '"*"}'));
  });
});
