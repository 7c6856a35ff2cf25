/**
 * Benchmark of iam-policy-lint on the whole managed corpus (1,594 AWS managed policies),
 * against Parliament and against the floor of merely reading and JSON.parse-ing every file.
 * A script, not a test: `npm run build && node out/test/bench/cli.js [--runs N] [--json]`.
 * (node --test loads every .js under out/test: run that way, it does nothing.)
 *
 * What is measured, each the best of N runs (the median is printed too), the measures taking
 * turns run by run:
 * - iam-policy-lint: the real binary, spawned once over the corpus directory, wall time from
 *   spawn to exit (Node's start-up included), human output read from a pipe; with its
 *   default --jobs (the core count) and, when it takes the option, with --jobs 1.
 * - floor, spawned: a Node process that reads and JSON.parses every file, same wall time;
 *   floor, in-process: the same loop inside this process (no start-up).
 * - engine, in-process: analyze + applyRuleSettings on texts already in memory, one thread.
 * - the linter and the spawned floor over the corpus copied 10 times (16,000 files): the
 *   time per file should stay flat, and the memory bounded.
 * - Parliament 1.6.4 (pinned), in a virtual environment at .venv-bench made on the
 *   first run: one Python process over all files through its Python API
 *   (`analyze_policy_string`), because its CLI's `--directory` mode stops at the first policy
 *   it raises on (several managed policies do) and `--file` per file would mostly measure
 *   Python's start-up. Wall time of the spawned process (start-up and import included), and
 *   the loop alone as timed inside Python.
 * Spawned processes report their peak resident memory (all threads) as they exit.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze } from 'iam-policy-engine/analyze';
import { applyRuleSettings } from 'iam-policy-engine/rules';
import { REPO_ROOT } from '../support/paths';
import { createCatalog } from '../../server/src/catalogFiles';

export const PARLIAMENT_VERSION = '1.6.4';
const CORPUS = path.join(REPO_ROOT, 'test', 'fixtures', 'corpus', 'managed');
const CLI_BIN = path.join(REPO_ROOT, 'bin', 'iam-policy-lint.js');
const VENV = path.join(REPO_ROOT, '.venv-bench');
/** How many copies of the corpus the scaling run lints at once. */
const COPIES = 10;

export interface Measure {
  name: string;
  files: number;
  /** Best of the runs, seconds. */
  seconds: number;
  median: number;
  filesPerSecond: number;
  /** The process's peak resident memory (the largest of the runs), MB, when measured. */
  peakMemoryMb?: number;
  note?: string;
}

export interface BenchResult {
  files: number;
  bytes: number;
  runs: number;
  measures: Measure[];
  skipped: Array<{ name: string; reason: string }>;
}

function corpusFiles(): string[] {
  return fs
    .readdirSync(CORPUS)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => path.join(CORPUS, name));
}

interface Timed {
  name: string;
  files: number;
  /** Runs once; may give the process's peak memory in MB. */
  once: () => number | void;
  note?: () => string | undefined;
}

/**
 * Times each in turn, `runs` rounds, each round in the other order than the one before, so
 * the measures share the machine's quiet and busy moments alike.
 */
function alternate(runs: number, items: readonly Timed[]): Measure[] {
  const times = items.map(() => [] as number[]);
  const peaks = items.map(() => 0);
  for (let run = 0; run < runs; run++) {
    const order = items.map((_, index) => index);
    if (run % 2 === 1) order.reverse();
    for (const index of order) {
      const start = process.hrtime.bigint();
      const peak = items[index].once();
      times[index].push(Number(process.hrtime.bigint() - start) / 1e9);
      if (typeof peak === 'number') peaks[index] = Math.max(peaks[index], peak);
    }
  }
  return items.map((item, index) => {
    const sorted = times[index].sort((a, b) => a - b);
    const best = sorted[0];
    const measure: Measure = {
      name: item.name,
      files: item.files,
      seconds: best,
      median: sorted[Math.floor(sorted.length / 2)],
      filesPerSecond: item.files / best,
    };
    if (peaks[index] > 0) measure.peakMemoryMb = peaks[index];
    const note = item.note?.();
    if (note !== undefined) measure.note = note;
    return measure;
  });
}

