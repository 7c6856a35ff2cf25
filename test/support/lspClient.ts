/**
 * A real LSP client for tests: spawns the built server (bin/iam-policy-language-server.js,
 * the same entry other editors use) over stdio and speaks JSON-RPC with
 * vscode-languageserver-protocol. It keeps its own copy of each document, so code actions
 * can be applied and sent back as incremental changes, like an editor does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  CompletionRequest,
  ExecuteCommandRequest,
  HoverRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type CodeAction,
  type CompletionList,
  type Hover,
  type Position,
  type Command,
  type Diagnostic,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Range,
  type TextDocumentContentChangeEvent,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { SERVER_BIN } from './paths';
import { StatusRequest, type ServerStatus } from 'iam-policy-engine';

export interface ClientOptions {
  /** Settings answered to workspace/configuration for section iamPolicy (undefined: none). */
  settings?: Record<string, unknown>;
  /** Leave out the configuration capability, as simple editors do. */
  noConfigurationCapability?: boolean;
  initializationOptions?: unknown;
  /** Extra arguments for the server (default: --stdio). */
  args?: string[];
  /** Another server program to run (an installed bin, say) instead of `node bin/iam-policy-language-server.js`. */
  command?: string;
  /** The server's working folder (default: this process's). */
  cwd?: string;
  /** The workspace folders, as paths. */
  workspaceFolders?: string[];
  /** Announce, as VS Code does, that completion items' documentation can come on completionItem/resolve. */
  completionResolve?: boolean;
  /** Announce, as VS Code does, that a completion list may give its items' edit range once (itemDefaults). */
  completionItemDefaults?: boolean;
}

const TIMEOUT_MS = 10_000;

export class LspTestClient {
  readonly connection: ProtocolConnection;
  readonly process: ChildProcess;
  settings: Record<string, unknown> | undefined;
  /** Every configuration request the server made, in order. */
  readonly configurationRequests: unknown[] = [];
  readonly logMessages: string[] = [];
  stderr = '';
  private readonly documents = new Map<string, TextDocument>();
  private readonly latest = new Map<string, PublishDiagnosticsParams>();
  private waiters: Array<{ uri: string; accept: (params: PublishDiagnosticsParams) => boolean; resolve: (params: PublishDiagnosticsParams) => void }> = [];
  private exited = false;
  private freshCount = 0;

