/**
 * `npm run bench`: how fast the language server answers, measured over stdio like an editor
 * sees it, next to a floor (a bare server that only runs IAM's character-set regex); then
 * completion and hover; then the command-line linter against Parliament. Not a test: it
 * prints figures and whether the targets are met; timing never fails a test run.
 *
 * (a) a valid policy of 131,072 characters, (b) the same with 1,000 disallowed characters,
 * (c) every AWS managed policy: the time from didOpen/didChange to publishDiagnostics (p50,
 * p95), and each server's peak memory. The server runs with its default settings (at most
 * 100 problems shown); (b) is also measured with every problem shown, as the floor does.
 *
 * Then what the policy grants on the largest policy: from a keystroke to its policy summary
 * (iamPolicy/summary, as the summary view asks) and to its code lenses (target: within 20 ms).
 *
 * Options: --quick (fewer rounds), --no-cli (skip the linter comparison), BENCH_ITERATIONS=N.
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
import { benchCli, formatBench } from './cli';
import { largestPolicy, withDisallowed } from './documents';
import { largeJsonTemplate, largeYamlTemplate } from '../support/templates';
import { StatusRequest, SummaryRequest, type ServerStatus, type SummaryParams, type SummaryResult } from 'iam-policy-engine';

const MANAGED = path.join(FIXTURES, 'corpus', 'managed');
const QUICK = process.argv.includes('--quick');
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? (QUICK ? 100 : 400));

interface Server {
  name: string;
  connection: ProtocolConnection;
  pid: number;
  next(uri: string): Promise<PublishDiagnosticsParams>;
  stop(): Promise<void>;
}

/** The capabilities VS Code announces that change what the server sends. */
const CLIENT_CAPABILITIES = {
  workspace: { configuration: true },
  textDocument: {
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true },
    completion: { completionItem: { snippetSupport: true } },
    hover: { contentFormat: ['markdown'] },
  },
};

async function startServer(name: string, script: string, settings: Record<string, unknown> = {}): Promise<Server> {
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
  connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => settings));
  connection.onRequest('client/registerCapability', () => null);
  connection.listen();
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: CLIENT_CAPABILITIES });
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

/** Waits until the server's catalog is ready and no document waits for a service. */
async function settle(server: Server): Promise<void> {
  if (server.name === 'floor') return;
  for (let i = 0; i < 2000; i++) {
    const status = await server.connection.sendRequest<ServerStatus>(StatusRequest.method);
    if (status.catalog !== 'loading' && status.documentsWaitingForServices === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('the server did not settle');
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

const figures = (times: number[]): Figures => ({ p50: percentile(times, 50), p95: percentile(times, 95) });

async function open(server: Server, uri: string, text: string, languageId = 'iam-policy'): Promise<number> {
  const published = server.next(uri);
  const start = now();
  await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  await published;
  return now() - start;
}

async function measureOpen(server: Server, text: string, label: string): Promise<Figures> {
  const times: number[] = [];
  // Warm up: the first open loads the services the policy names.
  await open(server, `file:///bench/${label}-warm.iam.json`, text);
  await settle(server);
  for (let i = 0; i < Math.max(30, ITERATIONS / 8); i++) {
    const uri = `file:///bench/${label}-${i}.iam.json`;
    times.push(await open(server, uri, text));
    await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }
  return figures(times);
}

function positionOf(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

/**
 * Types at `offset` and undoes it, over and over. With `deleteFirst`, deletes the text there
 * and types it back, so a document at the size limit stays within it.
 */
async function measureKeystrokes(server: Server, text: string, offset: number, insert: string, label: string, deleteFirst = false, file = { suffix: '.iam.json', languageId: 'iam-policy' }): Promise<Figures> {
  const uri = `file:///bench/${label}${file.suffix}`;
  await open(server, uri, text, file.languageId);
  await settle(server);
  const position = positionOf(text, offset);
  const lines = insert.split('\n');
  const after = lines.length === 1
    ? { line: position.line, character: position.character + insert.length }
    : { line: position.line + lines.length - 1, character: lines[lines.length - 1].length };
  const times: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const typing = (i % 2 === 0) !== deleteFirst;
    const change = typing ? { range: { start: position, end: position }, text: insert } : { range: { start: position, end: after }, text: '' };
    const published = server.next(uri);
    const start = now();
    await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [change] });
    await published;
    if (i >= 20) times.push(now() - start);
  }
  await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  return figures(times);
}

/**
 * A keystroke in a string (deleting a character, then typing it back), then at once the
 * request that follows it in the editor: the policy summary or the code lenses. Timed from the
 * change to the answer; the diagnostics are awaited before the next keystroke.
 */
async function measureAfterKeystroke(server: Server, text: string, offset: number, label: string, ask: (uri: string) => Promise<unknown>): Promise<Figures> {
  const uri = `file:///bench/${label}.iam.json`;
  await open(server, uri, text);
  await settle(server);
  await ask(uri);
  const position = positionOf(text, offset);
  const after = { line: position.line, character: position.character + 1 };
  const times: number[] = [];
  const rounds = Math.max(60, ITERATIONS / 2);
  for (let i = 0; i < rounds; i++) {
    const change = i % 2 === 0 ? { range: { start: position, end: after }, text: '' } : { range: { start: position, end: position }, text: text[offset] };
    const published = server.next(uri);
    const start = now();
    await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [change] });
    await ask(uri);
    if (i >= 10) times.push(now() - start);
    await published;
  }
  await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  return figures(times);
}

