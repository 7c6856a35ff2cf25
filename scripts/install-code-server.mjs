#!/usr/bin/env node
// Installs code-server (VS Code with a Node extension host, served on loopback) into a cache
// folder outside this repository, for the tests in test/vscode/. It is the one place that
// knows how: test/vscode/support/codeServer.ts runs it when the install is missing, and
// scripts/ci-vscode-deps.sh runs it on a fresh machine.
//
// Why not @vscode/test-electron: it downloads VS Code from a host these machines cannot reach.
// code-server comes from the npm registry; three snags make its install fail offline:
//   1. its postinstall refuses to run as root        -> npm_config_unsafe_perm=true
//   2. node-pty's postinstall runs `npx node-gyp`,
//      and the machine's npmrc says yes=false        -> npm_config_yes=true
//   3. @vscode/ripgrep's postinstall downloads rg    -> seed its download cache with Debian's rg
// (see shared/notes/real-vscode.md). It needs ripgrep, libkrb5-dev and a C++ toolchain.
//
// Usage: node scripts/install-code-server.mjs [--json]
//   Idempotent: a complete install is reused. Prints where it is (as JSON with --json).
//   IAM_POLICY_CODE_SERVER_DIR overrides the folder.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
/** The @vscode/ripgrep that code-server 4.100.3 depends on, and the rg release it fetches. */
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_RELEASE = 'v13.0.0-10';
const INSTALL_TIMEOUT_MS = 20 * 60_000;

export function codeServerDir() {
  if (process.env.IAM_POLICY_CODE_SERVER_DIR) return path.resolve(process.env.IAM_POLICY_CODE_SERVER_DIR);
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'iam-policy-tools', `code-server-${CODE_SERVER_VERSION}`);
}

/** Paths inside an install folder. */
export function layout(dir) {
  const packageDir = path.join(dir, 'node_modules', 'code-server');
  return {
    dir,
    packageDir,
    entry: path.join(packageDir, 'out', 'node', 'entry.js'),
    complete: path.join(dir, '.complete'),
    log: path.join(dir, 'install.log'),
  };
}

export function isInstalled(dir = codeServerDir()) {
  const paths = layout(dir);
  return fs.existsSync(paths.complete) && fs.existsSync(paths.entry);
}

/**
 * Installs code-server unless a complete install is there. Returns
 * { dir, entry, version, installedNow, seconds }. Throws with the reason and the end of
 * npm's output when the install fails.
 */