  private constructor(options: ClientOptions) {
    this.settings = options.settings;
    const args = options.args ?? ['--stdio'];
    const [file, argv] = options.command !== undefined ? [options.command, args] : [process.execPath, [SERVER_BIN, ...args]];
    this.process = spawn(file, argv, { stdio: ['pipe', 'pipe', 'pipe'], ...(options.cwd !== undefined ? { cwd: options.cwd } : {}) });
    this.process.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.process.on('exit', () => (this.exited = true));
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.latest.set(params.uri, params);
      const ready = this.waiters.filter((waiter) => waiter.uri === params.uri && waiter.accept(params));
      this.waiters = this.waiters.filter((waiter) => !ready.includes(waiter));
      for (const waiter of ready) waiter.resolve(params);
    });
    this.connection.onRequest(ConfigurationRequest.type, (params) => {
      this.configurationRequests.push(params);
      return params.items.map((item) => (item.section === 'iamPolicy' ? (this.settings ?? null) : null));
    });
    this.connection.onRequest(RegistrationRequest.type, () => undefined);
    this.connection.onNotification('window/logMessage', (params: { message: string }) => {
      this.logMessages.push(params.message);
    });
    this.connection.listen();
  }

  static async start(options: ClientOptions = {}): Promise<{ client: LspTestClient; initialize: InitializeResult }> {
    const client = new LspTestClient(options);
    const capabilities: ClientCapabilities = {
      workspace: {
        configuration: !options.noConfigurationCapability,
        didChangeConfiguration: { dynamicRegistration: true },
        didChangeWatchedFiles: { dynamicRegistration: true },
        workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
      },
      textDocument: {
        completion: {
          completionItem: {
            snippetSupport: true,
            ...(options.completionResolve ? { resolveSupport: { properties: ['documentation', 'detail', 'additionalTextEdits'] } } : {}),
          },
          ...(options.completionItemDefaults
            ? { completionList: { itemDefaults: ['commitCharacters', 'editRange', 'insertTextFormat', 'insertTextMode', 'data'] } }
            : {}),
        },
        hover: { contentFormat: ['markdown'] },
        publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } }, isPreferredSupport: true },
      },
    };
    const initialize = await withTimeout(
      client.connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri: null,
        workspaceFolders: options.workspaceFolders?.map((folder) => ({ uri: pathToFileURL(folder).toString(), name: folder })) ?? null,
        capabilities,
        initializationOptions: options.initializationOptions,
      }),
      'initialize',
    );
    await client.connection.sendNotification(InitializedNotification.type, {});
    return { client, initialize };
  }

  async open(uri: string, text: string, languageId = 'iam-policy'): Promise<void> {
    const document = TextDocument.create(uri, languageId, 1, text);
    this.documents.set(uri, document);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Sends changes (ranges in the current text) and applies them to the local copy. */
  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const document = this.document(uri);
    const version = document.version + 1;
    TextDocument.update(document, changes, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  /**
   * Sends changes as they are, however malformed (ranges past the end, reversed, not numbers),
   * and takes `expected` as the text the server should now hold: the test says what LSP makes
   * of them, since the local copy would choke on them as the server's text store did.
   */
  async changeRaw(uri: string, changes: unknown[], expected: string): Promise<number> {
    const document = this.document(uri);
    const version = document.version + 1;
    this.documents.set(uri, TextDocument.create(uri, document.languageId, version, expected));
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: changes as TextDocumentContentChangeEvent[],
    });
    return version;
  }

  /** Replaces the text at [start, end) offsets. */
  async edit(uri: string, start: number, end: number, text: string): Promise<number> {
    const document = this.document(uri);
    return this.change(uri, [{ range: { start: document.positionAt(start), end: document.positionAt(end) }, text }]);
  }

  async close(uri: string): Promise<void> {
    this.documents.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  text(uri: string): string {
    return this.document(uri).getText();
  }

  document(uri: string): TextDocument {
    const document = this.documents.get(uri);
    if (document === undefined) throw new Error(`${uri} is not open`);
    return document;
  }

  /**
   * The next diagnostics published for `uri` that satisfy `accept` (by default: for the
   * document's current version), or the latest ones if they already do.
   */
  diagnostics(uri: string, accept?: (params: PublishDiagnosticsParams) => boolean): Promise<Diagnostic[]> {
    const test = accept ?? ((params: PublishDiagnosticsParams) => params.version === undefined || params.version === this.documents.get(uri)?.version);
    const latest = this.latest.get(uri);
    if (latest !== undefined && test(latest)) return Promise.resolve(latest.diagnostics);
    return withTimeout(new Promise<PublishDiagnosticsParams>((resolve) => this.waiters.push({ uri, accept: test, resolve })), `diagnostics for ${uri}`).then(
      (params) => params.diagnostics,
    );
  }

  /** Forgets what was published, so the next diagnostics() waits for a new publication. */
  forgetDiagnostics(uri: string): void {
    this.latest.delete(uri);
  }

  published(uri: string): PublishDiagnosticsParams | undefined {
    return this.latest.get(uri);
  }

  async codeActions(uri: string, range: Range, diagnostics: Diagnostic[] = [], only?: string[]): Promise<CodeAction[]> {
    const result = await withTimeout(
      this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics, only } }),
      'codeAction',
    );
    return (result ?? []).filter(
      (item: Command | CodeAction): item is CodeAction => 'title' in item && !('command' in item && typeof item.command === 'string'),
    );
  }

  /** workspace/executeCommand, for the commands code actions carry. */
  async executeCommand(command: Command): Promise<unknown> {
    return withTimeout(this.connection.sendRequest(ExecuteCommandRequest.type, { command: command.command, arguments: command.arguments }), 'executeCommand');
  }

  async completion(uri: string, position: Position): Promise<CompletionList> {
    const result = await withTimeout(this.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position }), 'completion');
    if (result === null) return { isIncomplete: false, items: [] };
    return Array.isArray(result) ? { isIncomplete: false, items: result } : result;
  }

  async hover(uri: string, position: Position): Promise<Hover | null> {
    return withTimeout(this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position }), 'hover');
  }

  /** The position just after the first occurrence of `marker` (minus `back` characters). */
  positionAfter(uri: string, marker: string, back = 0): Position {
    const text = this.text(uri);
    const index = text.indexOf(marker);
    if (index < 0) throw new Error(`${JSON.stringify(marker)} is not in ${uri}`);
    return this.document(uri).positionAt(index + marker.length - back);
  }

  /** Applies a workspace edit's text edits to the open document, as one didChange. */
  async applyEdit(edit: WorkspaceEdit): Promise<number> {
    const entries = Object.entries(edit.changes ?? {});
    if (entries.length !== 1) throw new Error(`expected edits for one document, got ${entries.length}`);
    const [uri, edits] = entries[0];
    const document = this.document(uri);
    // Send edits from the end backwards so each range is still valid when applied.
    const sorted = [...edits].sort((a, b) => document.offsetAt(b.range.start) - document.offsetAt(a.range.start));
    return this.change(
      uri,
      sorted.map((item) => ({ range: item.range, text: item.newText })),
    );
  }

  /**
   * Waits until the server has its service catalog and no document waits for a service, so
   * what it published last is final; then returns the latest diagnostics of `uri`, if given.
   */
  async settled(uri?: string): Promise<Diagnostic[]> {
    const deadline = Date.now() + TIMEOUT_MS;
    for (;;) {
      const status = await withTimeout(this.connection.sendRequest<ServerStatus>(StatusRequest.method), "the server's status");
      if (status.catalog !== 'loading' && status.documentsWaitingForServices === 0) break;
      if (Date.now() > deadline) throw new Error(`server not settled after ${TIMEOUT_MS} ms: ${JSON.stringify(status)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return uri === undefined ? [] : this.diagnostics(uri);
  }

  /**
   * The settled diagnostics of `uri`, and those of a fresh open of its current text (under the
   * same file name in another folder, then closed), with related places' URIs made alike: an
   * incrementally edited document must publish exactly what a fresh one does.
   */
  async againstFresh(uri: string): Promise<{ incremental: Diagnostic[]; fresh: Diagnostic[] }> {
    const incremental = await this.settled(uri);
    const document = this.document(uri);
    const freshUri = `file:///fresh/${++this.freshCount}/${uri.slice(uri.lastIndexOf('/') + 1)}`;
    await this.open(freshUri, document.getText(), document.languageId);
    const fresh = await this.settled(freshUri);
    await this.close(freshUri);
    const alike = (diagnostics: Diagnostic[], from: string): Diagnostic[] =>
      diagnostics.map((diagnostic) =>
        diagnostic.relatedInformation === undefined
          ? diagnostic
          : {
              ...diagnostic,
              relatedInformation: diagnostic.relatedInformation.map((info) => ({
                ...info,
                location: { ...info.location, uri: info.location.uri === from ? 'same' : info.location.uri },
              })),
            },
      );
    return { incremental: alike(incremental, uri), fresh: alike(fresh, freshUri) };
  }

  async changeSettings(settings: Record<string, unknown> | undefined): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { iamPolicy: settings } });
  }

  get hasExited(): boolean {
    return this.exited;
  }

  async stop(): Promise<void> {
    if (!this.exited) {
      try {
        await withTimeout(this.connection.sendRequest(ShutdownRequest.type), 'shutdown');
        await this.connection.sendNotification(ExitNotification.type);
      } catch {
        // fall through to kill
      }
    }
    await new Promise<void>((resolve) => {
      if (this.exited) return resolve();
      const timer = setTimeout(() => {
        this.process.kill('SIGKILL');
        resolve();
      }, 2000);
      this.process.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.connection.dispose();
  }
}

export function withTimeout<T>(promise: Promise<T>, what: string, ms = TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    }),
  ]);
}

/** The code and covered text of each diagnostic, to compare in tests. */
export function summarize(client: LspTestClient, uri: string, diagnostics: Diagnostic[]): Array<{ code: string; at: string }> {
  const document = client.document(uri);
  return diagnostics.map((diagnostic) => ({
    code: String(diagnostic.code),
    at: document.getText(diagnostic.range),
  }));
}