function managedTexts(): Array<{ name: string; text: string }> {
  return fs.readdirSync(MANAGED).filter((name) => name.endsWith('.json')).sort()
    .map((name) => ({ name, text: fs.readFileSync(path.join(MANAGED, name), 'utf8') }));
}

async function measureCorpus(server: Server): Promise<{ total: number; p50: number; p95: number; files: number }> {
  const documents = managedTexts();
  const times: number[] = [];
  const started = now();
  for (const { name, text } of documents) times.push(await open(server, `file:///bench/managed/${name}`, text));
  const total = now() - started;
  for (const { name } of documents) await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri: `file:///bench/managed/${name}` } });
  return { total, ...figures(times), files: documents.length };
}

/** Completion just after `"service:` of an action, and hover on that action. */
function actionPlace(text: string): { completion: number; hover: number } | undefined {
  const match = /"Action"\s*:\s*\[?\s*"([a-z0-9-]+):([A-Za-z*?]+)"/.exec(text);
  if (match === null) return undefined;
  const start = match.index + match[0].length - match[2].length - 1;
  return { completion: start, hover: start + 1 };
}

async function measureAssist(server: Server, documents: Array<{ uri: string; text: string }>, rounds: number): Promise<{ completion: Figures; hover: Figures; items: number }> {
  const completion: number[] = [];
  const hover: number[] = [];
  let items = 0;
  for (let round = 0; round < rounds; round++) {
    for (const { uri, text } of documents) {
      const place = actionPlace(text);
      if (place === undefined) continue;
      let start = now();
      const list = await server.connection.sendRequest<{ items: unknown[] } | null>('textDocument/completion', { textDocument: { uri }, position: positionOf(text, place.completion) });
      completion.push(now() - start);
      items = Math.max(items, list?.items.length ?? 0);
      start = now();
      await server.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: positionOf(text, place.hover) });
      hover.push(now() - start);
    }
  }
  return { completion: figures(completion), hover: figures(hover), items };
}

