/**
 * The fuzzer: drives the real language server (bin/iam-policy-language-server.js) over stdio
 * with random and mutated policies, incremental edits (out-of-range ones too), and completion,
 * hover and code actions at random places, and checks what a user would suffer from:
 *
 * - crashes: the server exits, writes to stderr, or logs an internal error (an exception that
 *   reached a handler's edge);
 * - hangs: any answer, or the diagnostics of an edit, taking over 5 seconds;
 * - bad ranges: a diagnostic, completion, hover or code action edit outside the document (or
 *   a code action's edits overlapping);
 * - incremental mismatches: what is published after the edits differs from what a fresh open
 *   of the same text publishes.
 *
 * Every document draws from its own generator, seeded from the run's seed and its number, so
 * `--seed S --only N` replays document N of a run alone.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionRequest,
  CompletionRequest,
  HoverRequest,
  type CodeAction,
  type Command,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type Hover,
  type Position,
  type Range,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { LspTestClient, withTimeout } from '../support/lspClient';
import { applyEdit, lspOffset, randomDocument, randomEdit } from '../support/mutations';
import { Random } from '../support/random';

export interface FuzzOptions {
  /** How many documents, at most. */
  docs: number;
  /** Stop starting documents after this many seconds (Infinity: no limit). */
  seconds: number;
  seed: number;
  /** Run only this document of the run (to replay a failure). */
  only?: number;
  /** Where progress and failures go, one line each. */
  print?: (line: string) => void;
}

export interface FuzzReport {
  seed: number;
  docs: number;
  edits: number;
  requests: number;
  elapsedMs: number;
  crashes: number;
  hangs: number;
  badRanges: number;
  mismatches: number;
  /** One line per failure, with what replays it. */
  failures: string[];
}

const HANG_MS = 5_000;
const FILE_NAMES = ['policy.iam.json', 'bucket.policy.json', 'my policy.iam.json', 'trust.json', 'p.iam.json'];

class Hang extends Error {}

/** Runs the fuzzer; never throws for what it finds (that is in the report). */
export async function fuzz(options: FuzzOptions): Promise<FuzzReport> {
  const print = options.print ?? (() => undefined);
  const report: FuzzReport = {
    seed: options.seed,
    docs: 0,
    edits: 0,
    requests: 0,
    elapsedMs: 0,
    crashes: 0,
    hangs: 0,
    badRanges: 0,
    mismatches: 0,
    failures: [],
  };
  const started = Date.now();
  let server = await Server.start();
  const first = options.only ?? 0;
  const last = options.only ?? options.docs - 1;
  for (let index = first; index <= last; index++) {
    if (Date.now() - started > options.seconds * 1000) break;
    const replay = `document ${index} (replay: npm run fuzz -- --seed ${options.seed} --only ${index})`;
    const fail = (kind: 'crashes' | 'hangs' | 'badRanges' | 'mismatches', what: string): void => {
      report[kind]++;
      const line = `${kind === 'badRanges' ? 'bad range' : kind === 'mismatches' ? 'incremental mismatch' : kind.slice(0, -1)}: ${what}; ${replay}`;
      report.failures.push(line);
      print(line);
    };
    let restart = false;
    try {
      await fuzzDocument(server, new Random(documentSeed(options.seed, index)), index, report, fail);
    } catch (error) {
      if (error instanceof Hang) fail('hangs', error.message);
      else fail('crashes', `the fuzzer's client failed: ${error instanceof Error ? error.message : String(error)}`);
      restart = true;
    }
    const trouble = server.trouble();
    if (trouble !== undefined) fail('crashes', trouble);
    report.docs++;
    if (restart || trouble !== undefined) {
      // A server that hung may still be busy, one that failed may be in any state: start afresh.
      server.kill();
      server = await Server.start();
    }
    if (report.docs % 1000 === 0) print(`${report.docs} documents, ${report.edits} edits, ${Math.round((Date.now() - started) / 1000)} s`);
  }
  server.kill();
  report.elapsedMs = Date.now() - started;
  return report;
}

/** A document's own seed, from the run's seed and its number. */
function documentSeed(seed: number, index: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) + Math.imul(index + 1, 0x85ebca6b)) >>> 0;
}

/** The server process and what it said besides its answers. */
class Server {
  private logSeen = 0;
  private stderrSeen = 0;

  private constructor(readonly client: LspTestClient) {}

  static async start(): Promise<Server> {
    const { client } = await LspTestClient.start({ settings: {} });
    return new Server(client);
  }

  alive(): boolean {
    return !this.client.hasExited;
  }

  /** What went wrong since the last call: an exit, stderr output, an internal error logged. */
  trouble(): string | undefined {
    if (this.client.hasExited) return 'the server exited';
    const stderr = this.client.stderr.slice(this.stderrSeen);
    this.stderrSeen = this.client.stderr.length;
    if (stderr !== '') return `the server wrote to stderr: ${stderr.split('\n')[0].slice(0, 300)}`;
    const logs = this.client.logMessages.slice(this.logSeen);
    this.logSeen = this.client.logMessages.length;
    const internal = logs.find((message) => message.startsWith('Internal error'));
    return internal === undefined ? undefined : internal.split('\n').slice(0, 3).join(' | ').slice(0, 500);
  }