function spawnChecked(command: string, args: string[], expectCodes: number[], input?: string, env: Record<string, string> = {}): string {
  const run = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, input, env: { ...process.env, NO_COLOR: '1', ...env } });
  if (run.error !== undefined) throw run.error;
  if (!expectCodes.includes(run.status ?? -1)) {
    throw new Error(`${path.basename(command)} ${args.slice(0, 2).join(' ')} exited ${run.status}: ${run.stderr.slice(0, 500)}`);
  }
  return run.stdout;
}

/**
 * Loaded into a spawned Node (`--require`): writes the process's peak resident memory (all
 * its threads) to BENCH_PEAK_FILE as it exits. Measured from outside the linter, which stays
 * as it ships.
 */
const PEAK_PRELOAD = `
if (require('worker_threads').isMainThread && process.env.BENCH_PEAK_FILE) {
  process.on('exit', () => require('fs').writeFileSync(process.env.BENCH_PEAK_FILE, String(process.resourceUsage().maxRSS)));
}
`;

let preloadFile: string | undefined;

/** Runs `node args...`, and returns its peak resident memory in MB. */
function spawnNode(args: string[], expectCodes: number[], input?: string): number | undefined {
  if (preloadFile === undefined) {
    preloadFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'iam-bench-')), 'peak.js');
    fs.writeFileSync(preloadFile, PEAK_PRELOAD);
  }
  const peakFile = path.join(path.dirname(preloadFile), 'peak');
  fs.rmSync(peakFile, { force: true });
  spawnChecked(process.execPath, ['--require', preloadFile, ...args], expectCodes, input, { BENCH_PEAK_FILE: peakFile });
  return fs.existsSync(peakFile) ? Number(fs.readFileSync(peakFile, 'utf8')) / 1024 : undefined;
}

/** Makes the virtual environment with the pinned Parliament; the reason when it cannot. */
function ensureParliament(): string | undefined {
  const python = path.join(VENV, 'bin', 'python');
  const installed = (): boolean => {
    const run = spawnSync(python, ['-c', 'import importlib.metadata as m; print(m.version("parliament"))'], { encoding: 'utf8' });
    return run.status === 0 && run.stdout.trim() === PARLIAMENT_VERSION;
  };
  if (fs.existsSync(python) && installed()) return undefined;
  const base = process.env.PYTHON ?? 'python3';
  const venv = spawnSync(base, ['-m', 'venv', VENV], { encoding: 'utf8' });
  if (venv.status !== 0) return `cannot make a virtual environment with ${base}: ${(venv.stderr || String(venv.error)).trim().slice(0, 300)}`;
  process.stderr.write(`Installing parliament==${PARLIAMENT_VERSION} into ${path.relative(REPO_ROOT, VENV)}...\n`);
  const pip = spawnSync(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `parliament==${PARLIAMENT_VERSION}`], { encoding: 'utf8' });
  if (pip.status !== 0) return `pip install parliament==${PARLIAMENT_VERSION} failed: ${pip.stderr.trim().slice(0, 300)}`;
  return installed() ? undefined : 'parliament did not install';
}

/** Reads file names on stdin; prints {loopSeconds, raised, peakMemoryKb} once every file is analysed. */
const PARLIAMENT_SCRIPT = `
import json, resource, sys, time
from parliament import analyze_policy_string
paths = sys.stdin.read().split("\\n")
raised = 0
start = time.perf_counter()
for p in paths:
    with open(p, encoding="utf-8") as f:
        text = f.read()
    try:
        analyze_policy_string(text, p)
    except Exception:
        raised += 1
print(json.dumps({"loopSeconds": time.perf_counter() - start, "raised": raised, "peakMemoryKb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
`;

const FLOOR_SCRIPT = `
const fs = require('fs');
let keys = 0;
for (const p of fs.readFileSync(0, 'utf8').split('\\n')) keys += Object.keys(JSON.parse(fs.readFileSync(p, 'utf8'))).length;
process.stdout.write(String(keys));
`;

