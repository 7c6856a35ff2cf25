/**
 * `npm run bench`: how fast the language server answers, measured over stdio like an editor
 * sees it, next to a floor (a bare server that only runs the character-set regex).
 *
 * (a) a valid policy of 131,072 characters, (b) the same with 1,000 disallowed characters,
 * (c) every AWS managed policy: the time from didOpen/didChange to publishDiagnostics (p50,
 * p95), and each server's peak memory. Not a test: it prints figures and whether the targets
 * are met; timing never fails a test run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { FIXTURES, SERVER_BIN } from '../support/paths';
import { largestPolicy, withDisallowed } from './documents';

const MANAGED = path.join(FIXTURES, 'corpus', 'managed');
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 400);

interface Server {
  name: string;
  connection: ProtocolConnection;
  pid: number;
  next(uri: string): Promise<PublishDiagnosticsParams>;
  stop(): Promise<void>;
}

async function startServer(name: string, script: string): Promise<Server> {
  const child = spawn(process.execPath, [script, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiting = new Map<string, (params: PublishDiagnosticsParams) => void>();
  connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
    const resolve = waiting.get(params.uri);
    if (resolve) {
      waiting.delete(params.uri);
      resolve(params);
    }
  });
  connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => ({ maxNumberOfProblems: 100_000 })));
  connection.onRequest('client/registerCapability', () => null);
  connection.listen();
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } });
  await connection.sendNotification('initialized', {});
  return {
    name,
    connection,
    pid: child.pid!,
    next: (uri) => new Promise((resolve) => waiting.set(uri, resolve)),
    stop: async () => {
      await connection.sendRequest('shutdown');
      await connection.sendNotification('exit');
      child.kill();
    },
  };
}

/** Peak resident memory of a process (Linux), in MB. */
function peakMemoryMb(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

const now = (): number => Number(process.hrtime.bigint()) / 1e6;

interface Figures {
  p50: number;
  p95: number;
}

async function measureOpen(server: Server, text: string, label: string): Promise<Figures> {
  const times: number[] = [];
  for (let i = 0; i < Math.max(50, ITERATIONS / 4); i++) {
    const uri = `file:///bench/${label}-${i}.iam.json`;
    const published = server.next(uri);
    const start = now();
    await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'iam-policy', version: 1, text } });
    await published;
    times.push(now() - start);
    await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

/**
 * Types at `offset` and undoes it, over and over. With `deleteFirst`, deletes the text there
 * and types it back, so a document at the size limit stays within it.
 */
async function measureKeystrokes(server: Server, text: string, offset: number, insert: string, label: string, deleteFirst = false): Promise<Figures> {
  const uri = `file:///bench/${label}.iam.json`;
  let published = server.next(uri);
  await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'iam-policy', version: 1, text } });
  await published;
  const before = text.slice(0, offset).split('\n');
  const position = { line: before.length - 1, character: before[before.length - 1].length };
  const lines = insert.split('\n');
  const after = lines.length === 1
    ? { line: position.line, character: position.character + insert.length }
    : { line: position.line + lines.length - 1, character: lines[lines.length - 1].length };
  const times: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const typing = (i % 2 === 0) !== deleteFirst;
    const change = typing ? { range: { start: position, end: position }, text: insert } : { range: { start: position, end: after }, text: '' };
    published = server.next(uri);
    const start = now();
    await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [change] });
    await published;
    if (i >= 20) times.push(now() - start);
  }
  await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

async function measureCorpus(server: Server): Promise<{ total: number; p50: number; p95: number; files: number }> {
  const names = fs.readdirSync(MANAGED).filter((name) => name.endsWith('.json')).sort();
  const texts = names.map((name) => fs.readFileSync(path.join(MANAGED, name), 'utf8'));
  const times: number[] = [];
  const started = now();
  for (let i = 0; i < names.length; i++) {
    const uri = `file:///bench/managed/${names[i]}`;
    const published = server.next(uri);
    const start = now();
    await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'iam-policy', version: 1, text: texts[i] } });
    await published;
    times.push(now() - start);
  }
  const total = now() - started;
  for (const name of names) await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri: `file:///bench/managed/${name}` } });
  return { total, p50: percentile(times, 50), p95: percentile(times, 95), files: names.length };
}