/** From spawn to the first diagnostics of a document opened at once, and until the catalog's are in. */
async function measureStartup(text: string): Promise<{ firstDiagnostics: number; settled: number }> {
  const started = now();
  const server = await startServer('server', SERVER_BIN);
  const uri = 'file:///bench/startup.iam.json';
  const published = server.next(uri);
  await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'iam-policy', version: 1, text } });
  await published;
  const firstDiagnostics = now() - started;
  await settle(server);
  const settled = now() - started;
  await server.stop();
  return { firstDiagnostics, settled };
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
  const results: Record<string, Record<string, Figures>> = { floor: {}, server: {}, 'server, every problem shown': {} };
  const corpus: Record<string, { total: number; p50: number; p95: number; files: number }> = {};
  const memory: Record<string, number | undefined> = {};

  for (const [name, script, settings] of [
    ['floor', floorScript, {}],
    ['server', SERVER_BIN, {}],
    ['server, every problem shown', SERVER_BIN, { maxNumberOfProblems: 100_000 }],
  ] as const) {
    const server = await startServer(name.startsWith('server') ? 'server' : 'floor', script, settings);
    const row = results[name];
    if (name !== 'server, every problem shown') {
      row['(a) open 131,072 chars'] = await measureOpen(server, valid, `${name}-a`);
      row['(a) keystroke in a string'] = await measureKeystrokes(server, valid, stringOffset, valid[stringOffset], `${name}-a-string`, true);
      row['(a) keystroke in white space'] = await measureKeystrokes(server, valid, whitespaceOffset, valid[whitespaceOffset], `${name}-a-space`, true);
      row['(a) keystroke that breaks the JSON'] = await measureKeystrokes(server, valid, structuralOffset, valid[structuralOffset], `${name}-a-break`, true);
    }
    row['(b) open with 1,000 disallowed'] = await measureOpen(server, disallowed, `${name}-b`);
    row['(b) keystroke in a string'] = await measureKeystrokes(server, disallowed, stringOffset, disallowed[stringOffset], `${name}-b-string`, true);
    if (name !== 'server, every problem shown') {
      corpus[name] = await measureCorpus(server);
      memory[name] = peakMemoryMb(server.pid);
    }
    await server.stop();
  }

  // Completion and hover, with every check on.
  const assistServer = await startServer('server', SERVER_BIN);
  const largestUri = 'file:///bench/assist-largest.iam.json';
  await open(assistServer, largestUri, valid);
  await settle(assistServer);
  const largest = await measureAssist(assistServer, [{ uri: largestUri, text: valid }], QUICK ? 20 : 100);
  const managed = managedTexts().map(({ name, text }) => ({ uri: `file:///bench/assist/${name}`, text }));
  for (const document of managed) await open(assistServer, document.uri, document.text);
  await settle(assistServer);
  const everyPolicy = await measureAssist(assistServer, managed, 1);
  for (const document of managed) await assistServer.connection.sendNotification('textDocument/didClose', { textDocument: { uri: document.uri } });

  // What the largest policy grants, after each keystroke.
  let summaryActions = 0;
  const summary = await measureAfterKeystroke(assistServer, valid, stringOffset, 'summary', async (uri) => {
    const params: SummaryParams = { uri };
    const result = await assistServer.connection.sendRequest<SummaryResult | null>(SummaryRequest.method, params);
    summaryActions = result?.totals.actions ?? 0;
  });
  let lenses = 0;
  const codeLens = await measureAfterKeystroke(assistServer, valid, stringOffset, 'code-lens', async (uri) => {
    lenses = (await assistServer.connection.sendRequest<unknown[]>('textDocument/codeLens', { textDocument: { uri } })).length;
  });
  await assistServer.stop();

  const startup = await measureStartup(valid);

  // CloudFormation templates of 200 resources, some 5,000 lines: a keystroke in one policy.
  const templateServer = await startServer('server', SERVER_BIN);
  const yamlTemplate = largeYamlTemplate(200);
  const jsonTemplate = largeJsonTemplate(200);
  const yamlOffset = yamlTemplate.indexOf('s3:GetObject', yamlTemplate.length / 2) + 4;
  const jsonOffset = jsonTemplate.indexOf('s3:GetObject', jsonTemplate.length / 2) + 4;
  const templates = {
    [`YAML template, ${yamlTemplate.split('\n').length} lines`]: await measureKeystrokes(templateServer, yamlTemplate, yamlOffset, 'x', 'template-yaml', false, { suffix: '.yaml', languageId: 'yaml' }),
    [`JSON template, ${jsonTemplate.split('\n').length} lines`]: await measureKeystrokes(templateServer, jsonTemplate, jsonOffset, 'x', 'template-json', false, { suffix: '.json', languageId: 'json' }),
  };
  await templateServer.stop();

  console.log(`IAM policy language server benchmark: ${ITERATIONS} keystrokes per case, Node ${process.version}, ${process.platform}/${process.arch}`);
  console.log('Times are from the notification sent to publishDiagnostics received, over stdio.\n');
  const verdicts: string[] = [];
  const header = `${'case'.padEnd(38)}${'floor p50'.padStart(12)}${'floor p95'.padStart(12)}${'server p50'.padStart(13)}${'server p95'.padStart(13)}${'ratio p50'.padStart(11)}`;
  console.log(header);
  for (const [label, ours] of Object.entries(results.server)) {
    const floor = results.floor[label];
    const ratio = ours.p50 / floor.p50;
    console.log(`${label.padEnd(38)}${ms(floor.p50).padStart(12)}${ms(floor.p95).padStart(12)}${ms(ours.p50).padStart(13)}${ms(ours.p95).padStart(13)}${ratio.toFixed(2).padStart(10)}x`);
    if (!label.endsWith('breaks the JSON')) {
      verdicts.push(`${label}: p50 ${ms(ours.p50)}, ${ratio.toFixed(2)}x the floor: ${ratio <= 2 && ours.p50 < 10 ? 'meets' : 'MISSES'} the target (within 2x the floor and under 10 ms)`);
    }
  }
  console.log('\nWith every problem shown (iamPolicy.maxNumberOfProblems 100000), as the floor shows all 1,000:');
  for (const [label, ours] of Object.entries(results['server, every problem shown'])) {
    const floor = results.floor[label];
    const ratio = ours.p50 / floor.p50;
    console.log(`${label.padEnd(38)}${ms(floor.p50).padStart(12)}${ms(floor.p95).padStart(12)}${ms(ours.p50).padStart(13)}${ms(ours.p95).padStart(13)}${ratio.toFixed(2).padStart(10)}x`);
  }
  console.log(`\n(c) all ${corpus.server.files} managed policies, opened one after another:`);
  for (const name of ['floor', 'server']) {
    console.log(`  ${name.padEnd(8)} total ${ms(corpus[name].total)}, per policy p50 ${ms(corpus[name].p50)}, p95 ${ms(corpus[name].p95)}`);
  }
  verdicts.push(`(c) all managed policies: ${ms(corpus.server.total)}: ${corpus.server.total < 2000 ? 'meets' : 'MISSES'} the target (under 2 s)`);
  console.log(`\nPeak memory (VmHWM): floor ${memory.floor?.toFixed(1) ?? '?'} MB, server ${memory.server?.toFixed(1) ?? '?'} MB`);

  console.log('\nCompletion (after "service:", the service\'s actions) and hover (on an action), every check on:');
  console.log(`  largest policy (131,072 chars): completion p50 ${ms(largest.completion.p50)}, p95 ${ms(largest.completion.p95)} (${largest.items} items); hover p50 ${ms(largest.hover.p50)}, p95 ${ms(largest.hover.p95)}`);
  console.log(`  every managed policy:           completion p50 ${ms(everyPolicy.completion.p50)}, p95 ${ms(everyPolicy.completion.p95)}; hover p50 ${ms(everyPolicy.hover.p50)}, p95 ${ms(everyPolicy.hover.p95)}`);
  console.log('\nWhat the largest policy grants, from a keystroke in a string to the answer:');
  console.log(`  policy summary (iamPolicy/summary, ${summaryActions} actions): p50 ${ms(summary.p50)}, p95 ${ms(summary.p95)}`);
  console.log(`  code lenses (${lenses} statements):              p50 ${ms(codeLens.p50)}, p95 ${ms(codeLens.p95)}`);
  verdicts.push(`policy summary after a keystroke: p95 ${ms(summary.p95)}: ${summary.p95 < 20 ? 'meets' : 'MISSES'} the target (within 20 ms)`);
  console.log(`\nStart-up, opening the largest policy at once: first diagnostics (the hard rules and the grammar) after ${ms(startup.firstDiagnostics)}; with the service catalog's checks after ${ms(startup.settled)}.`);

  console.log('\nCloudFormation templates of 200 resources, a keystroke in a policy\'s action:');
  for (const [label, ours] of Object.entries(templates)) {
    console.log(`  ${label.padEnd(30)} p50 ${ms(ours.p50)}, p95 ${ms(ours.p95)}`);
    verdicts.push(`${label}: keystroke p50 ${ms(ours.p50)}: ${ours.p50 < 10 ? 'meets' : 'MISSES'} the target (under 10 ms)`);
  }

  console.log('\nTargets:');
  for (const verdict of verdicts) console.log(`  ${verdict}`);

  if (!process.argv.includes('--no-cli')) {
    console.log('\niam-policy-lint on the managed corpus, against Parliament and the floor of reading and parsing:\n');
    console.log(formatBench(await benchCli(QUICK ? 1 : 3)));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
