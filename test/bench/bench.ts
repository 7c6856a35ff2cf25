/**
 * `npm run bench`: how fast the language server answers, measured over stdio like an editor
 * sees it, next to a floor (a bare server that only runs IAM's character-set regex); then
 * completion and hover, start-up, and the command-line linter against Parliament and the
 * floor of reading and parsing the files. Not a test: it prints figures and whether the
 * targets are met; timing never fails a test run.
 *
 * (a) a valid policy of 131,072 characters, (b) the same with 1,000 disallowed characters,
 * (c) every AWS managed policy, (d) policies of 1k to 131k characters (how the cost grows):
 * the time from didOpen/didChange to publishDiagnostics (p50, p95), and each server's peak
 * memory. The server runs with its default settings (at most 100 problems shown); (b) is
 * also measured with every problem shown, as the floor does.
 *
 * Honest by construction: the floor and the server run side by side in the same run, on the
 * same documents, taking turns (each round alternates which goes first), so a busy moment of
 * the machine falls on both.
 *
 * Then what the policy grants on the largest policy: from a keystroke to its policy summary
 * (iamPolicy/summary, as the summary view asks) and to its code lenses (target: within 20 ms).
 *
 * Options: --quick (fewer rounds), --no-cli (skip the linter comparison), --json FILE (write
 * every figure there as JSON, to compare runs), BENCH_ITERATIONS=N.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
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
import { benchCli, formatBench, type BenchResult } from './cli';
import { largestPolicy, policyOfLength, withDisallowed } from './documents';
import { largeJsonTemplate, largeYamlTemplate } from '../support/templates';
import { StatusRequest, SummaryRequest, type ServerStatus, type SummaryParams, type SummaryResult } from 'iam-policy-engine';

const MANAGED = path.join(FIXTURES, 'corpus', 'managed');
const QUICK = process.argv.includes('--quick');
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? (QUICK ? 100 : 400));
const JSON_AT = process.argv.indexOf('--json');
const JSON_FILE = JSON_AT >= 0 ? process.argv[JSON_AT + 1] : undefined;

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
    // VS Code takes an item's documentation on completionItem/resolve, when it shows the item,
    // and a list's edit range once for all its items (itemDefaults).
    completion: {
      completionItem: { snippetSupport: true, resolveSupport: { properties: ['documentation', 'detail', 'additionalTextEdits'] } },
      completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] },
    },
    hover: { contentFormat: ['markdown'] },
  },
};

const FLOOR_SCRIPT = path.join(__dirname, 'floorServer.js');

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

/**
 * Collects the benchmark's own garbage before a measured phase, so that its collector does not
 * pause in the middle of one and count against whichever server is being waited for (its heap
 * holds every managed policy and every time measured). `npm run bench` runs it with
 * --expose-gc; without the flag this does nothing.
 */
function collectOwnGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

interface Figures {
  p50: number;
  p95: number;
}

const figures = (times: number[]): Figures => ({ p50: percentile(times, 50), p95: percentile(times, 95) });

/** Each server's figures for one case, by the server's label. */
type Row = Record<string, Figures>;

/** The servers in turn, the first one first in even rounds and last in odd ones. */
function inTurn<T>(items: readonly T[], round: number): readonly T[] {
  return round % 2 === 0 ? items : [...items].reverse();
}

async function open(server: Server, uri: string, text: string, languageId = 'iam-policy'): Promise<number> {
  return (await openAndSettle(server, uri, text, languageId, false)).first;
}

/**
 * Opens a document: the time to its first diagnostics and, with `settle`, to the moment the
 * server says every check of it is done (a large policy shows its hard rules first).
 */
async function openAndSettle(server: Server, uri: string, text: string, languageId: string, settleToo: boolean): Promise<{ first: number; complete: number }> {
  const published = server.next(uri);
  const start = now();
  await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  await published;
  const first = now() - start;
  if (settleToo) await settle(server);
  return { first, complete: now() - start };
}

/**
 * Opens the text under a new name, again and again, on each server in turn, each open on a
 * server that has finished with the one before: the time to the first diagnostics and to the
 * last check.
 */
