/**
 * iam-policy-lint: the engine's findings for files on disk, for CI pipelines and pre-commit
 * hooks. A front end of the engine like the language server, with no LSP in it.
 *
 * Standard output carries the report (or, with --fix and -, the fixed document); standard
 * error carries what went wrong and the progress line, so a redirected report stays clean.
 */
import * as path from 'node:path';
import { ConfigCache, readConfigFile, type LoadedConfig } from '../config';
import { HELP, parseCommandLine, UsageError, type CliOptions } from './args';
import { expandOperands, STDIN } from './files';
import { runDiff, runSimulate } from './grants';
import { humanFileLines, humanSummary, COLOURS, PLAIN, sanitize } from './format/human';
import { jsonReport } from './format/json';
import { sarifReport } from './format/sarif';
import type { Catalog } from 'iam-policy-engine';
import { displayPath, lintTarget, type FileResult } from './lint';
import { LintPool, reported, type LintTask, type Reported } from './pool';
import { Progress } from './progress';
import { countBySeverity, exitCodeOf, EXIT_CLEAN, EXIT_ERROR, formatCount, TOOL_NAME, type LintedFile, type RunReport } from './report';
import { createCatalog } from '../catalogFiles';

export interface OutputStream {
  isTTY?: boolean;
  columns?: number;
  write(chunk: string): unknown;
}

export interface CliEnvironment {
  argv: readonly string[];
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: OutputStream;
  stderr: OutputStream;
  readStdin: () => Promise<Buffer>;
  version: string;
  /** The linter's entry point, to run on worker threads (--jobs); without it, files are linted on this thread. */
  threadScript?: string;
}

/**
 * Files per thread below which a run stays on one thread: starting one (the bundle, the
 * catalog index) costs about what linting a hundred files does.
 */
const FILES_PER_THREAD = 100;

