/**
 * The IAM policy language server: LSP wiring only. What is checked and how it is fixed lives
 * in ./policy (no LSP imports there).
 *
 * Documents are validated on every change, without a debounce: the engine is built to take
 * well under a millisecond on the largest document IAM accepts (see `npm run bench`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeActions, FIX_ALL_KIND } from './features/codeActions';
import { offsetOf, wellFormedChange } from './features/changes';
import { toCompletionList, toHover } from './features/completion';
import { complete, hover, servicesAt } from './policy/assist';
import { toDiagnostic } from './features/diagnostics';
import { analyze, needsStatementKey, type Analysis } from './policy/analyze';
import { Catalog } from './policy/catalog';
import { LineMap } from './policy/lines';
import { CONFIG_FILE_NAME, ConfigCache } from './config';
import { applyRuleSettings, enabledCodes, type Finding, type RuleSettings } from './policy/findings';
import { IncrementalCharacters, IncrementalParser, type TextChange } from './policy/incremental';
import { DEFAULT_SETTINGS, readSettings, type ServerSettings } from './settings';

export const SERVER_NAME = 'iam-policy-language-server';

/** Custom request: the server's state (see ServerStatus). */
export const STATUS_REQUEST = 'iamPolicy/status';

export interface ServerStatus {
  catalog: 'loading' | 'ready' | 'failed';
  catalogVersion: string | undefined;
  /** Documents whose diagnostics are not final: services still loading, or settings on their way. */
  documentsWaitingForServices: number;
}
export const SERVER_VERSION = '0.1.0';

interface DocumentState {
  version: number;
  analysis: Analysis;
  /** What was published: the findings after severity settings and the problem cap. */
  findings: Finding[];
  /** Whether diagnostics are currently shown for it (to clear them once, not on every edit). */
  published: boolean;
  /** The rules it was checked with (editor settings over the repository's file). */
  rules: RuleSettings;
}

