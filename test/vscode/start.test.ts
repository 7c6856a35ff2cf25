/**
 * `npm start` (scripts/start.mjs): it starts moto and code-server with the extension on a copy
 * of samples/, and stops both. `--check` checks what it started and stops; Ctrl+C (SIGINT)
 * is what a person does. After either, nothing it started answers any more.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from './support/paths';

const START = path.join(REPO_ROOT, 'scripts', 'start.mjs');
/** Room for a first run that installs moto and code-server; a normal run takes seconds. */
const TIMEOUT_MS = 6 * 60_000;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/** Runs start.mjs; `onOutput` may act on what it printed so far (send SIGINT, say). */
function runStart(args: string[], onOutput?: (output: string, child: ReturnType<typeof spawn>) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    // Not `code`: the script must take code-server here, whatever the machine has.
    const child = spawn(process.execPath, [START, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`start.mjs ${args.join(' ')} did not finish within ${TIMEOUT_MS / 1000} s. Output:\n${output}`));
    }, TIMEOUT_MS);
    const take = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      onOutput?.(output, child);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });
}

/** The 127.0.0.1 addresses a run printed. */
function addresses(output: string): string[] {
  return [...new Set(output.match(/http:\/\/127\.0\.0\.1:\d+/g) ?? [])];
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

async function assertAllStopped(output: string): Promise<void> {
  const urls = addresses(output);
  assert.ok(urls.length >= 2, `moto's and code-server's addresses are printed:\n${output}`);
  for (const url of urls) assert.equal(await answers(url), false, `${url} still answers after the stop`);
  const temp = /(\/\S*iam-policy-try-\w+)/.exec(output)?.[1];
  if (temp !== undefined) assert.equal(fs.existsSync(temp), false, `${temp} is left behind`);
}

/**
 * `npm start` with a PATH that has node, npm and sh and nothing else (no rg, make, g++, python3,
 * apt-get) and no code-server installed: it cannot install what code-server needs, so it stops
 * at once, before the build, saying what is missing and the one command to run.
 */
function npmStartWithoutTools(): { status: number | null; output: string } {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-policy-bare-path-'));
  const emptyCache = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-policy-no-code-server-'));
  try {
    fs.symlinkSync(process.execPath, path.join(bin, 'node'));
    fs.symlinkSync(execFileSync('which', ['npm'], { encoding: 'utf8' }).trim(), path.join(bin, 'npm'));
    fs.symlinkSync('/bin/sh', path.join(bin, 'sh')); // npm runs scripts with it
    const result = spawnSync(path.join(bin, 'npm'), ['start', '--silent', '--', '--code-server'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: bin,
        HOME: process.env.HOME ?? emptyCache,
        IAM_POLICY_CODE_SERVER_DIR: path.join(emptyCache, 'code-server'),
        npm_config_update_notifier: 'false',
      },
    });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  } finally {
    fs.rmSync(bin, { recursive: true, force: true });
    fs.rmSync(emptyCache, { recursive: true, force: true });
  }
}

describe('npm start (scripts/start.mjs)', () => {
  it('stops at once, before the build, naming what is missing and the one command to run, when it cannot install it', () => {
    const run = npmStartWithoutTools();
    const report = `exit ${run.status}; output:\n${run.output}`;
    assert.equal(run.status, 1, report);
    assert.match(run.output, /^npm start cannot go on: these are missing\.$/m, report);
    assert.match(run.output, /^ {2}- ripgrep \(rg\): installing code-server 4\.100\.3: .* \(Debian: ripgrep\)$/m, report);
    assert.match(run.output, /^ {2}- a C\+\+ toolchain \(make, g\+\+\): .* \(Debian: build-essential\)$/m, report);
    // One command, with every package: apt-get is not on this PATH, but the machine is Debian.
    assert.match(
      run.output,
      /^Run this, then npm start again:\n\n {4}apt-get update && apt-get install -y --no-install-recommends [a-z0-9 .+-]*\bripgrep\b[a-z0-9 .+-]*\bbuild-essential\b/m,
      report,
    );
    assert.doesNotMatch(run.output, /tsc -b|Starting moto|Installing code-server/, `nothing long was started; ${report}`);
  });

  it(
    '--check: moto answers with the seeded account, code-server serves the workbench with the extension installed, then both stop',
    { timeout: TIMEOUT_MS },
    async () => {
      const run = await runStart(['--check']);
      const report = `exit ${run.code ?? run.signal}; output:\n${run.output}`;
      assert.equal(run.code, 0, report);
      assert.doesNotMatch(run.output, /^FAIL /m, report);
      assert.match(run.output, /^ok {3}moto answers at http:\/\/127\.0\.0\.1:\d+: account 123456789012, users alice, bob, ci-deployer$/m, report);
      assert.match(run.output, /^ok {3}code-server serves the workbench at http:\/\/127\.0\.0\.1:\d+$/m, report);
      assert.match(run.output, /^ok {3}the extension is installed: iam-policy-tools\.iam-policy-language@\d+\.\d+\.\d+ -> /m, report);
      assert.match(run.output, /^ok {3}the workspace copy's settings point iamPolicy\.aws\.endpoint at moto \(\/\S*iam-policy-try-\w+\/workspace\)$/m, report);
      await assertAllStopped(run.output);
    },
  );

  it('Ctrl+C stops moto and code-server and removes the workspace copy', { timeout: TIMEOUT_MS }, async () => {
    let interrupted = false;
    const run = await runStart(['--code-server'], (output, child) => {
      if (!interrupted && output.includes('Press Ctrl+C')) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    const report = `exit ${run.code ?? run.signal}; output:\n${run.output}`;
    assert.ok(interrupted, `it never said how to stop it; ${report}`);
    assert.match(run.output, /Open this in a browser:\s+http:\/\/127\.0\.0\.1:\d+\/\?folder=/, report);
    assert.match(run.output, /Stopped moto and the editor\./, report);
    assert.equal(run.code, 130, report);
    await assertAllStopped(run.output);
  });
});
