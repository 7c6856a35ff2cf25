/**
 * The IAM policy language server: LSP wiring only. The parts, as VS Code's JSON server has them:
 * the documents and what is known of each (./documents), the settings (./configuration), the
 * one scheduler of checks (./validation), the catalog loading in the background
 * (./catalogService), and one adapter per feature (./features), each request inside one guard.
 * What is checked and how it is fixed lives in ./policy (no LSP imports there).
 *
 * Documents are validated on every change, without a debounce: the engine is built to take
 * well under a millisecond on the largest document IAM accepts (see `npm run bench`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  MessageType,
  ShowMessageNotification,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { CatalogService } from './catalogService';
import { CONFIG_FILE_NAME } from './config';
import { Configuration, filePathOf } from './configuration';
import { DocumentStore, type DocumentState } from './documents';
import { codeActions, FIX_ALL_KIND } from './features/codeActions';
import { DeferredDocumentation, toCompletionList, toHover, type CompletionSupport } from './features/completion';
import { offsetOf } from './features/changes';
import { registerGrantFeatures } from './features/grants';
import { guarded, logInternalError } from './features/guard';
import { configFileFor, IGNORE_RULE_COMMAND, isIgnoreRuleArguments, writeIgnoreOverride } from './features/ignoreRule';
import { complete, completionInTemplate, hover, servicesAt, templateCompletionSpotAt, templateSpotAt, type TemplateSpot } from 'iam-policy-engine';
import { enabledCodes, isPolicyKind, kindInfo } from 'iam-policy-engine';
import { DocumentKindRequest, SetKindNotification, StatusRequest, type DocumentKind, type DocumentKindParams, type SetKindParams } from 'iam-policy-engine';
import { Validator } from './validation';

const SERVER_NAME = 'iam-policy-language-server';
const SERVER_VERSION = '0.1.0';

export function startServer(connection: Connection): void {
  const log = (message: string): void => connection.console.log(message);
  // A promise nobody waits on that fails (a request the client turned down, say) must not end
  // the server, as Node does by default: it is logged, and the server carries on.
  process.on('unhandledRejection', (reason) => logInternalError(log, 'in a promise nobody waited for', reason));
  const store = new DocumentStore(log);
  const configuration = new Configuration(connection, log);
  const catalog = new CatalogService(log);
  const validator: Validator = new Validator(connection, store, configuration, catalog, log);
  let canRenameFiles = false;
  /** What the client's completion takes, from its capabilities. */
  let completionSupport: CompletionSupport = { snippets: false };
  let canWatchFiles = false;

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const capabilities = params.capabilities;
    configuration.initialize(capabilities, params.initializationOptions, params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri }] : []));
    canWatchFiles = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    const completion = capabilities.textDocument?.completion;
    completionSupport = {
      snippets: completion?.completionItem?.snippetSupport === true,
      editRangeDefault: completion?.completionList?.itemDefaults?.includes('editRange') === true,
    };
    if (completion?.completionItem?.resolveSupport?.properties.includes('documentation') === true) {
      completionSupport.deferred = new DeferredDocumentation();
    }
    canRenameFiles =
      capabilities.workspace?.workspaceEdit?.documentChanges === true && (capabilities.workspace.workspaceEdit.resourceOperations ?? []).includes('rename');
    validator.docsUrl = readmeUrl();
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
        completionProvider: { triggerCharacters: ['"', ':'], resolveProvider: completionSupport.deferred !== undefined },
        executeCommandProvider: { commands: [IGNORE_RULE_COMMAND] },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
      },
      serverInfo: { name: SERVER_NAME, version: SERVER_VERSION },
    };
  });

  connection.onInitialized(() => {
    if (configuration.canAskClient) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'iamPolicy' }).catch(() => undefined);
    }
    if (canWatchFiles) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: `**/${CONFIG_FILE_NAME}` }] }).catch(() => undefined);
    }
  });

  // A change to a repository's .iam-policy.json applies to every open document at once.
  connection.onDidChangeWatchedFiles(() => {
    configuration.repositoryChanged();
    validator.validateAll();
  });

  connection.onDidChangeConfiguration((change) => {
    configuration.changed(change.settings);
    validator.validateAll();
  });

  store.documents.onDidChangeContent((event) => void validator.validate(event.document));

  store.documents.onDidClose((event) => {
    const uri = event.document.uri;
    store.forget(uri);
    void connection.sendDiagnostics({ uri, diagnostics: [] });
  });

  connection.onRequest(StatusRequest.method, () => validator.status());

  connection.onExecuteCommand(
    guarded(log, 'in executeCommand', null, (params) => {
      const [args] = params.arguments ?? [];
      if (params.command !== IGNORE_RULE_COMMAND || !isIgnoreRuleArguments(args)) return null;
      try {
        writeIgnoreOverride(args);
        log(`Ignored ${args.code} for ${args.sid === undefined ? args.file : `statement ${args.sid} of ${args.file}`} in ${args.configFile}.`);
      } catch (error) {
        const message = `Could not write ${args.configFile}: ${error instanceof Error ? error.message : String(error)}`;
        log(message);
        void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Error, message });
        return null;
      }
      configuration.repositoryChanged();
      validator.validateAll();
      return null;
    }),
  );

  connection.onRequest(
    DocumentKindRequest.method,
    guarded(log, 'in documentKind', null, (params: DocumentKindParams): DocumentKind | null => {
      const document = store.get(params.uri);
      const state = document === undefined ? undefined : validator.current(document);
      // A template has a kind per policy, named by its resource: no kind to show or pick.
      if (state === undefined || !state.analysis.isPolicy || state.analysis.template !== undefined) return null;
      return { kind: state.analysis.kind, label: kindInfo(state.analysis.kind).label, source: state.analysis.kindSource };
    }),
  );

  connection.onNotification(SetKindNotification.method, (params: SetKindParams) => {
    store.setChosenKind(params.uri, isPolicyKind(params.kind) ? params.kind : undefined);
    const document = store.get(params.uri);
    if (document !== undefined) void validator.validate(document);
  });

  connection.onCodeAction(
    guarded(log, 'in code actions', [], (params) => {
      const document = store.get(params.textDocument.uri);
      if (document === undefined) return [];
      const state = validator.current(document);
      if (state === undefined || !state.analysis.isPolicy) return [];
      const filePath = filePathOf(document.uri);
      return codeActions(params, {
        document,
        analysis: state.analysis,
        findings: state.findings.filter((item) => item.code !== 'too-many-problems'),
        filePath,
        canRenameFiles,
        docsUrl: validator.docsUrl,
        fixable: enabledCodes(state.rules),
        configFile: filePath === undefined ? undefined : configFileFor(filePath, configuration.repositoryFile(document.uri), configuration.workspaceFolders),
      });
    }),
  );

  /**
   * The current check of a policy document with the services at the cursor loaded, and the
   * policy text to assist in: the document's own, or in a template the policy at the cursor.
   */
  async function readyAt(uri: string, position: { line: number; character: number }, purpose: 'completion' | 'hover') {
    const document = store.get(uri);
    if (document === undefined) return undefined;
    const state = validator.current(document);
    if (state === undefined || !state.analysis.isPolicy) return undefined;
    const offset = offsetOf(document, position);
    const spotOf = (current: DocumentState) => spotIn(document.getText(), current, offset, purpose);
    const spot = spotOf(state);
    if (spot === undefined) return undefined;
    // Completion and hover are asked for: they may wait the few milliseconds the catalog needs.
    await catalog.load(servicesAt(spot.text, spot.parsed, spot.offset));
    const latest = store.get(uri);
    if (latest === undefined || latest.version !== document.version) return undefined;
    const current = validator.current(document) ?? state;
    // The same text and check: the same spot (a template's costs a read of its resource).
    const ready = current === state ? spot : spotOf(current);
    return ready === undefined ? undefined : { document, spot: ready };
  }

  connection.onCompletion(
    guarded(log, 'in completion', null, async (params) => {
      const ready = await readyAt(params.textDocument.uri, params.position, 'completion');
      if (ready === undefined) return null;
      const { spot } = ready;
      const result = completionInTemplate(spot, complete(spot.text, spot.parsed, spot.offset, catalog.catalog));
      return result === undefined ? null : toCompletionList(ready.document, result, completionSupport);
    }),
  );

  // On a failure, the item as it came: it shows without its documentation.
  connection.onCompletionResolve(
    async (item) => (await guarded(log, 'in completion resolve', undefined, () => completionSupport.deferred?.resolve(item))()) ?? item,
  );

  connection.onHover(
    guarded(log, 'in hover', null, async (params) => {
      const ready = await readyAt(params.textDocument.uri, params.position, 'hover');
      if (ready === undefined) return null;
      const { spot } = ready;
      const result = hover(spot.parsed, spot.offset, catalog.catalog);
      if (result === undefined) return null;
      const place = spot.source(result.offset, result.length);
      return toHover(ready.document, { ...result, offset: place.start, length: place.end - place.start });
    }),
  );

  registerGrantFeatures(connection, { store, validator, catalog, log });

  store.listen(connection);
  connection.listen();
}

/** The README next to the bundle (vsce stores it as readme.md), linked from each code. */
function readmeUrl(): string | undefined {
  const folder = path.resolve(__dirname, '..', '..');
  const name = ['README.md', 'readme.md'].find((candidate) => fs.existsSync(path.join(folder, candidate)));
  return name === undefined ? undefined : pathToFileURL(path.join(folder, name)).toString();
}

/** The policy text to assist in at an offset: a policy document's own text, or a template's policy there. */
function spotIn(text: string, state: DocumentState, offset: number, purpose: 'completion' | 'hover'): TemplateSpot | undefined {
  const template = state.analysis.template;
  if (template !== undefined) return purpose === 'completion' ? templateCompletionSpotAt(text, template, offset) : templateSpotAt(text, template, offset);
  return {
    text,
    parsed: state.analysis.parsed,
    offset,
    exactSource: (at, length) => ({ start: at, end: at + length }),
    source: (at, length) => ({ start: at, end: at + length }),
    encode: (value) => value,
  };
}
