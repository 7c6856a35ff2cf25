/**
 * Benchmark of iam-policy-lint on the whole managed corpus (1,594 AWS managed policies),
 * against Parliament and against the floor of merely reading and JSON.parse-ing every file.
 * A script, not a test: `npm run build && node out/test/bench/cli.js [--runs N] [--json]`.
 * (node --test loads every .js under out/test: run that way, it does nothing.)
 *
 * What is measured, each the best of N runs (the median is printed too):
 * - iam-policy-lint: the real binary, spawned once over the corpus directory, wall time from
 *   spawn to exit (Node's start-up included), human output read from a pipe.
 * - floor, spawned: a Node process that reads and JSON.parses every file, same wall time;
 *   floor, in-process: the same loop inside this process (no start-up).
 * - engine, in-process: analyze + applyRuleSettings on texts already in memory.
 * - Parliament 1.6.4 (pinned), in a virtual environment at .venv/bench-parliament made on the
 *   first run: one Python process over all files through its Python API
 *   (`analyze_policy_string`), because its CLI's `--directory` mode stops at the first policy
 *   it raises on (several managed policies do) and `--file` per file would mostly measure
 *   Python's start-up. Wall time of the spawned process (start-up and import included), and
 *   the loop alone as timed inside Python.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from 'iam-policy-engine/analyze';
import { applyRuleSettings } from 'iam-policy-engine/rules';
import { REPO_ROOT } from '../support/paths';

export const PARLIAMENT_VERSION = '1.6.4';
const CORPUS = path.join(REPO_ROOT, 'test', 'fixtures', 'corpus', 'managed');
const CLI_BIN = path.join(REPO_ROOT, 'bin', 'iam-policy-lint.js');
const VENV = path.join(REPO_ROOT, '.venv-bench');

export interface Measure {
  name: string;
  /** Best of the runs, seconds. */
  seconds: number;
  median: number;
  filesPerSecond: number;
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
  return fs.readdirSync(CORPUS).filter((name) => name.endsWith('.json')).sort().map((name) => path.join(CORPUS, name));
}

function time(runs: number, once: () => number | void): { best: number; median: number; last: number | void } {
  const times: number[] = [];
  let last: number | void = undefined;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    last = once();
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  times.sort((a, b) => a - b);
  return { best: times[0], median: times[Math.floor(times.length / 2)], last };
}

function measure(name: string, files: number, result: { best: number; median: number }, note?: string): Measure {
  return { name, seconds: result.best, median: result.median, filesPerSecond: files / result.best, note };
}

function spawnChecked(command: string, args: string[], expectCodes: number[], input?: string): string {
  const run = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, input, env: { ...process.env, NO_COLOR: '1' } });
  if (run.error !== undefined) throw run.error;
  if (!expectCodes.includes(run.status ?? -1)) {
    throw new Error(`${path.basename(command)} ${args.slice(0, 2).join(' ')} exited ${run.status}: ${run.stderr.slice(0, 500)}`);
  }
  return run.stdout;
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

/** Reads file names on stdin; prints {loopSeconds, raised} once every file is analysed. */
const PARLIAMENT_SCRIPT = `
import json, sys, time
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
print(json.dumps({"loopSeconds": time.perf_counter() - start, "raised": raised}))
`;
import { createCatalog } from '../../server/src/catalogFiles';

const FLOOR_SCRIPT = `
const fs = require('fs');
let keys = 0;
for (const p of fs.readFileSync(0, 'utf8').split('\\n')) keys += Object.keys(JSON.parse(fs.readFileSync(p, 'utf8'))).length;
process.stdout.write(String(keys));
`;

