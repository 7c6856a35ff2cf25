/**
 * A real IAM-compatible server for the IAM tests: moto (https://github.com/getmoto/moto),
 * run from the tests' Python virtual environment (<repo>/.venv, from test/requirements.txt,
 * see ./python.ts), created on first use and reused after.
 *
 * The server runs through test/support/moto_iam_ext.py (moto plus PutUserPermissionsBoundary,
 * which moto lacks), on 127.0.0.1 and a free port, in its own process group. It exits when
 * `stop()` is called, and also by itself when the test process dies (its stdin closes).
 *
 * Failures here throw with the reason and the tool's output: a test that cannot get its
 * server fails loudly, it is never skipped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { REPO_ROOT } from './paths';
import { ensurePythonEnv } from './python';

/** Checked with `pip index versions moto` (latest on 2026-11-22) and run against this suite. */
export const MOTO_VERSION = '5.2.5';

export const MOTO_EXTENSION = path.join(REPO_ROOT, 'test', 'support', 'moto_iam_ext.py');

const STARTUP_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;

/**
 * The python of the tests' virtual environment, with moto installed: the one environment of
 * test/requirements.txt (which pins moto[server]), created and kept up to date by
 * ensurePythonEnv, safe with test files running in parallel.
 */
export async function ensureMotoVenv(): Promise<string> {
  const { python } = await ensurePythonEnv();
  return python;
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
