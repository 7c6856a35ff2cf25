#!/usr/bin/env node
// What `npm start` and `npm test` need from the machine, checked first, in well under a
// second, before any long step (the build, moto's Python environment, code-server's install):
//
//   node scripts/prerequisites.mjs start|test [--system] [--no-install]
//
// What is missing and comes from Debian's packages is installed when this runs as root on
// Debian (as CI does), saying what and why; otherwise, or with --no-install, it stops at once
// with the one command to run. What no package manager can give here (Node.js itself, npm ci)
// is only named. Exit status 0 when everything is there (now), 1 when not.
//
// `start` needs only what starting needs: Node.js, npm ci, Python 3 with venv (moto, the local
// IAM, is installed into .venv) and, unless code-server is installed already or VS Code's `code`
// is on the PATH, what installing code-server needs (ripgrep, the Kerberos headers, a C++
// toolchain); never a browser. `test` adds Chromium (the UI tests drive VS Code in it) and
// Neovim (the language server is tested in it). --system leaves out npm ci's node_modules, for
// .ci/run's set-up before `npm ci`.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CODE_SERVER_BUILD_NEEDS, CODE_SERVER_VERSION, codeServerDir, isInstalled, which } from './install-code-server.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const MINIMUM_NODE = 20;

/**
 * @typedef {{ what: string, why: string, present: () => boolean, debian?: string[], command?: string }} Need
 * `debian`: the Debian packages that provide it; `command`: what to run when no package does.
 */

/** The needs of `purpose` ('start' or 'test') on this machine, present or not. */
export function needsFor(purpose, { system = false, env = process.env } = {}) {
  /** @type {Need[]} */
  const needs = [
    {
      what: `Node.js ${MINIMUM_NODE} or later`,
      why: `this is ${process.version}`,
      present: () => Number(process.versions.node.split('.')[0]) >= MINIMUM_NODE,
      command: `install Node.js ${MINIMUM_NODE} or later (https://nodejs.org/en/download)`,
    },
  ];
  if (!system) {
    needs.push({
      what: "the repository's npm packages",
      why: 'the build and the tests run from node_modules',
      present: () => fs.existsSync(path.join(REPO, 'node_modules', '.package-lock.json')) && fs.existsSync(path.join(REPO, 'node_modules', 'typescript')),
      command: 'npm ci',
    });
  }
  needs.push({
    what: 'Python 3 with venv',
    why: 'moto, the local IAM, is installed with pip into .venv',
    // Once .venv is there, only its own Python is needed.
    present: () =>
      fs.existsSync(path.join(REPO, '.venv', 'bin', 'python')) || spawnSync('python3', ['-c', 'import venv, ensurepip'], { stdio: 'ignore' }).status === 0,
    debian: ['python3', 'python3-venv'],
  });
  const editorIsCode = purpose === 'start' && which('code', env) !== undefined;
  if (!editorIsCode && !isInstalled(codeServerDir())) {
    for (const need of CODE_SERVER_BUILD_NEEDS) {
      needs.push({ what: need.what, why: `installing code-server ${CODE_SERVER_VERSION}: ${need.why}`, present: () => need.present(env), debian: need.debian });
    }
  }
  if (purpose === 'test') {
    const chromium = env.IAM_POLICY_CHROMIUM ?? '/usr/bin/chromium';
    needs.push({
      what: `Chromium (${chromium})`,
      why: 'the UI tests drive VS Code in it; playwright-core brings no browser',
      present: () => fs.existsSync(chromium),
      debian: ['chromium'],
    });
    needs.push({
      what: 'Neovim (nvim)',
      why: 'the language server is tested in Neovim too',
      present: () => which('nvim', env) !== undefined,
      debian: ['neovim'],
    });
  }
  return needs;
}

function isDebian() {
  return fs.existsSync('/etc/debian_version');
}

/**
 * apt-get's options: `npm start` installs the least that works (no recommended packages);
 * `npm test` takes Debian's defaults, so Chromium gets its recommended fonts for the screenshots.
 */
function aptInstallOptions(purpose) {
  return purpose === 'start' ? ['-y', '--no-install-recommends'] : ['-y'];
}

/** The one command that gives every missing Debian package. */
export function aptCommand(purpose, packages, { root = process.getuid?.() === 0 } = {}) {
  const sudo = root ? '' : 'sudo ';
  return `${sudo}apt-get update && ${sudo}apt-get install ${aptInstallOptions(purpose).join(' ')} ${packages.join(' ')}`;
}

/** Runs apt-get quietly: one line per step, its whole output only when it fails. */
function apt(args, env, log) {
  const started = Date.now();
  const result = spawnSync('apt-get', args, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (result.status === 0) {
    log(`  apt-get ${args.join(' ')}: done in ${seconds} s`);
    return true;
  }
  log(
    `  apt-get ${args.join(' ')}: failed (exit ${result.status ?? result.signal ?? result.error?.message}) after ${seconds} s:\n${`${result.stdout ?? ''}${result.stderr ?? ''}`.trimEnd().split('\n').slice(-30).join('\n')}`,
  );
  return false;
}

/**
 * Checks, and installs what Debian can give when allowed to. Returns the needs still missing
 * (empty: go on), after printing what was done or what to do.
 */
export function ensure(purpose, { system = false, install = true, log = (line) => console.log(line), env = process.env } = {}) {
  const started = Date.now();
  const needs = needsFor(purpose, { system, env });
  let missing = needs.filter((need) => !need.present());
  const packages = [...new Set(missing.flatMap((need) => need.debian ?? []))];
  const canInstall = install && packages.length > 0 && isDebian() && process.getuid?.() === 0 && which('apt-get', env) !== undefined;
  if (canInstall) {
    log(`npm ${purpose}: installing Debian packages it needs: ${packages.join(' ')}`);
    for (const need of missing.filter((need) => need.debian !== undefined)) log(`  ${need.what} (${need.debian.join(', ')}): ${need.why}`);
    if (apt(['update'], env, log)) apt(['install', ...aptInstallOptions(purpose), ...packages], env, log);
    missing = missing.filter((need) => !need.present());
    if (missing.length === 0) {
      log(`npm ${purpose}: installed ${packages.join(' ')} in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
      return [];
    }
  }
  if (missing.length === 0) return [];
  log(`npm ${purpose} cannot go on: ${missing.length === 1 ? 'this is' : 'these are'} missing.`);
  for (const need of missing) log(`  - ${need.what}: ${need.why}${need.debian !== undefined ? ` (Debian: ${need.debian.join(', ')})` : ''}`);
  const stillPackages = [...new Set(missing.flatMap((need) => need.debian ?? []))];
  const commands = [...new Set(missing.filter((need) => need.debian === undefined).map((need) => need.command))];
  if (stillPackages.length > 0) {
    commands.push(
      isDebian() || which('apt-get', env) !== undefined
        ? aptCommand(purpose, stillPackages)
        : `install ${missing
            .filter((need) => need.debian !== undefined)
            .map((need) => need.what)
            .join(', ')} with your package manager`,
    );
  }
  log(`Run this, then npm ${purpose} again:\n\n    ${commands.join(' && ')}\n`);
  return missing;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [purpose, ...flags] = process.argv.slice(2);
  if (purpose !== 'start' && purpose !== 'test') {
    console.error('Usage: node scripts/prerequisites.mjs start|test [--system] [--no-install]');
    process.exit(2);
  }
  const missing = ensure(purpose, { system: flags.includes('--system'), install: !flags.includes('--no-install') });
  process.exit(missing.length === 0 ? 0 : 1);
}