const ms = (value: number): string => `${value.toFixed(3)} ms`;

async function main(): Promise<void> {
  const valid = largestPolicy();
  const disallowed = withDisallowed(valid);
  const inString = valid.indexOf('"Action"', valid.length / 2) + '"Action": [\n                "'.length - 4;
  const stringOffset = valid.indexOf(':', inString) + 1; // inside an action name
  const whitespaceOffset = valid.indexOf('\n', valid.length / 2); // end of a line
  const structuralOffset = valid.indexOf('{', valid.length / 2); // before a statement's brace

  const floorScript = path.join(__dirname, 'floorServer.js');
  const results: Record<string, Record<string, Figures | string>> = {};
  let corpus: Record<string, { total: number; p50: number; p95: number; files: number }> = {};
  const memory: Record<string, number | undefined> = {};

  for (const [name, script] of [['floor', floorScript], ['server', SERVER_BIN]] as const) {
    const server = await startServer(name, script);
    results[name] = {
      '(a) open 131,072 chars': await measureOpen(server, valid, `${name}-a`),
      '(a) keystroke in a string': await measureKeystrokes(server, valid, stringOffset, valid[stringOffset], `${name}-a-string`, true),
      '(a) keystroke in white space': await measureKeystrokes(server, valid, whitespaceOffset, valid[whitespaceOffset], `${name}-a-space`, true),
      '(a) keystroke that breaks the JSON': await measureKeystrokes(server, valid, structuralOffset, valid[structuralOffset], `${name}-a-break`, true),
      '(b) open with 1,000 disallowed': await measureOpen(server, disallowed, `${name}-b`),
      '(b) keystroke in a string': await measureKeystrokes(server, disallowed, stringOffset, disallowed[stringOffset], `${name}-b-string`, true),
    };
    corpus = { ...corpus, [name]: await measureCorpus(server) };
    memory[name] = peakMemoryMb(server.pid);
    await server.stop();
  }

  console.log(`IAM policy language server benchmark: ${ITERATIONS} keystrokes per case, Node ${process.version}, ${process.platform}/${process.arch}`);
  console.log('Times are from the notification sent to publishDiagnostics received, over stdio.\n');
  console.log(`${'case'.padEnd(38)}${'floor p50'.padStart(12)}${'floor p95'.padStart(12)}${'server p50'.padStart(13)}${'server p95'.padStart(13)}${'ratio p50'.padStart(11)}`);
  const verdicts: string[] = [];
  for (const label of Object.keys(results.server)) {
    const floor = results.floor[label] as Figures;
    const ours = results.server[label] as Figures;
    const ratio = ours.p50 / floor.p50;
    console.log(`${label.padEnd(38)}${ms(floor.p50).padStart(12)}${ms(floor.p95).padStart(12)}${ms(ours.p50).padStart(13)}${ms(ours.p95).padStart(13)}${ratio.toFixed(2).padStart(10)}x`);
    if (label.startsWith('(a) open') || label.startsWith('(b) open') || label.endsWith('keystroke in a string') || label.endsWith('white space')) {
      verdicts.push(`${label}: p50 ${ms(ours.p50)} ${ratio <= 2 && ours.p50 < 10 ? 'meets' : 'MISSES'} the target (within 2x the floor and under 10 ms)`);
    }
  }
  console.log(`\n(c) all ${corpus.server.files} managed policies, opened one after another:`);
  for (const name of ['floor', 'server']) {
    console.log(`  ${name.padEnd(8)} total ${ms(corpus[name].total)}, per policy p50 ${ms(corpus[name].p50)}, p95 ${ms(corpus[name].p95)}`);
  }
  verdicts.push(`(c) all managed policies: ${ms(corpus.server.total)} ${corpus.server.total < 2000 ? 'meets' : 'MISSES'} the target (under 2 s)`);
  console.log(`\nPeak memory (VmHWM): floor ${memory.floor?.toFixed(1) ?? '?'} MB, server ${memory.server?.toFixed(1) ?? '?'} MB`);
  console.log('\nTargets:');
  for (const verdict of verdicts) console.log(`  ${verdict}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