  kill(): void {
    if (!this.client.hasExited) this.client.process.kill('SIGKILL');
    this.client.connection.dispose();
  }
}

function timed<T>(promise: Promise<T>, what: string): Promise<T> {
  return withTimeout(promise, what, HANG_MS).catch((error: unknown) => {
    if (error instanceof Error && error.message.startsWith('timed out')) throw new Hang(`no answer to ${what} in ${HANG_MS / 1000} s`);
    throw error;
  });
}

async function fuzzDocument(
  server: Server,
  random: Random,
  index: number,
  report: FuzzReport,
  fail: (kind: 'badRanges' | 'mismatches', what: string) => void,
): Promise<void> {
  const client = server.client;
  const name = random.pick(FILE_NAMES);
  const uri = `file:///fuzz/${index}/${encodeURIComponent(name)}`;
  const languageId = random.int(6) === 0 ? 'json' : 'iam-policy';
  await client.open(uri, randomDocument(random, 40_000), languageId);

  for (let round = 0, rounds = 1 + random.int(5); round < rounds; round++) {
    // A burst of edits, sent without waiting as fast typing does.
    for (let n = 0, count = random.int(12); n < count; n++) {
      if (random.int(12) === 0) await wildChange(client, uri, random);
      else void client.change(uri, inRangeChanges(client.document(uri), random));
      report.edits++;
    }
    // Questions at random places, each answered in time and inside the document.
    for (let n = 0, count = random.int(4); n < count; n++) {
      const document = client.document(uri);
      const position = document.positionAt(random.int(document.getText().length + 1));
      report.requests++;
      await ask(client, uri, document, position, random, fail);
    }
  }

  // The diagnostics of the last version, inside the document, equal to a fresh open's.
  const document = client.document(uri);
  const incremental = await finalDiagnostics(client, uri, languageId === 'iam-policy' ? document.version : undefined);
  for (const diagnostic of incremental) checkRange(document, diagnostic.range, `diagnostic ${String(diagnostic.code)}`, fail);
  const freshUri = `file:///fuzz-fresh/${index}/${encodeURIComponent(name)}`;
  await client.open(freshUri, document.getText(), languageId);
  const fresh = await finalDiagnostics(client, freshUri, languageId === 'iam-policy' ? 1 : undefined);
  // Related places point into each document by its own URI: compare their ranges and words.
  const alike = (diagnostics: Diagnostic[]): string =>
    JSON.stringify(
      diagnostics.map((diagnostic) => ({
        ...diagnostic,
        relatedInformation: diagnostic.relatedInformation?.map((info) => [info.location.range, info.message]),
      })),
    );
  if (alike(incremental) !== alike(fresh)) {
    fail('mismatches', `${languageId} document of ${document.getText().length} characters: ${describeDifference(incremental, fresh)}`);
  }
  await client.close(uri);
  await client.close(freshUri);
  client.forgetDiagnostics(uri);
  client.forgetDiagnostics(freshUri);
}

/** One to three in-range changes for one notification, each in the text the one before left. */
function inRangeChanges(document: TextDocument, random: Random): Array<{ range: Range; text: string }> {
  const scratch = TextDocument.create(document.uri, document.languageId, 0, document.getText());
  const changes: Array<{ range: Range; text: string }> = [];
  for (let n = 0, count = 1 + (random.int(4) === 0 ? random.int(3) : 0); n < count; n++) {
    const edit = randomEdit(random, scratch.getText());
    const change = { range: { start: scratch.positionAt(edit.offset), end: scratch.positionAt(edit.offset + edit.length) }, text: edit.text };
    TextDocument.update(scratch, [change], n + 1);
    changes.push(change);
  }
  return changes;
}

/**
 * A change whose range an editor would never send: far past the end, just past it, past a
 * line's end, reversed, negative. The text it makes is worked out by LSP's rule.
 */
async function wildChange(client: LspTestClient, uri: string, random: Random): Promise<void> {
  const text = client.text(uri);
  const lines = text.split(/\r\n|\r|\n/).length;
  const somewhere = (): Position => ({ line: random.int(lines), character: random.int(40) });
  let range: Range;
  switch (random.int(5)) {
    case 0: {
      const line = 2 ** 31 - 1 - random.int(20);
      range = { start: { line, character: random.int(100) }, end: { line: line + random.int(2), character: random.int(100) } };
      break;
    }
    case 1:
      range = { start: { line: lines + random.int(3), character: random.int(5) }, end: { line: lines + 3, character: random.int(5) } };
      break;
    case 2: {
      const line = random.int(lines);
      range = { start: { line, character: 100 + random.int(1000) }, end: { line: Math.min(lines, line + random.int(2)), character: 200 + random.int(1000) } };
      break;
    }
    case 3: {
      const a = somewhere();
      const b = somewhere();
      range = { start: b, end: a };
      break;
    }
    default:
      range = { start: { line: -1 - random.int(3), character: -random.int(3) }, end: somewhere() };
      break;
  }
  const inserted = random.pick(['', '\n', '\u201c', '{', '"x"', '\r\n', '\u{1F600}']);
  let start = lspOffset(text, range.start);
  let end = lspOffset(text, range.end);
  if (start > end) [start, end] = [end, start];
  await client.changeRaw(uri, [{ range, text: inserted }], applyEdit(text, { offset: start, length: end - start, text: inserted }));
}