export function startServer(connection: Connection): void {
  /** Edits since the last validation, per document, for the incremental parser. */
  const pendingChanges = new Map<string, TextChange[] | 'full'>();
  const documents = new TextDocuments<TextDocument>({
    create: (uri, languageId, version, content) => TextDocument.create(uri, languageId, version, content),
    update: (document, changes, version) => {
      // Apply the changes one by one, noting each as offsets in the text it applies to.
      const noted = pendingChanges.get(document.uri);
      let list: TextChange[] | 'full' = noted ?? [];
      for (const received of changes) {
        // Clamped to the document here, the one place every edit passes (see wellFormedChange).
        const change = wellFormedChange(document, received);
        if (change === undefined) {
          log(`Ignored a change to ${document.uri} that has no text.`);
          continue;
        }
        if (!('range' in change) || list === 'full') {
          list = 'full';
        } else {
          const offset = document.offsetAt(change.range.start);
          const end = document.offsetAt(change.range.end);
          list.push({ offset, length: end - offset, text: change.text });
        }
        TextDocument.update(document, [change], version);
      }
      pendingChanges.set(document.uri, list);
      return document;
    },
  });

  const parser = new IncrementalParser();
  const characters = new IncrementalCharacters();
  const states = new Map<string, DocumentState>();
  const settingsByUri = new Map<string, ServerSettings>();
  const settingsPending = new Map<string, Promise<ServerSettings>>();
  /** The settings the client gave last, for any document: the best guess for a new one. */
  let lastSettings: ServerSettings | undefined;
  let globalSettings: ServerSettings = { ...DEFAULT_SETTINGS, rules: {} };
  let hasConfigurationCapability = false;
  let canRenameFiles = false;
  let snippetSupport = false;
  let canWatchFiles = false;
  /** The repository's .iam-policy.json files, shared with the command-line linter. */
  const repositoryConfigs = new ConfigCache();
  const reportedConfigErrors = new Set<string>();
  let docsUrl: string | undefined;

  const log = (message: string): void => connection.console.log(message);
  /** A bug caught at a handler's edge: its stack is logged (never a document's text). */
  const logInternalError = (where: string, error: unknown): void =>
    log(`Internal error ${where}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);

  // The service catalog loads in the background: the hard rules and the grammar are checked
  // from the first keystroke, and documents are checked again once it (or a service one of
  // them names) has loaded.
  let catalog: Catalog | undefined;
  let catalogState: 'loading' | 'ready' | 'failed' = 'loading';
  const started = Date.now();
  const catalogLoading = Catalog.create();
  void catalogLoading.then(
    (loaded) => {
      catalog = loaded;
      catalogState = 'ready';
      log(`Service catalog ${loaded.version} ready in ${Date.now() - started} ms (${loaded.servicePrefixes().length} services).`);
      for (const document of documents.all()) void validate(document);
      // Then every service, in the background (about 0.3 s, 40 MB): a document naming a service
      // not loaded yet is checked twice, once without it; after this, once.
      void loaded.loadAll().then(() => log(`All ${loaded.servicePrefixes().length} services loaded in ${Date.now() - started} ms${loaded.failed.size > 0 ? `; ${loaded.failed.size} could not be read` : ''}.`));
    },
    (error: unknown) => {
      catalogState = 'failed';
      log(`The service catalog could not be loaded, so actions, resources and condition keys are not checked against it: ${error instanceof Error ? error.message : String(error)}`);
    },
  );
  /** Documents waiting for services to load, so each load triggers one new check. */
  const waitingForServices = new Set<string>();
  /** Documents whose check waits for their settings: their diagnostics are not final yet. */
  const checking = new Set<string>();

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const capabilities = params.capabilities;
    hasConfigurationCapability = capabilities.workspace?.configuration === true;
    canWatchFiles = capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    snippetSupport = capabilities.textDocument?.completion?.completionItem?.snippetSupport === true;
    canRenameFiles = capabilities.workspace?.workspaceEdit?.documentChanges === true &&
      (capabilities.workspace.workspaceEdit.resourceOperations ?? []).includes('rename');
    docsUrl = readmeUrl();
    const initial = (params.initializationOptions as { settings?: unknown } | undefined)?.settings;
    if (initial !== undefined) globalSettings = takeSettings(initial);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
        completionProvider: { triggerCharacters: ['"', ':'], resolveProvider: false },
        hoverProvider: true,
      },
      serverInfo: { name: SERVER_NAME, version: SERVER_VERSION },
    };
  });

  connection.onInitialized(() => {
    if (hasConfigurationCapability) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'iamPolicy' }).catch(() => undefined);
    }
    if (canWatchFiles) {
      void connection.client
        .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: `**/${CONFIG_FILE_NAME}` }] })
        .catch(() => undefined);
    }
  });

  // A change to a repository's .iam-policy.json applies to every open document at once.
  connection.onDidChangeWatchedFiles(() => {
    repositoryConfigs.clear();
    reportedConfigErrors.clear();
    for (const document of documents.all()) void validate(document);
  });

  connection.onDidChangeConfiguration((change) => {
    if (!hasConfigurationCapability) {
      const settings = (change.settings as { iamPolicy?: unknown } | null)?.iamPolicy;
      globalSettings = takeSettings(settings);
    }
    settingsByUri.clear();
    settingsPending.clear();
    lastSettings = undefined;
    for (const document of documents.all()) void validate(document);
  });

  documents.onDidChangeContent((event) => void validate(event.document));

  // Whether the catalog is ready and every service the open documents name is loaded: the
  // diagnostics published are then final for the current text (tests and clients use it).
  connection.onRequest(STATUS_REQUEST, (): ServerStatus => ({
    catalog: catalogState,
    catalogVersion: catalog?.version,
    documentsWaitingForServices: new Set([...waitingForServices, ...checking]).size,
  }));

  documents.onDidClose((event) => {
    const uri = event.document.uri;
    states.delete(uri);
    pendingChanges.delete(uri);
    settingsByUri.delete(uri);
    parser.forget(uri);
    characters.forget(uri);
    connection.sendDiagnostics({ uri, diagnostics: [] });
  });

  connection.onCodeAction((params) => {
    try {
      const document = documents.get(params.textDocument.uri);
      if (document === undefined) return [];
      const state = currentState(document);
      if (state === undefined || !state.analysis.isPolicy) return [];
      return codeActions(params, {
        document,
        analysis: state.analysis,
        findings: state.findings.filter((item) => item.code !== 'too-many-problems'),
        filePath: filePathOf(document.uri),
        canRenameFiles,
        docsUrl,
        catalog,
        fixable: enabledCodes(state.rules),
      });
    } catch (error) {
      logInternalError('in code actions', error);
      return [];
    }
  });

  /** The current analysis of a policy document with the services at `offset` loaded. */
  async function readyAt(uri: string, offset: number): Promise<{ document: TextDocument; state: DocumentState } | undefined> {
    const document = documents.get(uri);
    if (document === undefined) return undefined;
    const state = currentState(document);
    if (state === undefined || !state.analysis.isPolicy) return undefined;
    // Completion and hover are asked for: they may wait the few milliseconds the catalog needs.
    await catalogLoading.catch(() => undefined);
    if (catalog !== undefined) await catalog.load(servicesAt(document.getText(), state.analysis.parsed, offset));
    const latest = documents.get(uri);
    if (latest === undefined || latest.version !== document.version) return undefined;
    return { document, state: currentState(document) ?? state };
  }

  connection.onCompletion(async (params) => {
    try {
      const document = documents.get(params.textDocument.uri);
      if (document === undefined) return null;
      const ready = await readyAt(params.textDocument.uri, offsetOf(document, params.position));
      if (ready === undefined) return null;
      const offset = offsetOf(ready.document, params.position);
      const result = complete(ready.document.getText(), ready.state.analysis.parsed, offset, catalog);
      return toCompletionList(ready.document, result, snippetSupport);
    } catch (error) {
      logInternalError('in completion', error);
      return null;
    }
  });

  connection.onHover(async (params) => {
    try {
      const document = documents.get(params.textDocument.uri);
      if (document === undefined) return null;
      const ready = await readyAt(params.textDocument.uri, offsetOf(document, params.position));
      if (ready === undefined) return null;
      const result = hover(ready.state.analysis.parsed, offsetOf(ready.document, params.position), catalog);
      return result === undefined ? null : toHover(ready.document, result);
    } catch (error) {
      logInternalError('in hover', error);
      return null;
    }
  });

  function sameSettings(a: ServerSettings, b: ServerSettings): boolean {
    return a.enable === b.enable && a.maxNumberOfProblems === b.maxNumberOfProblems && JSON.stringify(a.rules) === JSON.stringify(b.rules);
  }

  function takeSettings(raw: unknown): ServerSettings {
    const { settings, ignored } = readSettings(raw);
    for (const complaint of ignored) log(`Ignored setting: ${complaint}`);
    return settings;
  }

  function settingsFor(uri: string): ServerSettings | Promise<ServerSettings> {
    if (!hasConfigurationCapability) return globalSettings;
    const known = settingsByUri.get(uri);
    if (known !== undefined) return known;
    let pending = settingsPending.get(uri);
    if (pending === undefined) {
      pending = connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'iamPolicy' })
        .then((raw: unknown) => takeSettings(raw), () => globalSettings)
        .then((settings) => {
          if (settingsPending.get(uri) === pending) {
            settingsByUri.set(uri, settings);
            settingsPending.delete(uri);
            lastSettings = settings;
          }
          return settings;
        });
      settingsPending.set(uri, pending);
    }
    return pending;
  }

  /** The analysis of the document as it is now, computing it if an edit came since. */
  function currentState(document: TextDocument): DocumentState | undefined {
    const state = states.get(document.uri);
    if (state !== undefined && state.version === document.version) return state;
    const settings = settingsByUri.get(document.uri) ?? globalSettings;
    return run(document, settings);
  }

  async function validate(document: TextDocument): Promise<void> {
    const uri = document.uri;
    const known = hasConfigurationCapability ? settingsByUri.get(uri) : globalSettings;
    if (known !== undefined) {
      publish(document, known);
      return;
    }
    if (lastSettings !== undefined) {
      // Don't make the first diagnostics wait for a round trip to the client: check now with
      // the settings other documents got (almost always the same), ask for this document's
      // after publishing, and check again only if they turn out different.
      const used = lastSettings;
      publish(document, used);
      checking.add(uri);
      void Promise.resolve(settingsFor(uri))
        .then((actual) => {
          const latest = documents.get(uri);
          if (latest !== undefined && latest.version === document.version && !sameSettings(used, actual)) publish(latest, actual);
        })
        .finally(() => checking.delete(uri));
      return;
    }
    checking.add(uri);
    let settings: ServerSettings;
    try {
      settings = await settingsFor(uri);
    } finally {
      checking.delete(uri);
    }
    // A newer version may have been validated while the settings were on their way.
    const latest = documents.get(uri);
    if (latest === undefined || latest.version !== document.version) return;
    publish(document, settings);
  }

  function publish(document: TextDocument, settings: ServerSettings): void {
    const state = run(document, settings);
    if (state === undefined) return;
    if (!state.analysis.isPolicy || !settings.enable) {
      if (state.published) {
        state.published = false;
        connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
      }
      return;
    }
    // A document's first diagnostics: its line starts are not known yet, and a LineMap finds
    // them several times faster than the document would; the document learns its own a
    // moment later, ready for the first keystroke.
    const firstTime = !state.published && state.findings.length > 0;
    const positions = firstTime ? new LineMap(document.getText()) : document;
    state.published = true;
    connection.sendDiagnostics({
      uri: document.uri,
      version: document.version,
      diagnostics: state.findings.map((item) => toDiagnostic(document, item, docsUrl, positions)),
    });
    if (firstTime) {
      // A moment later, if the document is still open (not during a burst of opens).
      setTimeout(() => {
        if (documents.get(document.uri) === document) document.positionAt(0);
      }, 200).unref();
    }
  }

  function run(document: TextDocument, settings: ServerSettings): DocumentState | undefined {
    const uri = document.uri;
    const text = document.getText();
    const changes = pendingChanges.get(uri) ?? 'full';
    pendingChanges.set(uri, []);
    const previous = states.get(uri);
    try {
      // A JSON file that is not a policy: skip parsing big ones that cannot be a policy.
      if (needsStatementKey(document.languageId) && text.indexOf('"Statement"') < 0) {
        parser.forget(uri);
        characters.forget(uri);
        const analysis = analyze('', { languageId: document.languageId, parsed: { root: undefined, problems: [], depth: 0 } });
        return store(uri, { version: document.version, analysis, findings: [], published: previous?.published ?? false, rules: settings });
      }
      const parsed = parser.parse(uri, text, changes);
      const analysis = analyze(text, {
        languageId: document.languageId,
        fileName: filePathOf(uri),
        parsed,
        characters: characters.scan(uri, text, changes),
        catalog,
      });
      if (catalog !== undefined && analysis.missingServices.size > 0 && !waitingForServices.has(uri)) {
        waitingForServices.add(uri);
        const services = [...analysis.missingServices];
        void catalog.load(services).then((loadedAny) => {
          waitingForServices.delete(uri);
          for (const service of services) {
            const reason = catalog?.failed.get(service);
            if (reason !== undefined) log(`The catalog data of ${service} could not be read: ${reason}`);
          }
          const latest = documents.get(uri);
          if (loadedAny && latest !== undefined) void validate(latest);
        });
      }
      const rules = withRepositoryConfig(uri, settings);
      const findings = applyRuleSettings(analysis.findings, rules);
      return store(uri, { version: document.version, analysis, findings, published: previous?.published ?? false, rules });
    } catch (error) {
      // A bug in a check must not take the server down: log it (never the text) and move on.
      parser.forget(uri);
      characters.forget(uri);
      logInternalError(`while checking ${uri}`, error);
      return undefined;
    }
  }

  documents.listen(connection);
  connection.listen();

  function filePathOf(uri: string): string | undefined {
    if (uri.startsWith('file:')) {
      try {
        return fileURLToPath(uri);
      } catch {
        return undefined;
      }
    }
    // untitled:Untitled-1 and the like: the last path segment is still the name shown.
    return undefined;
  }

  /**
   * The rule settings for a document: the nearest .iam-policy.json (what the repository and
   * its CI linter say), with the editor's own rule overrides on top. A cap on problems set in
   * the file wins over the editor's default.
   */
  function withRepositoryConfig(uri: string, settings: ServerSettings): ServerSettings {
    const filePath = filePathOf(uri);
    if (filePath === undefined) return settings;
    const loaded = repositoryConfigs.forFile(filePath);
    if (loaded.file === undefined) return settings;
    if (loaded.errors.length > 0 && !reportedConfigErrors.has(loaded.file)) {
      reportedConfigErrors.add(loaded.file);
      for (const error of loaded.errors) log(error);
      void connection.window.showWarningMessage(`${loaded.errors[0]}${loaded.errors.length > 1 ? ` (and ${loaded.errors.length - 1} more problems)` : ''} The valid parts of the file still apply.`);
    }
    return {
      ...settings,
      rules: { ...loaded.config.rules, ...settings.rules },
      maxNumberOfProblems: loaded.config.maxNumberOfProblems ?? settings.maxNumberOfProblems,
    };
  }

  function store(uri: string, state: DocumentState): DocumentState {
    states.set(uri, state);
    return state;
  }

  /** The README next to the bundle (vsce stores it as readme.md), linked from each code. */
  function readmeUrl(): string | undefined {
    const folder = path.resolve(__dirname, '..', '..');
    const name = ['README.md', 'readme.md'].find((candidate) => fs.existsSync(path.join(folder, candidate)));
    return name === undefined ? undefined : pathToFileURL(path.join(folder, name)).toString();
  }
}