/** The corpus copied `COPIES` times into a temporary folder (real copies: other files, other inodes). */
function copiedCorpus(files: readonly string[]): { folder: string; files: string[] } {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-bench-corpus-'));
  const copies: string[] = [];
  for (let copy = 0; copy < COPIES; copy++) {
    const sub = path.join(folder, `copy-${copy}`);
    fs.mkdirSync(sub);
    for (const file of files) {
      const target = path.join(sub, path.basename(file));
      fs.copyFileSync(file, target);
      copies.push(target);
    }
  }
  return { folder, files: copies };
}

/** Whether the linter takes --jobs (it did not before its files were checked on worker threads). */
function takesJobs(): boolean {
  return spawnChecked(process.execPath, [CLI_BIN, '--help'], [0]).includes('--jobs');
}

export async function benchCli(runs = 3): Promise<BenchResult> {
  const files = corpusFiles();
  const bytes = files.reduce((sum, file) => sum + fs.statSync(file).size, 0);
  const measures: Measure[] = [];
  const skipped: BenchResult['skipped'] = [];
  const list = files.join('\n');

  // Warm the page cache and the bundle once, so no measure pays for the first read.
  for (const file of files) fs.readFileSync(file);
  spawnChecked(process.execPath, [CLI_BIN, CORPUS], [0, 1]);

  const texts = files.map((file) => fs.readFileSync(file, 'utf8'));
  const catalog = await createCatalog();
  await catalog.loadAll();
  const jobs = takesJobs();
  const n = files.length;
  measures.push(
    ...alternate(runs, [
      { name: 'iam-policy-lint (spawned, whole corpus)', files: n, once: () => spawnNode([CLI_BIN, CORPUS], [0, 1]) },
      ...(jobs ? [{ name: 'iam-policy-lint --jobs 1 (spawned, one thread)', files: n, once: () => spawnNode([CLI_BIN, '--jobs', '1', CORPUS], [0, 1]) }] : []),
      { name: 'floor: read + JSON.parse (spawned node)', files: n, once: () => spawnNode(['-e', FLOOR_SCRIPT], [0], list) },
      {
        name: 'floor: read + JSON.parse (in-process)',
        files: n,
        once: () => {
          let keys = 0;
          for (const file of files) keys += Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')) as object).length;
          void keys;
        },
      },
      {
        name: 'engine: every check, catalog loaded (in-process, texts in memory, one thread)',
        files: n,
        once: () => {
          let count = 0;
          texts.forEach((text, index) => {
            count += applyRuleSettings(analyze(text, { fileName: files[index], languageId: 'json', catalog }).findings, {}).length;
          });
          void count;
        },
      },
    ]),
  );

  // How it scales: the corpus ten times over, in one run.
  const copied = copiedCorpus(files);
  try {
    const copiedList = copied.files.join('\n');
    measures.push(
      ...alternate(Math.min(runs, 2), [
        { name: `iam-policy-lint (spawned, the corpus ${COPIES} times)`, files: copied.files.length, once: () => spawnNode([CLI_BIN, copied.folder], [0, 1]) },
        {
          name: `floor: read + JSON.parse (spawned node, the corpus ${COPIES} times)`,
          files: copied.files.length,
          once: () => spawnNode(['-e', FLOOR_SCRIPT], [0], copiedList),
        },
      ]),
    );
  } finally {
    fs.rmSync(copied.folder, { recursive: true, force: true });
  }

  const reason = ensureParliament();
  if (reason !== undefined) {
    skipped.push({ name: `Parliament ${PARLIAMENT_VERSION}`, reason });
  } else {
    const python = path.join(VENV, 'bin', 'python');
    const loop: number[] = [];
    let raised = 0;
    const [wall] = alternate(runs, [
      {
        name: `Parliament ${PARLIAMENT_VERSION} (spawned python, API over all files)`,
        files: n,
        once: () => {
          const out = JSON.parse(spawnChecked(python, ['-c', PARLIAMENT_SCRIPT], [0], list)) as { loopSeconds: number; raised: number; peakMemoryKb: number };
          loop.push(out.loopSeconds);
          raised = out.raised;
          return out.peakMemoryKb / 1024;
        },
      },
    ]);
    loop.sort((a, b) => a - b);
    const note = raised > 0 ? `${raised} of ${n} files raised an exception inside Parliament (counted as done)` : undefined;
    measures.push({ ...wall, ...(note !== undefined ? { note } : {}) });
    measures.push({
      name: `Parliament ${PARLIAMENT_VERSION} (its loop alone, timed in python)`,
      files: n,
      seconds: loop[0],
      median: loop[Math.floor(loop.length / 2)],
      filesPerSecond: n / loop[0],
      ...(note !== undefined ? { note } : {}),
    });
  }
  return { files: n, bytes, runs, measures, skipped };
}

