/**
 * What a document is checked with: the editor's settings (asked through workspace/configuration,
 * or pushed by clients that cannot be asked) with the repository's nearest `.iam-policy.json`
 * under them. One cache of each, cleared when they change.
 *
 * The editor is asked once per directory and language, not once per document: what an editor
 * can set differs by workspace folder (VS Code's resource settings), by directory (Emacs's
 * directory-local variables, which eglot answers with) and by language, never between two
 * files of one directory and language. Opening the 1,594 managed policies of one folder made
 * 1,594 round trips to the editor (270 ms of 2.1 s through the server); now it makes one.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageType, ShowMessageNotification, type ClientCapabilities, type Connection } from 'vscode-languageserver';
import type { NeverGrant, PolicyKind } from 'iam-policy-engine';
import { ConfigCache, configuredKind, settingsForFile } from './config';
import { DEFAULT_SETTINGS, readSettings, type ServerSettings } from './settings';

export class Configuration {
  /** Whether the client answers workspace/configuration (per-document settings). */
  private canAsk = false;
  /** The settings of clients that cannot be asked: from initializationOptions or didChangeConfiguration. */
  private global: ServerSettings = { ...DEFAULT_SETTINGS, rules: {} };
  /** The client's answers, by scope (see scopeOf). */
  private readonly byScope = new Map<string, ServerSettings>();
  private readonly pending = new Map<string, Promise<ServerSettings>>();
  /** The settings the client gave last, for any document: the best guess for a new one. */
  private last: ServerSettings | undefined;
  /** The repository's .iam-policy.json files, shared with the command-line linter. */
  private readonly repository = new ConfigCache();
  private readonly reportedErrors = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly log: (message: string) => void,
  ) {}

  /** The workspace folders' paths (file: URIs only), where a new configuration file goes. */
  workspaceFolders: string[] = [];

  initialize(capabilities: ClientCapabilities, initializationOptions: unknown, folders: ReadonlyArray<{ uri: string }> = []): void {
    this.canAsk = capabilities.workspace?.configuration === true;
    this.workspaceFolders = folders.map((folder) => filePathOf(folder.uri)).filter((folder): folder is string => folder !== undefined);
    const initial = (initializationOptions as { settings?: unknown } | undefined)?.settings;
    if (initial !== undefined) this.global = this.take(initial);
  }

  get canAskClient(): boolean {
    return this.canAsk;
  }

  /** The client said its settings changed: forget every answer (and take the new ones if pushed). */
  changed(pushed: unknown): void {
    if (!this.canAsk) this.global = this.take((pushed as { iamPolicy?: unknown } | null)?.iamPolicy);
    this.byScope.clear();
    this.pending.clear();
    this.last = undefined;
  }

  /** A repository configuration file was created, changed or deleted. */
  repositoryChanged(): void {
    this.repository.clear();
    this.reportedErrors.clear();
  }

  /** The settings of a document if known now: without asking the client. */
  known(document: ScopedDocument): ServerSettings | undefined {
    return this.canAsk ? this.byScope.get(scopeOf(document)) : this.global;
  }

  /** The settings another document got last: a good guess while this one's are asked for. */
  guess(): ServerSettings | undefined {
    return this.last;
  }

  /** The settings to check with now, without waiting: known, or the defaults. */
  current(document: ScopedDocument): ServerSettings {
    return this.known(document) ?? this.global;
  }

  /** The settings of a document, asking the client once per scope when they are not known. */
  request(document: ScopedDocument): Promise<ServerSettings> {
    const known = this.known(document);
    if (known !== undefined) return Promise.resolve(known);
    const scope = scopeOf(document);
    let pending = this.pending.get(scope);
    if (pending === undefined) {
      const asked: Promise<ServerSettings> = this.connection.workspace
        .getConfiguration({ scopeUri: document.uri, section: 'iamPolicy' })
        .then(
          (raw: unknown) => this.take(raw),
          () => this.global,
        )
        .then((settings) => {
          // Not when the settings changed meanwhile: this answer is of before.
          if (this.pending.get(scope) === asked) {
            this.byScope.set(scope, settings);
            this.pending.delete(scope);
            this.last = settings;
          }
          return settings;
        });
      pending = asked;
      this.pending.set(scope, pending);
    }
    return pending;
  }

  /**
   * The rule settings for a document: the nearest .iam-policy.json (what the repository and
   * its CI linter say), with the editor's own rule overrides on top. A cap on problems set in
   * the file wins over the editor's default. Mistakes in the file are shown once.
   */
  withRepository(uri: string, settings: ServerSettings): ServerSettings {
    const filePath = filePathOf(uri);
    if (filePath === undefined) return settings;
    const loaded = this.repository.forFile(filePath);
    if (loaded.file === undefined) return settings;
    if (loaded.errors.length > 0 && !this.reportedErrors.has(loaded.file)) {
      this.reportedErrors.add(loaded.file);
      for (const error of loaded.errors) this.log(error);
      // A message without actions is the window/showMessage notification. (The library's
      // showWarningMessage sends window/showMessageRequest even then, and the error of a client
      // that does not take that request ended the server.)
      void this.connection.sendNotification(ShowMessageNotification.type, {
        type: MessageType.Warning,
        message: `${loaded.errors[0]}${loaded.errors.length > 1 ? ` (and ${loaded.errors.length - 1} more problems)` : ''} The valid parts of the file still apply.`,
      });
    }
    const repository = settingsForFile(loaded, filePath);
    return {
      ...settings,
      rules: { ...repository.rules, ...settings.rules },
      maxNumberOfProblems: repository.maxNumberOfProblems ?? settings.maxNumberOfProblems,
      ...(repository.overrides !== undefined ? { overrides: repository.overrides } : {}),
    };
  }

  /** The repository's configuration file that applies to a document, if any. */
  repositoryFile(uri: string): string | undefined {
    const filePath = filePathOf(uri);
    return filePath === undefined ? undefined : this.repository.forFile(filePath).file;
  }

  /** The kind the repository's configuration names for a document, if any. */
  repositoryKind(uri: string): PolicyKind | undefined {
    const filePath = filePathOf(uri);
    if (filePath === undefined) return undefined;
    const loaded = this.repository.forFile(filePath);
    return loaded.file === undefined ? undefined : configuredKind(loaded, filePath);
  }

  /** What the repository's configuration says no policy may grant, if anything. */
  repositoryNeverGrant(uri: string): NeverGrant[] | undefined {
    const filePath = filePathOf(uri);
    return filePath === undefined ? undefined : this.repository.forFile(filePath).config.neverGrant;
  }

  private take(raw: unknown): ServerSettings {
    const { settings, ignored } = readSettings(raw);
    for (const complaint of ignored) this.log(`Ignored setting: ${complaint}`);
    return settings;
  }
}

/** What settings are asked for by: the document's URI and its language. */
export interface ScopedDocument {
  readonly uri: string;
  readonly languageId: string;
}

/**
 * Where settings can differ: a file's directory and language; for other schemes (untitled:)
 * the document itself.
 */
function scopeOf(document: ScopedDocument): string {
  const filePath = filePathOf(document.uri);
  return filePath === undefined ? `${document.languageId} ${document.uri}` : `${document.languageId} ${path.dirname(filePath)}`;
}

/**
 * The file paths of the URIs asked for lately: a check asks five times for its document's
 * (its settings, the repository's file, kind and neverGrant, the file name), and
 * fileURLToPath took 15 microseconds of each document opened.
 */
const filePaths = new Map<string, string | undefined>();

/** The file path of a file: URI; undefined for untitled: and other schemes. */
export function filePathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  if (filePaths.has(uri)) return filePaths.get(uri);
  let filePath: string | undefined;
  try {
    filePath = fileURLToPath(uri);
  } catch {
    filePath = undefined;
  }
  if (filePaths.size >= 256) filePaths.clear();
  filePaths.set(uri, filePath);
  return filePath;
}