export async function runCli(io: CliEnvironment): Promise<number> {
  // The subcommands about what policies grant; anything else is linted.
  if (io.argv[0] === 'diff') return runDiff(io, io.argv.slice(1));
  if (io.argv[0] === 'simulate') return runSimulate(io, io.argv.slice(1));
  let options: CliOptions;
  try {
    options = parseCommandLine(io.argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`${TOOL_NAME}: ${error.message}\nRun ${TOOL_NAME} --help for usage.\n`);
    return EXIT_ERROR;
  }
  if (options.help) {
    io.stdout.write(HELP);
    return EXIT_CLEAN;
  }
  if (options.version) {
    io.stdout.write(`${io.version}\n`);
    return EXIT_CLEAN;
  }

  const errors: string[] = [];
  let progress: Progress | undefined = undefined;
  const reportError = (message: string): void => {
    progress?.clear();
    errors.push(message);
    io.stderr.write(`${TOOL_NAME}: ${sanitize(message)}\n`);
  };

  // One configuration for everything, or the nearest .iam-policy.json for each file.
  let fixedConfig: LoadedConfig | undefined;
  if (options.config !== undefined) {
    fixedConfig = readConfigFile(path.resolve(io.cwd, options.config));
    if (fixedConfig.errors.length > 0) {
      for (const message of fixedConfig.errors) reportError(message);
      return EXIT_ERROR;
    }
  }
  const configs = new ConfigCache();

  const fixToStdout = options.fix && options.operands.includes(STDIN);
  // With --fix and -, standard output is the fixed document: the report moves to stderr.
  const reportStream = fixToStdout ? io.stderr : io.stdout;
  const useColour = options.color ?? decideColour(io.env, reportStream);
  const style = useColour ? COLOURS : PLAIN;

  let stdinBytes: Buffer | undefined;
  if (options.operands.includes(STDIN)) {
    try {
      stdinBytes = await io.readStdin();
    } catch (error) {
      reportError(`standard input cannot be read (${error instanceof Error ? error.message : String(error)}).`);
    }
  }

  // The service catalog: services load as the policies name them. Without it, actions,
  // resources and condition keys are not checked against the catalog (said once).
  let catalog: Catalog | undefined;
  try {
    catalog = await createCatalog();
  } catch (error) {
    io.stderr.write(
      `${TOOL_NAME}: the service catalog could not be loaded, so actions, resources and condition keys are not checked against it (${error instanceof Error ? error.message : String(error)}).\n`,
    );
  }

  const { targets, errors: operandErrors } = expandOperands(options.operands, io.cwd);
  for (const message of operandErrors) reportError(message);

  progress = new Progress(io.stderr, targets.length);
  const files: LintedFile[] = [];
  let skipped = 0;
  /** Configuration files with errors, and how many files they kept from being linted. */
  const badConfigs = new Map<string, number>();

  // Each file's configuration, then its task: what it is linted with, on whichever thread.
  const stdinPath = options.stdinFileName === undefined ? undefined : path.resolve(io.cwd, options.stdinFileName);
  const planned = targets.map((target) => {
    const isStdin = target.path === STDIN;
    const config = fixedConfig ?? configs.forFile(isStdin ? (stdinPath ?? path.join(io.cwd, '<stdin>')) : target.path);
    const task: LintTask = {
      target,
      options: { fix: options.fix, stdinFileName: stdinPath, config, ...(options.kind !== undefined ? { kind: options.kind } : {}) },
    };
    return { target, isStdin, config, task };
  });
  const lintHere = (task: LintTask): Promise<FileResult> => lintTarget(task.target, { ...task.options, readStdin: () => stdinBytes!, catalog });
  // On --jobs threads when asked and there are enough files for them; standard input stays on
  // this one. One thread by default: on the 2-core machine we measure on, a second thread made
  // the managed corpus 1.39x slower (farm-bench, 5 alternating runs: 2.87 s against 1.91 s),
  // since each thread warms the checks and decodes the catalog afresh.
  const onThreads = planned.filter((item) => !item.isStdin && item.config.errors.length === 0).map((item) => item.task);
  const jobs = Math.min(options.jobs ?? 1, Math.floor(onThreads.length / FILES_PER_THREAD));
  const shown: Reported = options.quiet ? 'errors' : options.hints ? 'all' : 'all but hints';
  const pool = io.threadScript !== undefined && jobs > 1 ? new LintPool(io.threadScript, jobs - 1, shown, lintHere) : undefined;
  pool?.add(onThreads);

  for (let index = 0; index < targets.length; index++) {
    const { target, isStdin, config, task } = planned[index];
    if (isStdin && stdinBytes === undefined) continue; // already reported
    const display = isStdin ? (stdinPath === undefined ? '<stdin>' : displayPath(stdinPath, io.cwd)) : displayPath(target.path, io.cwd);
    progress.update(index, sanitize(display));

    if (config.errors.length > 0) {
      const key = config.file ?? '';
      if (!badConfigs.has(key)) {
        badConfigs.set(key, 0);
        for (const message of config.errors) reportError(message);
      }
      badConfigs.set(key, badConfigs.get(key)! + 1);
      continue;
    }

    const result = await (pool?.result(task) ?? lintHere(task));
    if (!result.isPolicy && result.error === undefined) {
      skipped++;
      continue;
    }
    result.findings = reported(result.findings, shown);
    const file: LintedFile = { ...result, display };
    files.push(file);

    if (result.error !== undefined) {
      progress.clear();
      io.stderr.write(`${TOOL_NAME}: ${sanitize(display)}: ${result.error}\n`);
    }
    if (isStdin && result.fixedText !== undefined) {
      progress.clear();
      io.stdout.write(result.fixedText);
    }
    if (options.format === 'human') {
      const lines = humanFileLines(file, style);
      if (lines.length > 0) {
        progress.clear();
        reportStream.write(lines.join('\n') + '\n');
      }
    }
  }
  progress.clear();
  await pool?.close();

  for (const [file, count] of badConfigs) {
    errors.push(`${file}: ${count === 1 ? '1 file was' : `${formatCount(count)} files were`} not linted because of these errors.`);
    io.stderr.write(`${TOOL_NAME}: ${sanitize(errors[errors.length - 1])}\n`);
  }

  const counts = countBySeverity(files);
  const { exitCode, maxWarningsExceeded } = exitCodeOf({ files, errors, threshold: options.threshold, maxWarnings: options.maxWarnings, counts });
  const report: RunReport = {
    toolVersion: io.version,
    cwd: io.cwd,
    files,
    errors,
    skipped,
    counts,
    fixedTotal: files.reduce((sum, file) => sum + Object.values(file.fixed).reduce((a, b) => a + b, 0), 0),
    maxWarningsExceeded,
    exitCode,
  };

  switch (options.format) {
    case 'human': {
      const lines = humanSummary(report, style);
      if (lines.length > 0) reportStream.write(lines.join('\n') + '\n');
      break;
    }
    case 'json':
      reportStream.write(JSON.stringify(jsonReport(report), null, 2) + '\n');
      break;
    case 'sarif':
      reportStream.write(JSON.stringify(sarifReport(report), null, 2) + '\n');
      break;
  }
  if (maxWarningsExceeded !== undefined) {
    io.stderr.write(`${TOOL_NAME}: too many warnings: ${maxWarningsExceeded.warnings}, more than --max-warnings ${maxWarningsExceeded.max}.\n`);
  }
  if (files.length === 0 && errors.length === 0) {
    io.stderr.write(
      `${TOOL_NAME}: no policy files found${skipped > 0 ? ` (${formatCount(skipped)} JSON file${skipped === 1 ? '' : 's'} without a top-level "Statement" key skipped)` : ''}.\n`,
    );
  }
  return exitCode;
}

function decideColour(env: Record<string, string | undefined>, stream: OutputStream): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}