export function formatBench(result: BenchResult): string {
  const lines: string[] = [];
  const rate = (value: number): string => Math.round(value).toLocaleString('en-US');
  lines.push(
    `Managed corpus: ${result.files.toLocaleString('en-US')} files, ${(result.bytes / 1e6).toFixed(1)} MB; best of ${result.runs} runs (median in brackets), taking turns; peak memory of the process.`,
  );
  lines.push('');
  const width = Math.max(...result.measures.map((item) => item.name.length));
  for (const item of result.measures) {
    const memory = item.peakMemoryMb === undefined ? '' : `  ${item.peakMemoryMb.toFixed(0).padStart(5)} MB`;
    const perFile = `${((item.seconds * 1e6) / item.files).toFixed(0).padStart(5)} µs/file`;
    lines.push(
      `${item.name.padEnd(width)}  ${(item.seconds * 1000).toFixed(0).padStart(6)} ms (${(item.median * 1000).toFixed(0)})  ${rate(item.filesPerSecond).padStart(9)} files/s  ${perFile}${memory}`,
    );
    if (item.note !== undefined) lines.push(`${''.padEnd(width)}  ${item.note}`);
  }
  for (const item of result.skipped) lines.push(`${item.name}: skipped (${item.reason})`);
  const find = (prefix: string): Measure | undefined => result.measures.find((item) => item.name.startsWith(prefix));
  const cli = find('iam-policy-lint (spawned, whole');
  const floorSpawned = find('floor: read + JSON.parse (spawned node)');
  const parliament = find('Parliament');
  const copies = find('iam-policy-lint (spawned, the corpus');
  lines.push('');
  if (cli !== undefined && floorSpawned !== undefined) {
    lines.push(`iam-policy-lint takes ${(cli.seconds / floorSpawned.seconds).toFixed(2)}x the time of the spawned floor (read + JSON.parse).`);
  }
  if (cli !== undefined && copies !== undefined) {
    const perFile = (item: Measure): number => (item.seconds * 1e6) / item.files;
    lines.push(
      `Time per file over the corpus ${COPIES} times: ${perFile(copies).toFixed(0)} µs, against ${perFile(cli).toFixed(0)} µs over it once (${(perFile(copies) / perFile(cli)).toFixed(2)}x); peak memory ${copies.peakMemoryMb?.toFixed(0) ?? '?'} MB against ${cli.peakMemoryMb?.toFixed(0) ?? '?'} MB.`,
    );
  }
  if (cli !== undefined && parliament !== undefined) {
    lines.push(`iam-policy-lint is ${(parliament.seconds / cli.seconds).toFixed(1)}x faster than Parliament (both spawned once over all files).`);
  }
  return lines.join('\n') + '\n';
}

if (require.main === module && process.env.NODE_TEST_CONTEXT === undefined) {
  const args = process.argv.slice(2);
  const runsIndex = args.indexOf('--runs');
  const runs = runsIndex >= 0 ? Math.max(1, Number(args[runsIndex + 1]) || 3) : 3;
  void benchCli(runs).then((result) => {
    process.stdout.write(args.includes('--json') ? JSON.stringify(result, null, 2) + '\n' : formatBench(result));
  });
}
