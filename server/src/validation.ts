/**
 * The one place that decides what is checked and when, and publishes the result: a document
 * is checked on every change (no debounce: the engine is built for it), again when its
 * settings arrive or differ from the guess it was checked with, when a service it names has
 * loaded, and all documents when the settings or a repository configuration file change. (The
 * service catalog is there before any check that needs it: see CatalogService.)
 */
import type { Connection } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CatalogService } from './catalogService';
import { filePathOf, type Configuration } from './configuration';
import type { DocumentState, DocumentStore } from './documents';
import { toDiagnostic } from './features/diagnostics';
import { logInternalError, type Log } from './features/guard';
import { analyze, analyzeHardRules, kindFromFileName, needsStatementKey, sidLookup, type AnalyzeOptions } from 'iam-policy-engine';
import { analyzeTemplateDocument, looksLikeTemplate, mayBeTemplate, templateFormatOf, type TextChange } from 'iam-policy-engine';
import { LineMap } from 'iam-policy-engine';
import { applyRuleSettings } from 'iam-policy-engine';
import type { ServerStatus } from 'iam-policy-engine';
import { sameSettings, type ServerSettings } from './settings';

/** From this length on, a document's first diagnostics are its hard rules' alone (a few milliseconds of checks saved). */
const HARD_RULES_FIRST_FROM = 16_384;