export async function benchCli(runs = 3): Promise<BenchResult> {
  const files = corpusFiles();
  const bytes = files.reduce((sum, file) => sum + fs.statSync(file).size, 0);
  const measures: Measure[] = [];
  const skipped: BenchResult['skipped'] = [];
  const list = files.join('\n');

  // Warm the page cache and the bundle once, so no measure pays for the first read.
  for (const file of files) fs.readFileSync(file);
  spawnChecked(process.execPath, [CLI_BIN, CORPUS], [0, 1]);

  measures.push(measure('iam-policy-lint (spawned, whole corpus)', files.length, time(runs, () => {
    spawnChecked(process.execPath, [CLI_BIN, CORPUS], [0, 1]);
  })));
  measures.push(measure('floor: read + JSON.parse (spawned node)', files.length, time(runs, () => {
    spawnChecked(process.execPath, ['-e', FLOOR_SCRIPT], [0], list);
  })));
  measures.push(measure('floor: read + JSON.parse (in-process)', files.length, time(runs, () => {
    let keys = 0;
    for (const file of files) keys += Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')) as object).length;
    return keys;
  })));
  const texts = files.map((file) => fs.readFileSync(file, 'utf8'));
  const catalog = await createCatalog();
  await catalog.loadAll();
  measures.push(measure('engine: every check, catalog loaded (in-process, texts in memory)', files.length, time(runs, () => {
    let count = 0;
    texts.forEach((text, index) => {
      count += applyRuleSettings(analyze(text, { fileName: files[index], languageId: 'json', catalog }).findings, {}).length;
    });
    return count;
  })));

  const reason = ensureParliament();
  if (reason !== undefined) {
    skipped.push({ name: `Parliament ${PARLIAMENT_VERSION}`, reason });
  } else {
    const python = path.join(VENV, 'bin', 'python');
    let loop: number[] = [];
    let raised = 0;
    const wall = time(runs, () => {
      const out = JSON.parse(spawnChecked(python, ['-c', PARLIAMENT_SCRIPT], [0], list)) as { loopSeconds: number; raised: number };
      loop.push(out.loopSeconds);
      raised = out.raised;
    });
    loop = loop.sort((a, b) => a - b);
    const note = raised > 0 ? `${raised} of ${files.length} files raised an exception inside Parliament (counted as done)` : undefined;
    measures.push(measure(`Parliament ${PARLIAMENT_VERSION} (spawned python, API over all files)`, files.length, wall, note));
    measures.push(measure(`Parliament ${PARLIAMENT_VERSION} (its loop alone, timed in python)`, files.length, { best: loop[0], median: loop[Math.floor(loop.length / 2)] }, note));
  }
  return { files: files.length, bytes, runs, measures, skipped };
}

export function formatBench(result: BenchResult): string {
  const lines: string[] = [];
  const rate = (value: number): string => Math.round(value).toLocaleString('en-US');
  lines.push(`Managed corpus: ${result.files.toLocaleString('en-US')} files, ${(result.bytes / 1e6).toFixed(1)} MB; best of ${result.runs} runs (median in brackets).`);
  lines.push('');
  const width = Math.max(...result.measures.map((item) => item.name.length));
  for (const item of result.measures) {
    lines.push(`${item.name.padEnd(width)}  ${(item.seconds * 1000).toFixed(0).padStart(6)} ms (${(item.median * 1000).toFixed(0)})  ${rate(item.filesPerSecond).padStart(9)} files/s`);
    if (item.note !== undefined) lines.push(`${''.padEnd(width)}  ${item.note}`);
  }
  for (const item of result.skipped) lines.push(`${item.name}: skipped (${item.reason})`);
  const find = (prefix: string): Measure | undefined => result.measures.find((item) => item.name.startsWith(prefix));
  const cli = find('iam-policy-lint');
  const floorSpawned = find('floor: read + JSON.parse (spawned');
  const parliament = find('Parliament') ;
  lines.push('');
  if (cli !== undefined && floorSpawned !== undefined) {
    lines.push(`iam-policy-lint takes ${(cli.seconds / floorSpawned.seconds).toFixed(2)}x the time of the spawned floor (read + JSON.parse).`);
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