export async function ensureCodeServer({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const dir = codeServerDir();
  const started = Date.now();
  const result = (installedNow) => ({
    dir,
    entry: layout(dir).entry,
    version: CODE_SERVER_VERSION,
    installedNow,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  });
  if (isInstalled(dir)) return result(false);

  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const release = await lock(`${dir}.lock`, log);
  try {
    if (isInstalled(dir)) return result(false); // another process installed it meanwhile
    checkPrerequisites();
    const work = `${dir}.partial-${process.pid}`;
    fs.rmSync(work, { recursive: true, force: true });
    fs.mkdirSync(work, { recursive: true });
    const paths = layout(work);
    // A package.json of its own, so npm does not walk up into a project around the cache.
    fs.writeFileSync(
      path.join(work, 'package.json'),
      JSON.stringify(
        { name: 'code-server-for-tests', private: true, description: 'Installed by iam-policy-language scripts/install-code-server.mjs' },
        null,
        2,
      ),
    );
    const tmp = path.join(work, 'tmp');
    seedRipgrepCache(tmp);
    log(`Installing code-server ${CODE_SERVER_VERSION} into ${dir} (a few minutes the first time)`);
    try {
      await runNpmInstall(work, tmp, paths.log);
      if (!fs.existsSync(paths.entry)) {
        throw new Error(`npm finished but ${paths.entry} is missing.\n${tail(paths.log)}`);
      }
      // HOME elsewhere: code-server writes a default config file into it.
      const printed = execFileSync(process.execPath, [paths.entry, '--version'], { encoding: 'utf8', env: { ...process.env, HOME: tmp } });
      const version = printed.split('\n').find((line) => line.startsWith(`${CODE_SERVER_VERSION} `));
      if (version === undefined) {
        throw new Error(`code-server --version printed ${JSON.stringify(printed.trim())}, expected ${CODE_SERVER_VERSION}`);
      }
      fs.writeFileSync(paths.complete, `${new Date().toISOString()}\n${version}`);
    } catch (error) {
      // Keep npm's output for a look, not the 300 MB half-install.
      const kept = `${dir}.failed-install.log`;
      fs.copyFileSync(paths.log, kept);
      fs.rmSync(work, { recursive: true, force: true });
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n(npm's whole output: ${kept})`, { cause: error });
    }
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(work, dir);
    return result(true);
  } finally {
    release();
  }
}

/**
 * What installing code-server needs from the machine, and the Debian packages that give it
 * (scripts/prerequisites.mjs checks the same list before `npm start` and `npm test`).
 */
export const CODE_SERVER_BUILD_NEEDS = [
  {
    what: 'ripgrep (rg)',
    why: "code-server's @vscode/ripgrep would download rg from GitHub; Debian's is used instead",
    present: (env) => which('rg', env) !== undefined,
    debian: ['ripgrep'],
  },
  {
    what: 'the Kerberos headers',
    why: "code-server's kerberos module builds from source",
    present: (env) => fs.existsSync('/usr/include/gssapi/gssapi.h') || which('krb5-config', env) !== undefined,
    debian: ['libkrb5-dev'],
  },
  {
    what: 'a C++ toolchain (make, g++)',
    why: "node-gyp builds code-server's native modules",
    present: (env) => which('make', env) !== undefined && which('g++', env) !== undefined,
    debian: ['build-essential'],
  },
  { what: 'Python 3', why: 'node-gyp runs it', present: (env) => which('python3', env) !== undefined, debian: ['python3'] },
];

function checkPrerequisites() {
  const missing = CODE_SERVER_BUILD_NEEDS.filter((need) => !need.present(process.env));
  if (missing.length > 0) {
    throw new Error(
      `Cannot install code-server ${CODE_SERVER_VERSION}: missing ${missing.map((need) => `${need.what} (${need.why})`).join('; ')}.\n` +
        `Run as root: apt-get update && apt-get install -y --no-install-recommends ${missing.flatMap((need) => need.debian).join(' ')} (or: node scripts/prerequisites.mjs start).`,
    );
  }
}

/**
 * @vscode/ripgrep's postinstall looks in `os.tmpdir()/vscode-ripgrep-cache-<its version>` for
 * the release archive before downloading it: put Debian's rg there, in the archive it expects.
 * The npm child gets TMPDIR pointing at `tmp`, so nothing is left in the machine's /tmp.
 */
function seedRipgrepCache(tmp) {
  const target = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' }[process.arch];
  if (process.platform !== 'linux' || target === undefined) {
    throw new Error(`Seeding the ripgrep cache is only set up for Linux x64 and arm64, not ${process.platform} ${process.arch}.`);
  }
  const cache = path.join(tmp, `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  const stage = path.join(tmp, 'rg-stage');
  fs.mkdirSync(cache, { recursive: true });
  fs.mkdirSync(stage, { recursive: true });
  fs.copyFileSync(which('rg'), path.join(stage, 'rg'));
  fs.chmodSync(path.join(stage, 'rg'), 0o755);
  execFileSync('tar', ['czf', path.join(cache, `ripgrep-${RIPGREP_RELEASE}-${target}.tar.gz`), '-C', stage, 'rg']);
}

function runNpmInstall(cwd, tmp, logFile) {
  const env = {
    ...process.env,
    TMPDIR: tmp,
    npm_config_unsafe_perm: 'true',
    npm_config_yes: 'true',
    npm_config_foreground_scripts: 'true',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_update_notifier: 'false',
    npm_config_progress: 'false',
  };
  const out = fs.openSync(logFile, 'w');
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['install', `code-server@${CODE_SERVER_VERSION}`, '--no-package-lock'], {
      cwd,
      env,
      stdio: ['ignore', out, out],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), INSTALL_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      fs.closeSync(out);
      reject(new Error(`Could not run npm: ${error.message}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      fs.closeSync(out);
      if (code === 0) resolve();
      else reject(new Error(`npm install code-server@${CODE_SERVER_VERSION} failed (${signal ?? `exit ${code}`}).\n${tail(logFile)}`));
    });
  });
}

/** A lock folder; a lock left by a dead process is taken over. */
async function lock(lockDir, log) {
  const deadline = Date.now() + INSTALL_TIMEOUT_MS;
  let told = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      return () => fs.rmSync(lockDir, { recursive: true, force: true });
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    let holder = NaN;
    try {
      holder = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
    } catch {
      // being written right now
    }
    if (Number.isInteger(holder) && holder > 0 && !alive(holder)) {
      fs.rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${lockDir} (held by process ${holder}).`);
    if (!told) {
      log(`Waiting for another install of code-server to finish (${lockDir})`);
      told = true;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** The path of `command` on the PATH, or undefined. */
export function which(command, env = process.env) {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureCodeServer().then(
    (info) => {
      if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(info)}\n`);
      else process.stdout.write(`code-server ${info.version} ${info.installedNow ? 'installed' : 'already installed'} in ${info.dir} (${info.seconds} s)\n`);
    },
    (error) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