export class Validator {
  /** Documents waiting for services to load, so each load triggers one new check. */
  private readonly waitingForServices = new Set<string>();
  /** Documents whose check waits for their settings: their diagnostics are not final yet. */
  private readonly waitingForSettings = new Set<string>();
  /** Large documents just opened, shown with the hard rules alone: the other checks come next. */
  private readonly waitingForChecks = new Set<string>();
  /** Where each code is documented, linked from diagnostics. */
  docsUrl: string | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly store: DocumentStore,
    private readonly configuration: Configuration,
    private readonly catalog: CatalogService,
    private readonly log: Log,
  ) {}

  status(): ServerStatus {
    // Read first: asking for the catalog reads it if it was not yet.
    const catalogVersion = this.catalog.catalog?.version;
    return {
      catalog: this.catalog.state,
      catalogVersion,
      documentsWaitingForServices: new Set([...this.waitingForServices, ...this.waitingForSettings, ...this.waitingForChecks]).size,
    };
  }

  validateAll(): void {
    for (const document of this.store.all()) void this.validate(document);
  }

  /** Checks a document and publishes its diagnostics, with its settings when known. */
  async validate(document: TextDocument): Promise<void> {
    const uri = document.uri;
    // Its first diagnostics (the hard rules) are being written out: the check that follows
    // them takes the text and settings as they are then. Checking now would hold them back.
    if (this.waitingForChecks.has(uri)) return;
    const known = this.configuration.known(document);
    if (known !== undefined) {
      this.publish(document, known);
      return;
    }
    const guess = this.configuration.guess();
    if (guess !== undefined) {
      // Don't make the first diagnostics wait for a round trip to the client: check now with
      // the settings other documents got (almost always the same), ask for this document's
      // after publishing, and check again only if they turn out different.
      this.publish(document, guess);
      this.waitingForSettings.add(uri);
      void this.configuration
        .request(document)
        .then((actual) => {
          const latest = this.store.get(uri);
          if (latest !== undefined && latest.version === document.version && !sameSettings(guess, actual)) this.publish(latest, actual);
        })
        .finally(() => this.waitingForSettings.delete(uri));
      return;
    }
    this.waitingForSettings.add(uri);
    let settings: ServerSettings;
    try {
      settings = await this.configuration.request(document);
    } finally {
      this.waitingForSettings.delete(uri);
    }
    // A newer version may have been validated while the settings were on their way.
    const latest = this.store.get(uri);
    if (latest === undefined || latest.version !== document.version) return;
    // Or another call (a service's loading, say) published its hard rules first meanwhile.
    if (this.waitingForChecks.has(uri)) return;
    this.publish(document, settings);
  }

  /** The check of the document as it is now, made if an edit came since (for code actions, completion, hover). */
  current(document: TextDocument): DocumentState | undefined {
    const state = this.store.state(document.uri);
    if (state !== undefined && state.version === document.version) return state;
    return this.check(document, this.configuration.current(document));
  }

  private publish(document: TextDocument, settings: ServerSettings): void {
    const uri = document.uri;
    if (!this.store.isPublished(uri) && this.publishHardRulesFirst(document, settings)) return;
    const state = this.check(document, settings);
    if (state === undefined) return;
    const wasPublished = this.store.isPublished(uri);
    if (!state.analysis.isPolicy || !settings.enable) {
      if (wasPublished) {
        this.store.setPublished(uri, false);
        void this.connection.sendDiagnostics({ uri, diagnostics: [] });
      }
      return;
    }
    // A document's first diagnostics: its line starts are not known yet, and a LineMap finds
    // them several times faster than the document would; the document learns its own a
    // moment later, ready for the first keystroke.
    const firstTime = (!wasPublished || this.waitingForChecks.delete(uri)) && state.findings.length > 0;
    const positions = firstTime ? new LineMap(document.getText()) : document;
    this.store.setPublished(uri, true);
    void this.connection.sendDiagnostics({
      uri,
      version: document.version,
      diagnostics: state.findings.map((item) => toDiagnostic(document, item, this.docsUrl, positions)),
    });
    if (firstTime) {
      // A moment later, if the document is still open (not during a burst of opens).
      setTimeout(() => {
        if (this.store.get(uri) === document) document.positionAt(0);
      }, 200).unref();
    }
  }

  /**
   * A large policy just opened: its hard rules (IAM's characters, size, the JSON) are published
   * at once, and every other check a moment later (after the publish is on its way), so the
   * first diagnostics never wait for the checks of statements, ARNs and conditions. A keystroke
   * needs none of this: the statement cache makes its check cheap. False when the document is
   * not one for this (small, a template, no policy, checks off): it is checked as usual.
   */
  private publishHardRulesFirst(document: TextDocument, settings: ServerSettings): boolean {
    const uri = document.uri;
    if (!settings.enable || document.getText().length < HARD_RULES_FIRST_FROM) return false;
    const fileName = filePathOf(uri) ?? uri;
    if (mayBeTemplate(fileName, document.languageId)) return false;
    const text = document.getText();
    let hard: ReturnType<typeof analyzeHardRules>;
    try {
      // Parsed and scanned by the document's incremental state: the full check that follows
      // finds both done for this text.
      const engine = this.store.engine(uri);
      const changes = this.store.takeChanges(uri);
      const parsed = engine.parser.parse(uri, text, changes);
      const characters = engine.characters.scan(uri, text, changes);
      hard = analyzeHardRules(text, { languageId: document.languageId, parsed, characters });
    } catch (error) {
      this.store.resetEngine(uri);
      logInternalError(this.log, `while checking ${uri}`, error);
      return false;
    }
    if (hard === undefined) return false;
    const rules = this.configuration.withRepository(uri, settings);
    const findings = applyRuleSettings(hard.findings, rules, undefined, sidLookup(hard.policy));
    // Line starts only when there is something to place (a valid policy has nothing here).
    const positions = findings.length > 0 ? new LineMap(text) : document;
    this.store.setPublished(uri, true);
    this.waitingForChecks.add(uri);
    const rest = (): void => {
      // Not when it was published in full meanwhile (its settings changed), or it was closed.
      if (!this.waitingForChecks.has(uri)) return;
      // The latest version: edits and loaded services meanwhile waited for this check.
      const latest = this.store.get(uri);
      if (latest !== undefined) this.publish(latest, this.configuration.known(latest) ?? settings);
      this.waitingForChecks.delete(uri);
    };
    // The other checks start once the publish is written out, not on the next turn of the loop:
    // a first check, before the code is warm, takes 100 ms, and the publish must not wait for
    // it (on transports that write a message in more than one step, or behind other work).
    this.connection
      .sendDiagnostics({
        uri,
        version: document.version,
        diagnostics: findings.map((item) => toDiagnostic(document, item, this.docsUrl, positions)),
      })
      .then(
        () => setImmediate(rest),
        () => setImmediate(rest),
      );
    return true;
  }

  /**
   * The kind the user named for a document: picked in the editor, else the file's suffix (the
   * engine reads it from the name), else the repository's configuration. Nothing: inferred.
   */
  private namedKind(uri: string, fileName: string | undefined): Pick<AnalyzeOptions, 'kind' | 'kindSource'> {
    const chosen = this.store.chosenKind(uri);
    if (chosen !== undefined) return { kind: chosen, kindSource: 'editor' };
    if (fileName !== undefined && kindFromFileName(fileName) !== undefined) return {};
    const configured = this.configuration.repositoryKind(uri);
    return configured === undefined ? {} : { kind: configured, kindSource: 'configuration' };
  }

  /**
   * A CloudFormation template's check, or undefined when the document is not one. YAML that
   * is not a template is no policy either: it is kept as such, unchecked.
   */
  private checkTemplate(document: TextDocument, text: string, changes: readonly TextChange[] | 'full', settings: ServerSettings): DocumentState | undefined {
    const uri = document.uri;
    const fileName = filePathOf(uri) ?? uri;
    if (!mayBeTemplate(fileName, document.languageId)) return undefined;
    if (!looksLikeTemplate(text)) return this.notTemplate(document, fileName, settings);
    const engine = this.store.engine(uri);
    // A JSON template is parsed by the incremental parser, as a policy is (it sees every edit,
    // so it stays right if the document stops being a template); YAML by resources.
    const json = templateFormatOf(text, fileName, document.languageId) === 'json';
    const parsed = json ? engine.parser.parse(uri, text, changes) : undefined;
    const analysis = analyzeTemplateDocument(text, {
      fileName,
      languageId: document.languageId,
      catalog: this.catalog.catalog,
      cache: engine.templates,
      ...(parsed !== undefined ? { parsed } : {}),
    });
    if (analysis === undefined) {
      // The policy check parses afresh: the parser has seen these changes already.
      engine.parser.forget(uri);
      return this.notTemplate(document, fileName, settings);
    }
    // The policy path's other incremental state no longer follows the text: it starts afresh
    // if the document stops being a template.
    if (!json) engine.parser.forget(uri);
    engine.characters.forget(uri);
    this.loadServices(uri, analysis.missingServices);
    const rules = this.configuration.withRepository(uri, settings);
    const findings = applyRuleSettings(analysis.findings, rules);
    return this.store.setState(uri, { version: document.version, analysis, findings, rules });
  }

  /** A YAML (or *.template) document that is not a template: no policy, unchecked. Others go on to the policy check. */
  private notTemplate(document: TextDocument, fileName: string, settings: ServerSettings): DocumentState | undefined {
    if (document.languageId !== 'yaml' && !/\.(ya?ml|template)$/i.test(fileName)) return undefined;
    const nothing = analyze('', { languageId: 'json', parsed: { root: undefined, problems: [], depth: 0 } });
    return this.store.setState(document.uri, { version: document.version, analysis: nothing, findings: [], rules: settings });
  }

  /** Loads the services a check met that the catalog had not, and checks the document again once they are there. */
  private loadServices(uri: string, missing: ReadonlySet<string>): void {
    const catalog = this.catalog.catalog;
    if (catalog === undefined || missing.size === 0 || this.waitingForServices.has(uri)) return;
    this.waitingForServices.add(uri);
    const services = [...missing];
    void this.catalog.load(services).then((loadedAny) => {
      this.waitingForServices.delete(uri);
      for (const service of services) {
        const reason = catalog.failed.get(service);
        if (reason !== undefined) this.log(`The catalog data of ${service} could not be read: ${reason}`);
      }
      const latest = this.store.get(uri);
      if (loadedAny && latest !== undefined) void this.validate(latest);
    });
  }

  /** Runs the engine on the document's current text with these settings, and keeps the result. */
  private check(document: TextDocument, settings: ServerSettings): DocumentState | undefined {
    const uri = document.uri;
    const text = document.getText();
    const changes = this.store.takeChanges(uri);
    try {
      // A CloudFormation template (YAML or JSON): its policies, each checked as its kind.
      const template = this.checkTemplate(document, text, changes, settings);
      if (template !== undefined) return template;
      // A JSON file that is not a policy: skip parsing big ones that cannot be a policy.
      if (needsStatementKey(document.languageId) && text.indexOf('"Statement"') < 0) {
        this.store.resetEngine(uri);
        const analysis = analyze('', { languageId: document.languageId, parsed: { root: undefined, problems: [], depth: 0 } });
        return this.store.setState(uri, { version: document.version, analysis, findings: [], rules: settings });
      }
      const engine = this.store.engine(uri);
      const catalog = this.catalog.catalog;
      const fileName = filePathOf(uri);
      const neverGrant = this.configuration.repositoryNeverGrant(uri);
      const analysis = analyze(text, {
        ...this.namedKind(uri, fileName),
        ...(neverGrant !== undefined ? { neverGrant } : {}),
        languageId: document.languageId,
        fileName,
        parsed: engine.parser.parse(uri, text, changes),
        characters: engine.characters.scan(uri, text, changes),
        catalog,
        statementCache: engine.statements,
      });
      this.loadServices(uri, analysis.missingServices);
      const rules = this.configuration.withRepository(uri, settings);
      const findings = applyRuleSettings(analysis.findings, rules, undefined, sidLookup(analysis.policy));
      return this.store.setState(uri, { version: document.version, analysis, findings, rules });
    } catch (error) {
      // A bug in a check must not take the server down: log it (never the text) and move on.
      this.store.resetEngine(uri);
      logInternalError(this.log, `while checking ${uri}`, error);
      return undefined;
    }
  }
}
