/**
 * A real VS Code for the tests: code-server 4.100.3 (VS Code 1.100.3 with its extension host
 * in Node), installed once into a cache folder outside the repository and started isolated
 * for each test file:
 *
 *   const vsix = await ensureVsix();
 *   const server = await startCodeServer({ name: 'ui', vsix: vsix.path });
 *   page.goto(server.workbenchUrl());   // see browser.ts
 *   ...
 *   await server.stop();
 *
 * Isolation: its own HOME and XDG folders, user data and extensions folders under
 * .test-runs/<name>/, a settings.json that turns off everything that reaches out, an extension
 * gallery that points at a closed port, and 127.0.0.1 only. It runs in its own process group
 * (file watchers and the extension host are children), and stop() ends the whole group.
 * See shared/notes/real-vscode.md for why each piece is there.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { copyWorkspace, EXTENSION_FOLDER_NAME, freshRunDir, INSTALL_SCRIPT } from './paths';

const execFileAsync = promisify(execFile);

export const CODE_SERVER_VERSION = '4.100.3';

export interface CodeServerInstall {
  dir: string;
  /** out/node/entry.js of the code-server package: run with this Node. */
  entry: string;
  version: string;
  /** False when a complete install was already there. */
  installedNow: boolean;
  seconds: number;
}

/**
 * Installs code-server into its cache folder unless it is there (scripts/install-code-server.mjs,
 * the same script CI's setup runs). Throws with the reason when it cannot, such as ripgrep or
 * the kerberos headers missing.
 */
export async function ensureCodeServer(): Promise<CodeServerInstall> {
  try {
    const { stdout } = await execFileAsync(process.execPath, [INSTALL_SCRIPT, '--json'], { maxBuffer: 16 * 1024 * 1024, timeout: 25 * 60_000 });
    const last = stdout.trim().split('\n').pop() ?? '';
    return JSON.parse(last) as CodeServerInstall;
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    throw new Error(`code-server ${CODE_SERVER_VERSION} is not installed and could not be installed:\n${stderr?.trim() || message}`, { cause: error });
  }
}

/** User settings that keep VS Code from reaching out or showing first-run noise. */
export const ISOLATED_SETTINGS: Readonly<Record<string, unknown>> = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'json.schemaDownload.enable': false,
  'npm.fetchOnlinePackageInfo': false,
  'workbench.enableExperiments': false,
  'workbench.settings.enableNaturalLanguageSearch': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'chat.disableAIFeatures': true,
  // Double-click opens a file for good, not in a preview tab that the next file replaces.
  'workbench.editor.enablePreview': false,
  'files.hotExit': 'off',
};

/** Points the extension gallery at the discard port on loopback: nothing is fetched. */
const CLOSED_GALLERY = JSON.stringify({
  serviceUrl: 'http://127.0.0.1:9/gallery',
  itemUrl: 'http://127.0.0.1:9/items',
  resourceUrlTemplate: 'http://127.0.0.1:9/res/{publisher}/{name}/{version}/{path}',
});

export interface StartOptions {
  /** Names the run folder .test-runs/<name>/ (replaced on each start). */
  name: string;
  /** A .vsix to install with --install-extension into the run's fresh extensions folder. */
  vsix?: string;
  /** The folder to open; by default a fresh copy of test/vscode/workspace in the run folder. */
  workspace?: string;
  /** Settings added to ISOLATED_SETTINGS. */
  settings?: Record<string, unknown>;
  /**
   * Environment for code-server and so for the extension host (AWS_ACCESS_KEY_ID, say).
   * Added after the isolation below, so it may set what that removes.
   */
  env?: Record<string, string>;
  /**
   * The folder of an unpacked extension to load as it is (a symlink in the extensions
   * folder), instead of installing a .vsix: for `npm start`, which runs the working tree.
   */
  extensionPath?: string;
  /** How long to wait for /healthz (default 60 s). */
  startTimeoutMs?: number;
  /**
   * Workspace Trust on, and the folder never trusted (no prompt): it opens in Restricted Mode.
   * Off by default, as VS Code's own extension tests run it.
   */
  restrictedMode?: boolean;
}