async function measureOpen(
  servers: readonly Labelled[],
  text: string,
  label: string,
  rounds = Math.max(30, ITERATIONS / 8),
): Promise<{ first: Row; complete: Row }> {
  const first = new Map<Labelled, number[]>(servers.map((item) => [item, []]));
  const complete = new Map<Labelled, number[]>(servers.map((item) => [item, []]));
  // Warm up: the first open loads the services the policy names.
  for (const item of servers) {
    await open(item.server, `file:///bench/${item.label}-${label}-warm.iam.json`, text);
    await settle(item.server);
  }
  collectOwnGarbage();
  for (let i = 0; i < rounds; i++) {
    for (const item of inTurn(servers, i)) {
      const uri = `file:///bench/${item.label}-${label}-${i}.iam.json`;
      const times = await openAndSettle(item.server, uri, text, 'iam-policy', true);
      first.get(item)!.push(times.first);
      complete.get(item)!.push(times.complete);
      await item.server.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    }
  }
  const row = (times: Map<Labelled, number[]>): Row => Object.fromEntries(servers.map((item) => [item.label, figures(times.get(item)!)]));
  return { first: row(first), complete: row(complete) };
}

function positionOf(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

/**
 * Types at `offset` and undoes it, over and over, on each server in turn. With `deleteFirst`,
 * deletes the text there and types it back, so a document at the size limit stays within it.
 * The times of the two kinds of keystroke, by server: `forth` the typing (or the deleting),
 * `back` its undoing.
 */
async function keystrokeTimes(
  servers: readonly Labelled[],
  text: string,
  offset: number,
  insert: string,
  label: string,
  deleteFirst = false,
  file = { suffix: '.iam.json', languageId: 'iam-policy' },
): Promise<Map<Labelled, { forth: number[]; back: number[] }>> {
  const uri = (item: Labelled): string => `file:///bench/${item.label}-${label}${file.suffix}`;
  for (const item of servers) {
    await open(item.server, uri(item), text, file.languageId);
    await settle(item.server);
  }
  const position = positionOf(text, offset);
  const lines = insert.split('\n');
  const after =
    lines.length === 1
      ? { line: position.line, character: position.character + insert.length }
      : { line: position.line + lines.length - 1, character: lines[lines.length - 1].length };
  const times = new Map<Labelled, { forth: number[]; back: number[] }>(servers.map((item) => [item, { forth: [], back: [] }]));
  collectOwnGarbage();
  for (let i = 0; i < ITERATIONS; i++) {
    const typing = (i % 2 === 0) !== deleteFirst;
    const change = typing ? { range: { start: position, end: position }, text: insert } : { range: { start: position, end: after }, text: '' };
    // Pairs of rounds (type, undo) alternate which server goes first.
    for (const item of inTurn(servers, i >> 1)) {
      const published = item.server.next(uri(item));
      const start = now();
      await item.server.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uri(item), version: i + 2 }, contentChanges: [change] });
      await published;
      if (i >= 20) times.get(item)![i % 2 === 0 ? 'forth' : 'back'].push(now() - start);
    }
  }
  for (const item of servers) await item.server.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uri(item) } });
  return times;
}

/** Both kinds of keystroke of keystrokeTimes together. */
async function measureKeystrokes(...args: Parameters<typeof keystrokeTimes>): Promise<Row> {
  const times = await keystrokeTimes(...args);
  return Object.fromEntries([...times].map(([item, { forth, back }]) => [item.label, figures([...forth, ...back])]));
}

/**
 * Deletes the character at `offset` and types it back, over and over: a brace, so the first
 * keystroke breaks the JSON and the second mends it. Their times apart (two different pieces
 * of work: before they were one figure, whose median fell between the two).
 */
async function measureBreakAndMend(servers: readonly Labelled[], text: string, offset: number, label: string): Promise<{ breaks: Row; mends: Row }> {
  const times = await keystrokeTimes(servers, text, offset, text[offset], label, true);
  const row = (which: 'forth' | 'back'): Row => Object.fromEntries([...times].map(([item, kinds]) => [item.label, figures(kinds[which])]));
  return { breaks: row('forth'), mends: row('back') };
}

