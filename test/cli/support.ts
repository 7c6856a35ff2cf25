/** Runs the real command-line linter (bin/iam-policy-lint.js) in a child process. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/paths';

export const CLI_BIN = path.join(REPO_ROOT, 'bin', 'iam-policy-lint.js');
export const MANAGED_CORPUS = path.join(REPO_ROOT, 'test', 'fixtures', 'corpus', 'managed');

const NOBODY = ['--reuid=65534', '--regid=65534', '--clear-groups'];

let cliForNobody: string | undefined;

/**
 * The linter as `nobody` can run it: the repository's, or, when nobody cannot read the
 * repository (a clone under /root, mode 700), a copy of what it runs (its bin and dist/ but the
 * extension's client) in a folder nobody can read, removed when the tests end.
 */
function nobodysCli(): string {
  if (cliForNobody !== undefined) return cliForNobody;
  const probe = spawnSync('setpriv', [
    ...NOBODY,
    process.execPath,
    '-e',
    `require('node:fs').accessSync(${JSON.stringify(CLI_BIN)}, require('node:fs').constants.R_OK)`,
  ]);
  if (probe.status === 0) return (cliForNobody = CLI_BIN);
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-policy-lint-for-nobody-'));
  fs.chmodSync(copy, 0o755);
  process.once('exit', () => fs.rmSync(copy, { recursive: true, force: true }));
  const parts = [
    'bin/iam-policy-lint.js',
    ...fs
      .readdirSync(path.join(REPO_ROOT, 'dist'))
      .filter((name) => name !== 'client')
      .map((name) => `dist/${name}`),
  ];
  for (const part of parts) fs.cpSync(path.join(REPO_ROOT, part), path.join(copy, part), { recursive: true });
  return (cliForNobody = path.join(copy, 'bin', 'iam-policy-lint.js'));
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  input?: string | Buffer;
  env?: Record<string, string | undefined>;
}

export function lint(args: readonly string[], options: RunOptions & { unprivileged?: boolean; fileSizeLimit?: number } = {}): Run {
  const env: Record<string, string | undefined> = { ...process.env };
  // Colour is decided per test, never by the runner's environment.
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  delete env.NODE_TEST_CONTEXT;
  Object.assign(env, options.env ?? {});
  // Permission tests need a user the file modes apply to: as root (CI here), the CLI runs
  // as nobody through setpriv, and the tree it works in is opened up to it.
  const asNobody = options.unprivileged === true && process.getuid?.() === 0;
  if (asNobody && options.cwd !== undefined) fs.chmodSync(options.cwd, 0o777);
  let [command, commandArgs] = asNobody ? ['setpriv', [...NOBODY, process.execPath, nobodysCli(), ...args]] : [process.execPath, [CLI_BIN, ...args]];
  // A write that fails midway, for real: the kernel refuses to grow any file of the process
  // past this many bytes (RLIMIT_FSIZE; node ignores SIGXFSZ, so the write gets EFBIG).
  if (options.fileSizeLimit !== undefined) {
    [command, commandArgs] = ['prlimit', [`--fsize=${options.fileSizeLimit}:${options.fileSizeLimit}`, command, ...commandArgs]];
  }
  const result = spawnSync(command, commandArgs, {
    cwd: options.cwd ?? REPO_ROOT,
    input: options.input ?? '',
    env: env as NodeJS.ProcessEnv,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error !== undefined) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const roots: string[] = [];

/** A temporary directory holding these files (text, or bytes). */
export function tree(files: Record<string, string | Buffer>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'iam-lint-')));
  roots.push(root);
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(root, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return root;
}

export function removeTrees(): void {
  for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
}

/** A policy IAM accepts. */
export const CLEAN = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*" }\n  ]\n}\n';

/** Line 4 has an invalid Sid (error) and a trailing comma (error, fixable). */
export const BROKEN =
  '{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Sid": "a b", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", }\n  ]\n}\n';

/** Valid but for one thing: line 5 repeats the Sid of line 4 (duplicate-sid, error, related place 4:14). */
export const DUPLICATE_SID =
  '{\n  "Version": "2012-10-17",\n  "Statement": [\n' +
  '    { "Sid": "A", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*" },\n' +
  '    { "Sid": "A", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*" }\n  ]\n}\n';

/** The members of a statement IAM accepts, with no finding of its own. */
export const VALID_STATEMENT_MEMBERS = '"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"';

/**
 * A policy on one line: Version 2012-10-17 and these statements (JSON text). The engine checks
 * the whole grammar, so a test document is a valid policy apart from the problem under test.
 */
export function policyWith(...statements: string[]): string {
  return `{"Version": "2012-10-17", "Statement": [${statements.join(', ')}]}`;
}

export interface JsonOutput {
  files: Array<{
    path: string;
    findings: Array<{
      code: string;
      severity: string;
      message: string;
      line: number;
      column: number;
      endLine: number;
      endColumn: number;
      offset: number;
      length: number;
      related?: unknown[];
    }>;
    fixed?: Record<string, number>;
    error?: string;
  }>;
  errors: string[];
  summary: { files: number; errors: number; warnings: number; infos: number; hints: number; fixed: number; skipped: number; exitCode: number };
}

export function parseJsonOutput(run: Run): JsonOutput {
  return JSON.parse(run.stdout) as JsonOutput;
}
