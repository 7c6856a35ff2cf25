/**
 * A real IAM-compatible server for the IAM tests: moto (https://github.com/getmoto/moto),
 * run from a Python virtual environment this module creates on first use and reuses after.
 *
 *   venv:    <repo>/.venv-moto (git-ignored), or $IAM_TEST_MOTO_VENV
 *   python:  python3 from PATH, or $IAM_TEST_PYTHON (3.9 or later)
 *   created: python3 -m venv <venv>
 *            <venv>/bin/python -m pip install 'moto[server]==MOTO_VERSION'
 *
 * The server runs through test/support/moto_iam_ext.py (moto plus PutUserPermissionsBoundary,
 * which moto lacks), on 127.0.0.1 and a free port, in its own process group. It exits when
 * `stop()` is called, and also by itself when the test process dies (its stdin closes).
 *
 * Failures here throw with the reason and the tool's output: a test that cannot get its
 * server fails loudly, it is never skipped.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './paths';

const run = promisify(execFile);

/** Checked with `pip index versions moto` (latest on 2026-11-22) and run against this suite. */
export const MOTO_VERSION = '5.2.5';
const REQUIREMENT = `moto[server]==${MOTO_VERSION}`;

export const MOTO_VENV = process.env.IAM_TEST_MOTO_VENV ?? path.join(REPO_ROOT, '.venv-moto');
export const MOTO_EXTENSION = path.join(REPO_ROOT, 'test', 'support', 'moto_iam_ext.py');

const READY_MARKER = '.moto-ready';
/** Creating the venv and installing moto took about 30 s on the development machine. */
const INSTALL_TIMEOUT_MS = 10 * 60_000;
const LOCK_STALE_MS = 15 * 60_000;
const LOCK_POLL_MS = 500;
const STARTUP_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;

function venvPython(venv: string): string {
  return process.platform === 'win32' ? path.join(venv, 'Scripts', 'python.exe') : path.join(venv, 'bin', 'python');
}

function isReady(venv: string): boolean {
  try {
    return fs.readFileSync(path.join(venv, READY_MARKER), 'utf8').trim() === REQUIREMENT && fs.existsSync(venvPython(venv));
  } catch {
    return false;
  }
}

/**
 * The venv's python, after creating the venv if needed. Test files run in parallel processes,
 * so creation is guarded by a lock folder (mkdir is atomic); the others wait for it.
 */
export async function ensureMotoVenv(venv: string = MOTO_VENV): Promise<string> {
  if (isReady(venv)) return venvPython(venv);
  const lock = `${venv}.lock`;
  const deadline = Date.now() + INSTALL_TIMEOUT_MS;
  while (!tryLock(lock)) {
    if (isReady(venv)) return venvPython(venv);
    if (Date.now() > deadline) throw new Error(`Gave up waiting for another test process to create ${venv} (lock ${lock}).`);
    await sleep(LOCK_POLL_MS);
  }
  try {
    if (isReady(venv)) return venvPython(venv);
    await createVenv(venv);
    return venvPython(venv);
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function tryLock(lock: string): boolean {
  try {
    fs.mkdirSync(lock);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // A lock left by a process that was killed mid-install.
    const stat = fs.statSync(lock, { throwIfNoEntry: false });
    if (stat !== undefined && Date.now() - stat.mtimeMs > LOCK_STALE_MS) fs.rmSync(lock, { recursive: true, force: true });
    return false;
  }
}

async function createVenv(venv: string): Promise<void> {
  const python = process.env.IAM_TEST_PYTHON ?? 'python3';
  fs.rmSync(venv, { recursive: true, force: true });
  await runStep(`${python} -m venv ${venv}`, python, ['-m', 'venv', venv]);
  await runStep(`pip install '${REQUIREMENT}'`, venvPython(venv), [
    '-m',
    'pip',
    'install',
    '--disable-pip-version-check',
    '--no-input',
    '--quiet',
    REQUIREMENT,
  ]);
  fs.writeFileSync(path.join(venv, READY_MARKER), `${REQUIREMENT}\n`);
}

async function runStep(label: string, command: string, args: string[]): Promise<void> {
  try {
    await run(command, args, { timeout: INSTALL_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const failure = error as { stderr?: string; stdout?: string; message: string };
    const output = `${failure.stderr ?? ''}${failure.stdout ?? ''}`.trim().slice(-2_000);
    throw new Error(`Could not set up moto for the IAM tests: ${label} failed: ${failure.message}${output ? `\n${output}` : ''}`);
  }
}

export interface MotoServer {
  /** `http://127.0.0.1:PORT` */
  readonly endpoint: string;
  readonly port: number;
  /** Stops the server (its whole process group); safe to call twice. */
  stop(): Promise<void>;
}

export interface MotoOptions {
  /** Extra environment for moto, e.g. INITIAL_NO_AUTH_ACTION_COUNT to turn on its IAM authorization. */
  env?: Record<string, string>;
  /** Load AWS's managed policies (about 1,500), as a real account has. Default true. */
  awsManagedPolicies?: boolean;
}

export async function startMoto(options: MotoOptions = {}): Promise<MotoServer> {
  const python = await ensureMotoVenv();
  // A port taken between probing and binding makes moto exit at once; try a few.
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    try {
      return await launch(python, port, options);
    } catch (error) {
      lastError = error;
      if (!/address already in use/i.test(String(error))) break;
    }
  }
  throw lastError;
}

async function launch(python: string, port: number, options: MotoOptions): Promise<MotoServer> {
  const child = spawn(python, [MOTO_EXTENSION, '--exit-on-stdin-eof', '--host', '127.0.0.1', '--port', String(port)], {
    detached: true, // its own process group, so stop() can end everything it started
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      LANG: 'C.UTF-8',
      PYTHONUNBUFFERED: '1',
      MOTO_IAM_LOAD_MANAGED_POLICIES: options.awsManagedPolicies === false ? 'false' : 'true',
      ...options.env,
    },
  });
  // Never let the server keep the test process alive: the exit hook below ends it.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as net.Socket | null)?.unref();
  const output = captureOutput(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const killOnExit = (): void => killGroup(child, 'SIGKILL');
  process.once('exit', killOnExit);

  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exitsWithin = (ms: number): Promise<boolean> => Promise.race([exited.then(() => true), sleep(ms).then(() => false)]);
    // Closing stdin ends the server at once (its watchdog calls os._exit); SIGTERM waits for
    // werkzeug's poll loop, about a second; SIGKILL is the last resort. All to the whole group.
    child.stdin?.end();
    if (!(await exitsWithin(1_000))) {
      killGroup(child, 'SIGTERM');
      if (!(await exitsWithin(STOP_TIMEOUT_MS))) {
        killGroup(child, 'SIGKILL');
        await exited;
      }
    }
    killGroup(child, 'SIGKILL'); // anything else left in its group (normally nothing)
  };

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`moto exited during startup (code ${child.exitCode ?? child.signalCode}):\n${output()}`);
    }
    if (await answers(endpoint)) return { endpoint, port, stop };
    await sleep(100);
  }
  await stop();
  throw new Error(`moto did not answer on ${endpoint} within ${STARTUP_TIMEOUT_MS / 1000} s:\n${output()}`);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** The last few kilobytes of the child's output, for error messages. */
function captureOutput(child: ChildProcess): () => string {
  let text = '';
  const keep = (chunk: Buffer): void => {
    text = (text + chunk.toString('utf8')).slice(-8_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => text.trim() || '(no output)';
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