/**
 * A keystroke in a string (deleting a character, then typing it back), then at once the
 * request that follows it in the editor: the policy summary or the code lenses. Timed from the
 * change to the answer; the diagnostics are awaited before the next keystroke.
 */
async function measureAfterKeystroke(server: Server, text: string, offset: number, label: string, ask: (uri: string) => Promise<unknown>): Promise<Figures> {
  collectOwnGarbage();
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
  return fs
    .readdirSync(MANAGED)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({ name, text: fs.readFileSync(path.join(MANAGED, name), 'utf8') }));
}

interface CorpusFigures extends Figures {
  /** Sum of the opens, ms. */
  total: number;
  files: number;
}

/** Every managed policy opened one after another, each on the floor and on the server in turn. */
async function measureCorpus(servers: readonly Labelled[]): Promise<Record<string, CorpusFigures>> {
  const documents = managedTexts();
  const times = new Map<Labelled, number[]>(servers.map((item) => [item, []]));
  collectOwnGarbage();
  for (let i = 0; i < documents.length; i++) {
    const { name, text } = documents[i];
    for (const item of inTurn(servers, i)) times.get(item)!.push(await open(item.server, `file:///bench/managed/${item.label}/${name}`, text));
  }
  for (const item of servers) {
    for (const { name } of documents)
      await item.server.connection.sendNotification('textDocument/didClose', { textDocument: { uri: `file:///bench/managed/${item.label}/${name}` } });
  }
  return Object.fromEntries(
    servers.map((item) => {
      const list = times.get(item)!;
      return [item.label, { total: list.reduce((sum, time) => sum + time, 0), ...figures(list), files: documents.length }];
    }),
  );
}

/** Completion just after `"service:` of an action (the first, or the last), and hover on that action. */
function actionPlace(text: string, which: 'first' | 'last' = 'first'): { completion: number; hover: number } | undefined {
  const pattern = /"Action"\s*:\s*\[?\s*"([a-z0-9-]+):([A-Za-z*?]+)"/g;
  let match = pattern.exec(text);
  for (let next = match; which === 'last' && next !== null; next = pattern.exec(text)) match = next;
  if (match === null) return undefined;
  const start = match.index + match[0].length - match[2].length - 1;
  return { completion: start, hover: start + 1 };
}

interface AssistFigures {
  completion: Figures;
  hover: Figures;
  items: number;
}

async function measureAssist(
  server: Server,
  documents: Array<{ uri: string; text: string }>,
  rounds: number,
  which: 'first' | 'last' = 'first',
): Promise<AssistFigures> {
  const completion: number[] = [];
  const hover: number[] = [];
  let items = 0;
  collectOwnGarbage();
  for (let round = 0; round < rounds; round++) {
    for (const { uri, text } of documents) {
      const place = actionPlace(text, which);
      if (place === undefined) continue;
      let start = now();
      const list = await server.connection.sendRequest<{ items: unknown[] } | null>('textDocument/completion', {
        textDocument: { uri },
        position: positionOf(text, place.completion),
      });
      completion.push(now() - start);
      items = Math.max(items, list?.items.length ?? 0);
      start = now();
      await server.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: positionOf(text, place.hover) });
      hover.push(now() - start);
    }
  }
  return { completion: figures(completion), hover: figures(hover), items };
}

interface StartupFigures {
  /** From spawn to the first diagnostics of a document opened at once, ms (median of the runs). */
  firstDiagnostics: number;
  /** Until the service catalog's checks are in too (the server only), ms. */
  settled?: number;
  runs: number;
}