export interface CodeServer {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  readonly runDir: string;
  readonly workspace: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  /** Where the .vsix was unpacked, when one was installed. */
  readonly installedExtension: string | undefined;
  /** code-server's own output (its log, and the install's). */
  readonly logFile: string;
  /** The code-server install used (installedNow: it was installed for this run). */
  readonly install: CodeServerInstall;
  /** Seconds: installing the .vsix, and starting until /healthz answered. */
  readonly timings: { installExtension: number; start: number };
  /** The page that opens the workspace, with optional extra query parameters. */
  workbenchUrl(query?: Record<string, string>): string;
  /** A path on this machine as the workbench's extension host sees it. */
  remoteUri(absolutePath: string): string;
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

/** One line on where the time went, for the test's output. */
export function describeTimings(server: CodeServer): string {
  const install = server.install.installedNow ? `installed code-server in ${server.install.seconds} s` : 'code-server already installed';
  return `${install}; --install-extension ${server.timings.installExtension.toFixed(1)} s; start ${server.timings.start.toFixed(1)} s`;
}

export async function startCodeServer(options: StartOptions): Promise<CodeServer> {
  const install = await ensureCodeServer();
  const runDir = freshRunDir(options.name);
  const dirs = {
    home: path.join(runDir, 'home'),
    config: path.join(runDir, 'xdg', 'config'),
    data: path.join(runDir, 'xdg', 'data'),
    cache: path.join(runDir, 'xdg', 'cache'),
    tmp: path.join(runDir, 'tmp'),
    userData: path.join(runDir, 'user-data'),
    extensions: path.join(runDir, 'extensions'),
  };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
  const workspace = options.workspace ?? copyWorkspace(path.join(runDir, 'workspace'));
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(dirs.userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        ...ISOLATED_SETTINGS,
        ...(options.restrictedMode === true
          ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.emptyWindow': false }
          : {}),
        ...options.settings,
      },
      null,
      2,
    ),
  );
  const configFile = path.join(runDir, 'code-server.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  const logFile = path.join(runDir, 'code-server.log');

  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // Nothing of an editor or test runner this runs inside leaks into it, nor the machine's
    // AWS setup (profile, keys, endpoints): the extension's AWS calls go where a test says.
    if (!/^(VSCODE_|ELECTRON_|NODE_OPTIONS$|NODE_TEST_CONTEXT$|CODE_SERVER_|PASSWORD$|HASHED_PASSWORD$|AWS_)/.test(key)) env[key] = value;
  }
  Object.assign(env, {
    HOME: dirs.home,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: dirs.cache,
    TMPDIR: dirs.tmp,
    EXTENSIONS_GALLERY: CLOSED_GALLERY,
    // Without credentials the SDK would ask the instance metadata service at 169.254.169.254.
    AWS_EC2_METADATA_DISABLED: 'true',
    ...options.env,
  });
  const common = ['--config', configFile, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];

  let installedExtension: string | undefined;
  let installSeconds = 0;
  if (options.vsix !== undefined) {
    const started = Date.now();
    let output: string;
    try {
      const result = await execFileAsync(process.execPath, [install.entry, ...common, '--install-extension', options.vsix], { env, timeout: 120_000 });
      output = result.stdout + result.stderr;
    } catch (error) {
      const { stdout, stderr, message } = error as { stdout?: string; stderr?: string; message: string };
      throw new Error(`code-server --install-extension ${options.vsix} failed: ${message}\n${stdout ?? ''}${stderr ?? ''}`, { cause: error });
    }
    fs.writeFileSync(logFile, `$ code-server --install-extension ${options.vsix}\n${output}\n`);
    installedExtension = path.join(dirs.extensions, EXTENSION_FOLDER_NAME);
    if (!fs.existsSync(path.join(installedExtension, 'package.json'))) {
      throw new Error(`code-server --install-extension did not create ${installedExtension}:\n${output}`);
    }
    installSeconds = (Date.now() - started) / 1000;
  } else if (options.extensionPath !== undefined) {
    installedExtension = path.join(dirs.extensions, EXTENSION_FOLDER_NAME);
    fs.symlinkSync(path.resolve(options.extensionPath), installedExtension, 'dir');
  }

  const port = await freePort();
  const log = fs.openSync(logFile, 'a');
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [
      install.entry,
      ...common,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      ...(options.restrictedMode === true ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
      '--disable-proxy',
      '--ignore-last-opened',
    ],
    { env, cwd: runDir, detached: true, stdio: ['ignore', log, log] },
  );
  fs.closeSync(log);
  const stopGroup = killGroupOnExit(child);
  const url = `http://127.0.0.1:${port}`;
  const tail = (lines = 40): string => readTail(logFile, lines);

  try {
    await waitForHealth(url, child, options.startTimeoutMs ?? 60_000);
  } catch (error) {
    await stopGroup();
    throw new Error(`${(error as Error).message}\n--- ${logFile} ---\n${tail()}`, { cause: error });
  }
  const startSeconds = (Date.now() - started) / 1000;

  return {
    url,
    port,
    runDir,
    workspace,
    userDataDir: dirs.userData,
    extensionsDir: dirs.extensions,
    installedExtension,
    logFile,
    install,
    timings: { installExtension: installSeconds, start: startSeconds },
    workbenchUrl(query = {}) {
      const params = new URLSearchParams({ folder: workspace, ...query });
      return `${url}/?${params.toString()}`;
    },
    remoteUri(absolutePath) {
      return `vscode-remote://127.0.0.1:${port}${absolutePath.split(path.sep).map(encodeURIComponent).join('/')}`;
    },
    logTail: tail,
    stop: stopGroup,
  };
}

/** A port nobody listens on right now, on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited (${child.signalCode ?? `code ${child.exitCode}`}) before it answered on ${url}`);
    }
    if (await answers(`${url}/healthz`)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`code-server did not answer on ${url}/healthz within ${timeoutMs / 1000} s`);
}

function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(url, { timeout: 2000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('error', () => resolve(false));
    request.on('timeout', () => {
      request.destroy();
      resolve(false);
    });
  });
}

/**
 * Returns stop(): SIGTERM to the process group, SIGKILL after 5 s if anything is left. Also
 * kills the group if this test process exits without calling it.
 */
function killGroupOnExit(child: ChildProcess): () => Promise<void> {
  const pgid = child.pid;
  if (pgid === undefined) throw new Error('code-server did not start (no pid)');
  const signal = (name: NodeJS.Signals | 0): boolean => {
    try {
      process.kill(-pgid, name);
      return true;
    } catch {
      return false; // the group is gone
    }
  };
  const onExit = (): void => void signal('SIGKILL');
  process.on('exit', onExit);
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      process.off('exit', onExit);
      if (!signal('SIGTERM')) return;
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        if (!signal(0)) return;
      }
      signal('SIGKILL');
    })();
    return stopping;
  };
}

function readTail(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