async function ask(
  client: LspTestClient,
  uri: string,
  document: TextDocument,
  position: Position,
  random: Random,
  fail: (kind: 'badRanges', what: string) => void,
): Promise<void> {
  const connection = client.connection;
  switch (random.int(3)) {
    case 0: {
      const result = await timed(connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position }), 'completion');
      const items: CompletionItem[] = result === null ? [] : Array.isArray(result) ? result : (result as CompletionList).items;
      for (const item of items.slice(0, 5)) {
        if (item.textEdit !== undefined && 'range' in item.textEdit) checkRange(document, item.textEdit.range, `completion ${item.label}`, fail);
      }
      break;
    }
    case 1: {
      const result: Hover | null = await timed(connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position }), 'hover');
      if (result?.range !== undefined) checkRange(document, result.range, 'hover', fail);
      break;
    }
    default: {
      const end = document.positionAt(document.offsetAt(position) + random.int(30));
      const only = random.pick([undefined, ['quickfix'], ['source.fixAll'], ['source.fixAll.iamPolicy']]);
      const result = await timed(
        connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: { start: position, end }, context: { diagnostics: [], only } }),
        'code actions',
      );
      const actions = (result ?? []).filter(
        (item: Command | CodeAction): item is CodeAction => 'title' in item && !('command' in item && typeof item.command === 'string'),
      );
      for (const action of actions) {
        const edits: TextEdit[] = action.edit?.changes?.[uri] ?? [];
        for (const edit of edits) checkRange(document, edit.range, `code action "${action.title}"`, fail);
        const sorted = edits.map((edit) => [document.offsetAt(edit.range.start), document.offsetAt(edit.range.end)]).sort((a, b) => a[0] - b[0]);
        for (let i = 1; i < sorted.length; i++) {
          if (sorted[i][0] < sorted[i - 1][1]) fail('badRanges', `code action "${action.title}" has overlapping edits`);
        }
      }
      // Now and then accept one, as a user does.
      const chosen = actions.length > 0 && random.int(3) === 0 ? random.pick(actions) : undefined;
      if (chosen?.edit?.changes?.[uri] !== undefined && chosen.edit.changes[uri].length > 0) await client.applyEdit(chosen.edit);
      break;
    }
  }
}

/** The diagnostics published last once the server is settled; `version` must match when given. */
async function finalDiagnostics(client: LspTestClient, uri: string, version: number | undefined): Promise<Diagnostic[]> {
  await timed(client.settled(), 'the status request after the edits');
  if (version === undefined) return client.published(uri)?.diagnostics ?? [];
  return timed(
    client.diagnostics(uri, (params) => params.version === version),
    'the diagnostics of the last edit',
  );
}

/** A range inside the document: positions on its lines, not past a line's end, start ≤ end. */
function checkRange(document: TextDocument, range: Range, what: string, fail: (kind: 'badRanges', what: string) => void): void {
  for (const position of [range.start, range.end]) {
    const valid =
      Number.isInteger(position.line) &&
      Number.isInteger(position.character) &&
      position.line >= 0 &&
      position.character >= 0 &&
      position.line < document.lineCount;
    const canonical = valid ? document.positionAt(document.offsetAt(position)) : undefined;
    if (!valid || canonical!.line !== position.line || canonical!.character !== position.character) {
      fail('badRanges', `${what} at ${JSON.stringify(range)} in a document of ${document.lineCount} lines`);
      return;
    }
  }
  if (document.offsetAt(range.start) > document.offsetAt(range.end)) fail('badRanges', `${what} ends before it starts: ${JSON.stringify(range)}`);
}

function describeDifference(incremental: Diagnostic[], fresh: Diagnostic[]): string {
  const show = (diagnostic: Diagnostic | undefined): string =>
    diagnostic === undefined ? 'nothing' : `${String(diagnostic.code)} ${JSON.stringify(diagnostic.range)}`;
  for (let i = 0; i < Math.max(incremental.length, fresh.length); i++) {
    if (JSON.stringify(incremental[i]) !== JSON.stringify(fresh[i]))
      return `diagnostic ${i + 1}: ${show(incremental[i])} after the edits, ${show(fresh[i])} fresh`;
  }
  return 'related information differs';
}