/** From spawn to the first diagnostics of a document opened at once, and until the catalog's are in. */
async function startupOnce(name: string, script: string, text: string): Promise<{ firstDiagnostics: number; settled: number }> {
  const started = now();
  const server = await startServer(name, script);
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

/** Start-up of the floor and the server in turn, a few times each: the median. */
async function measureStartup(text: string, runs: number): Promise<Record<string, StartupFigures>> {
  const floor: number[] = [];
  const first: number[] = [];
  const settled: number[] = [];
  collectOwnGarbage();
  for (let i = 0; i < runs; i++) {
    for (const which of inTurn(['floor', 'server'], i)) {
      if (which === 'floor') {
        floor.push((await startupOnce('floor', FLOOR_SCRIPT, text)).firstDiagnostics);
      } else {
        const result = await startupOnce('server', SERVER_BIN, text);
        first.push(result.firstDiagnostics);
        settled.push(result.settled);
      }
    }
  }
  return {
    floor: { firstDiagnostics: percentile(floor, 50), runs },
    server: { firstDiagnostics: percentile(first, 50), settled: percentile(settled, 50), runs },
  };
}

interface Labelled {
  label: string;
  server: Server;
}

const ms = (value: number): string => `${value.toFixed(3)} ms`;

/** The machine, as the README names it. */
function machine(): Record<string, string | number> {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    loadAverageAtStart: os.loadavg()[0],
  };
}

const SCALING_LENGTHS = [1_024, 10_240, 51_200, 131_072];

interface Target {
  name: string;
  value: string;
  target: string;
  met: boolean;
}

async function main(): Promise<void> {
  const started = new Date();
  const host = machine();
  const valid = largestPolicy();
  const disallowed = withDisallowed(valid);
  const inString = valid.indexOf('"Action"', valid.length / 2) + '"Action": [\n                "'.length - 4;
  const stringOffset = valid.indexOf(':', inString) + 1; // inside an action name
  const whitespaceOffset = valid.indexOf('\n', valid.length / 2); // end of a line
  const structuralOffset = valid.indexOf('{', valid.length / 2); // before a statement's brace

  const floor: Labelled = { label: 'floor', server: await startServer('floor', FLOOR_SCRIPT) };
  const server: Labelled = { label: 'server', server: await startServer('server', SERVER_BIN) };
  const everyProblem: Labelled = { label: 'server, every problem shown', server: await startServer('server', SERVER_BIN, { maxNumberOfProblems: 100_000 }) };
  const pair = [floor, server];

  const cases: Record<string, Row> = {};
  const openValid = await measureOpen(pair, valid, 'a');
  cases['(a) open 131,072 chars'] = openValid.first;
  cases['(a) open, every check done'] = openValid.complete;
  cases['(a) keystroke in a string'] = await measureKeystrokes(pair, valid, stringOffset, valid[stringOffset], 'a-string', true);
  cases['(a) keystroke in white space'] = await measureKeystrokes(pair, valid, whitespaceOffset, valid[whitespaceOffset], 'a-space', true);
  const structural = await measureBreakAndMend(pair, valid, structuralOffset, 'a-break');
  cases['(a) keystroke that breaks the JSON'] = structural.breaks;
  cases['(a) keystroke that mends it again'] = structural.mends;
  cases['(b) open with 1,000 disallowed'] = (await measureOpen([...pair, everyProblem], disallowed, 'b')).first;
  cases['(b) keystroke in a string'] = await measureKeystrokes([...pair, everyProblem], disallowed, stringOffset, disallowed[stringOffset], 'b-string', true);
  await everyProblem.server.stop();

  const scaling: Array<{ length: number; row: Row }> = [];
  for (const length of SCALING_LENGTHS) {
    scaling.push({ length, row: (await measureOpen(pair, length === valid.length ? valid : policyOfLength(length), `d-${length}`)).first });
  }

  const corpus = await measureCorpus(pair);
  const memory = { floor: peakMemoryMb(floor.server.pid), server: peakMemoryMb(server.server.pid) };
  await floor.server.stop();
  await server.server.stop();

  // Completion and hover, with every check on.
  const assistServer = await startServer('server', SERVER_BIN);
  const largestUri = 'file:///bench/assist-largest.iam.json';
  await open(assistServer, largestUri, valid);
  await settle(assistServer);
  const largest = await measureAssist(assistServer, [{ uri: largestUri, text: valid }], QUICK ? 20 : 100);
  // The same in its last statement: what reads the text up to the cursor shows there.
  const largestEnd = await measureAssist(assistServer, [{ uri: largestUri, text: valid }], QUICK ? 20 : 100, 'last');
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

  const startup = await measureStartup(valid, QUICK ? 3 : 7);

  // CloudFormation templates of 200 resources, some 5,000 lines: a keystroke in one policy.
  const templateServer: Labelled = { label: 'server', server: await startServer('server', SERVER_BIN) };
  const yamlTemplate = largeYamlTemplate(200);
  const jsonTemplate = largeJsonTemplate(200);
  const yamlOffset = yamlTemplate.indexOf('s3:GetObject', yamlTemplate.length / 2) + 4;
  const jsonOffset = jsonTemplate.indexOf('s3:GetObject', jsonTemplate.length / 2) + 4;
  const templates: Record<string, Figures> = {
    [`YAML template, ${yamlTemplate.split('\n').length} lines`]: (
      await measureKeystrokes([templateServer], yamlTemplate, yamlOffset, 'x', 'template-yaml', false, { suffix: '.yaml', languageId: 'yaml' })
    ).server,
    [`JSON template, ${jsonTemplate.split('\n').length} lines`]: (
      await measureKeystrokes([templateServer], jsonTemplate, jsonOffset, 'x', 'template-json', false, { suffix: '.json', languageId: 'json' })
    ).server,
  };
  // Completion in the YAML template: a key being typed alone on its line, and an action in a block sequence.
  const middle = yamlTemplate.indexOf('                Resource:\n', yamlTemplate.length / 2);
  const typing = `${yamlTemplate.slice(0, middle)}                Con\n${yamlTemplate.slice(middle)}`;
  const typingUri = 'file:///bench/template-typing.yaml';
  await open(templateServer.server, typingUri, typing, 'yaml');
  // The same completions in a policy file, for comparison.
  const policy = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Con": "", "Action": ["s3:GetObject"], "Resource": "*"}]}';
  const policyUri = 'file:///bench/template-typing.iam.json';
  await open(templateServer.server, policyUri, policy);
  await settle(templateServer.server);
  const yamlCompletion: Record<string, Figures> = {};
  for (const [label, uri, text, offset] of [
    ['a key typed alone on its line', typingUri, typing, middle + '                Con'.length],
    ['  the same key in a policy file', policyUri, policy, policy.indexOf('Con') + 3],
    ['an action in a block sequence', typingUri, typing, typing.indexOf('- s3:GetObject', middle - 200) + '- s3:Get'.length],
    ['  the same action in a policy file', policyUri, policy, policy.indexOf('s3:Get') + 6],
  ] as const) {
    const times: number[] = [];
    for (let round = 0; round < (QUICK ? 50 : 200); round++) {
      const start = now();
      await templateServer.server.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: positionOf(text, offset) });
      times.push(now() - start);
    }
    yamlCompletion[label] = figures(times);
  }
  await templateServer.server.stop();

  const lines: string[] = [];
  const say = (line = ''): void => void lines.push(line);
  say(`IAM policy language server benchmark: ${ITERATIONS} keystrokes per case, ${started.toISOString()}`);
  say(
    `Machine: ${host.cpu}, ${host.cores} cores, ${host.memoryGb} GB, ${host.os}, Node ${host.node}; load average ${Number(host.loadAverageAtStart).toFixed(2)} at the start.`,
  );
  say('Times are from the notification sent to publishDiagnostics received, over stdio; floor and server take turns.\n');
  const targets: Target[] = [];
  const target = (name: string, value: string, wanted: string, met: boolean): void => void targets.push({ name, value, target: wanted, met });
  const header = `${'case'.padEnd(38)}${'floor p50'.padStart(12)}${'floor p95'.padStart(12)}${'server p50'.padStart(13)}${'server p95'.padStart(13)}${'ratio p50'.padStart(11)}`;
  const caseLine = (label: string, base: Figures, ours: Figures): string =>
    `${label.padEnd(38)}${ms(base.p50).padStart(12)}${ms(base.p95).padStart(12)}${ms(ours.p50).padStart(13)}${ms(ours.p95).padStart(13)}${(ours.p50 / base.p50).toFixed(2).padStart(10)}x`;
  say(header);
  for (const [label, row] of Object.entries(cases)) {
    const ours = row.server;
    const base = row.floor;
    const ratio = ours.p50 / base.p50;
    say(caseLine(label, base, ours));
    if (label === '(a) open 131,072 chars') {
      target(label, `p50 ${ms(ours.p50)}, ${ratio.toFixed(2)}x the floor`, 'within 1.5x the floor', ratio <= 1.5);
    } else if (label === '(a) open, every check done') {
      // No target of its own: the target for an open is its first diagnostics (the row
      // above); this row says how long the rest of the checks take after them.
    } else if (label.endsWith('breaks the JSON')) {
      target(label, `p50 ${ms(ours.p50)}, ${ratio.toFixed(2)}x the floor`, 'within 2x the floor', ratio <= 2);
    } else {
      target(label, `p50 ${ms(ours.p50)}, ${ratio.toFixed(2)}x the floor`, 'within 2x the floor and under 10 ms', ratio <= 2 && ours.p50 < 10);
    }
  }
  say('\nWith every problem shown (iamPolicy.maxNumberOfProblems 100000), as the floor shows all 1,000:');
  for (const [label, row] of Object.entries(cases)) {
    if (row['server, every problem shown'] !== undefined) say(caseLine(label, row.floor, row['server, every problem shown']));
  }

  say('\n(d) how the cost of an open grows with the document (p50; per 1,000 characters):');
  say(
    `${'characters'.padStart(10)}${'floor'.padStart(12)}${'server'.padStart(12)}${'floor/1k'.padStart(12)}${'server/1k'.padStart(12)}${'(server - floor)/1k'.padStart(22)}`,
  );
  for (const { length, row } of scaling) {
    const perK = (value: number): string => ms((value * 1000) / length);
    say(
      `${length.toLocaleString('en-US').padStart(10)}${ms(row.floor.p50).padStart(12)}${ms(row.server.p50).padStart(12)}${perK(row.floor.p50).padStart(12)}${perK(row.server.p50).padStart(12)}${perK(row.server.p50 - row.floor.p50).padStart(22)}`,
    );
  }

  say(`\n(c) all ${corpus.server.files} managed policies, opened one after another:`);
  for (const name of ['floor', 'server']) {
    say(`  ${name.padEnd(8)} total ${ms(corpus[name].total)}, per policy p50 ${ms(corpus[name].p50)}, p95 ${ms(corpus[name].p95)}`);
  }
  target('(c) all managed policies through the server', ms(corpus.server.total), 'under 1 s', corpus.server.total < 1000);
  say(`\nPeak memory (VmHWM) after all of the above: floor ${memory.floor?.toFixed(1) ?? '?'} MB, server ${memory.server?.toFixed(1) ?? '?'} MB`);
  if (memory.server !== undefined) target('peak memory of the server (VmHWM)', `${memory.server.toFixed(1)} MB`, 'at most 120 MB', memory.server <= 120);

  say('\nCompletion (after "service:", the service\'s actions) and hover (on an action), every check on:');
  say(
    `  largest policy (131,072 chars): completion p50 ${ms(largest.completion.p50)}, p95 ${ms(largest.completion.p95)} (${largest.items} items); hover p50 ${ms(largest.hover.p50)}, p95 ${ms(largest.hover.p95)}`,
  );
  say(
    `  the same, its last statement:   completion p50 ${ms(largestEnd.completion.p50)}, p95 ${ms(largestEnd.completion.p95)}; hover p50 ${ms(largestEnd.hover.p50)}, p95 ${ms(largestEnd.hover.p95)}`,
  );
  say(
    `  every managed policy:           completion p50 ${ms(everyPolicy.completion.p50)}, p95 ${ms(everyPolicy.completion.p95)}; hover p50 ${ms(everyPolicy.hover.p50)}, p95 ${ms(everyPolicy.hover.p95)}`,
  );
  target('completion p95 on the largest policy', ms(largest.completion.p95), 'at most 3 ms', largest.completion.p95 <= 3);
  say('\nWhat the largest policy grants, from a keystroke in a string to the answer:');
  say(`  policy summary (iamPolicy/summary, ${summaryActions} actions): p50 ${ms(summary.p50)}, p95 ${ms(summary.p95)}`);
  say(`  code lenses (${lenses} statements):              p50 ${ms(codeLens.p50)}, p95 ${ms(codeLens.p95)}`);
  target('policy summary after a keystroke', `p95 ${ms(summary.p95)}`, 'within 20 ms', summary.p95 < 20);
  say(
    `\nStart-up, opening the largest policy at once (median of ${startup.server.runs} starts each): the floor's diagnostics after ${ms(startup.floor.firstDiagnostics)};`,
  );
  say(
    `the server's first (the hard rules and the grammar) after ${ms(startup.server.firstDiagnostics)}, with the service catalog's checks after ${ms(startup.server.settled!)}.`,
  );
  target('start-up to the first diagnostics', ms(startup.server.firstDiagnostics), 'at most 100 ms', startup.server.firstDiagnostics <= 100);
  target("start-up to the catalog's diagnostics", ms(startup.server.settled!), 'at most 250 ms', startup.server.settled! <= 250);

  say("\nCloudFormation templates of 200 resources, a keystroke in a policy's action:");
  for (const [label, ours] of Object.entries(templates)) {
    say(`  ${label.padEnd(30)} p50 ${ms(ours.p50)}, p95 ${ms(ours.p95)}`);
    target(label, `keystroke p50 ${ms(ours.p50)}`, 'under 10 ms', ours.p50 < 10);
  }
  say('Completion in the YAML template (the resource read again with the cursor marked):');
  for (const [label, ours] of Object.entries(yamlCompletion)) say(`  ${label.padEnd(36)} p50 ${ms(ours.p50)}, p95 ${ms(ours.p95)}`);

  let cli: BenchResult | undefined;
  if (!process.argv.includes('--no-cli')) {
    cli = await benchCli(QUICK ? 1 : 3);
    say('\niam-policy-lint on the managed corpus, against Parliament and the floor of reading and parsing:\n');
    say(formatBench(cli).trimEnd());
    const find = (prefix: string) => cli!.measures.find((item) => item.name.startsWith(prefix));
    const lint = find('iam-policy-lint (spawned');
    const base = find('floor: read + JSON.parse (spawned');
    const parliament = find('Parliament');
    if (lint !== undefined && base !== undefined)
      target(
        'iam-policy-lint on the managed corpus',
        `${(lint.seconds * 1000).toFixed(0)} ms, ${(lint.seconds / base.seconds).toFixed(2)}x the spawned floor`,
        'at most 5x the floor',
        lint.seconds / base.seconds <= 5,
      );
    if (lint !== undefined && parliament !== undefined)
      target(`against Parliament`, `${(parliament.seconds / lint.seconds).toFixed(1)}x faster`, 'at least 25x faster', parliament.seconds / lint.seconds >= 25);
  }

  say('\nTargets:');
  for (const item of targets) say(`  ${item.name}: ${item.value}: ${item.met ? 'meets' : 'MISSES'} the target (${item.target})`);
  console.log(lines.join('\n'));

  if (JSON_FILE !== undefined) {
    const report = {
      date: started.toISOString(),
      machine: host,
      iterations: ITERATIONS,
      cases,
      scaling: scaling.map(({ length, row }) => ({ length, ...row })),
      corpus,
      peakMemoryMb: memory,
      assist: { largest, largestEnd, everyPolicy },
      grants: { summary, summaryActions, codeLens, lenses },
      startup,
      templates,
      yamlCompletion,
      cli,
      targets,
    };
    fs.writeFileSync(JSON_FILE, JSON.stringify(report, null, 2) + '\n');
    console.log(`\nFigures written to ${JSON_FILE}.`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
