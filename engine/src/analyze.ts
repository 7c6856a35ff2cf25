/**
 * The engine's entry point: text in, findings out. No LSP or VS Code here, so the language
 * server, the client's preflight before a push and the command-line linter share it.
 */
import type { Catalog } from './catalog';
import { checkActions } from './checks/actions';
import { checkCharacters } from './checks/characters';
import { checkConditions } from './checks/conditions';
import { checkElements, checkStatementElements } from './checks/elements';
import { inferKind, kindFromFileName, type KindSource, type PolicyKind } from './kinds';
import { checkJson } from './checks/json';
import { checkResources } from './checks/resources';
import { checkSecurity } from './checks/security';
import { checkArnEntityNames, checkFileName, checkSids } from './checks/names';
import { checkKind } from './checks/kinds';
import { checkNeverGrant, type NeverGrant } from './checks/neverGrant';
import { checkPrincipals } from './checks/principals';
import { checkRedundantStatements, statementFingerprint, type StatementPrint } from './checks/redundancy';
import { checkQuota } from './checks/quota';
import { checkSize } from './checks/size';
import { checkVariablesOutside } from './checks/variables';
import { compareFindings, shiftedCopy, shiftReport, type Finding, type Report } from './findings';
import { withSeverity } from './rules';
import { parseJson, type ParsedJson } from './json';
import { findProperty, hasStatementKey, propertyValue, viewPolicy, type PolicyView } from './model';
import { statementInfo } from './statements';
import { RecencyClock } from './recency';
import { detached } from './strings';
import type { Node } from './json';
import type { TemplateAnalysis } from './cfn/analyzeTemplate';

export interface AnalyzeOptions {
  /** The file's name or path; its base name is checked as the policy name it offers. */
  fileName?: string;
  /**
   * The editor's language id. `json` and `jsonc` documents are policies only when their
   * top-level object has a `Statement` key; anything else is taken as a policy.
   */
  languageId?: string;
  /** A parse of this same text, when the caller already has one. */
  parsed?: ParsedJson;
  /** The disallowed-character findings of this same text, when the caller already has them. */
  characters?: Report[];
  /**
   * The service catalog, for the checks of actions, resources and condition keys. Without it
   * (or for services it has not loaded yet) those checks are skipped.
   */
  catalog?: Catalog;
  /** What this document's statements gave before (see StatementCache); none: all are checked, and nothing is kept. */
  statementCache?: StatementCache;
  /**
   * Check the document as this kind of policy instead of telling from its content: the push
   * commands send inline policies, which are identity policies whatever the text says.
   */
  kind?: PolicyKind;
  /** Where `kind` comes from, when given (the repository configuration, the editor): said back in `kindSource`. */
  kindSource?: KindSource;
  /** What the repository's configuration says must never be granted (`forbidden-grant`). */
  neverGrant?: readonly NeverGrant[];
}

export interface Analysis {
  /** False for a JSON file that is not a policy: it gets no findings. */
  isPolicy: boolean;
  parsed: ParsedJson;
  policy: PolicyView | undefined;
  /** Sorted by place. */
  findings: Finding[];
  /** The kind it was checked as: identity, trust, resource-based (of a service), SCP, RCP. */
  kind: PolicyKind;
  /** How that kind was decided. */
  kindSource: KindSource;
  /** Services the document names that the catalog has not loaded: load them and analyze again. */
  missingServices: Set<string>;
  /** For a CloudFormation template: its policies, each checked as its kind (see ./cfn). */
  template?: TemplateAnalysis;
}

const GENERIC_JSON = new Set(['json', 'jsonc']);

/** Whether a document of this language is checked only when it looks like a policy. */
export function needsStatementKey(languageId: string | undefined): boolean {
  return languageId !== undefined && GENERIC_JSON.has(languageId);
}

export function analyze(text: string, options: AnalyzeOptions = {}): Analysis {
  const parsed = options.parsed ?? parseJson(text);
  if (needsStatementKey(options.languageId) && !hasStatementKey(parsed.root)) {
    return { isPolicy: false, parsed, policy: undefined, findings: [], kind: 'identity', kindSource: 'inferred', missingServices: new Set() };
  }
  const policy = viewPolicy(parsed.root);
  const findings: Finding[] = [];
  const add = (reports: readonly Report[]): void => {
    for (const report of reports) findings.push(withSeverity(report));
  };
  addHardRules(add, text, parsed, options.characters);
  add(checkFileName(text, options.fileName));
  const named = options.kind ?? (options.fileName === undefined ? undefined : kindFromFileName(options.fileName));
  const kind = named ?? inferKind(policy);
  const kindSource: KindSource = options.kind !== undefined ? (options.kindSource ?? 'caller') : named !== undefined ? 'file name' : 'inferred';
  const missingServices = new Set<string>();
  add(checkElements(parsed.root, text));
  add(checkQuota(text, parsed, kind));
  if (policy !== undefined) {
    add(checkSids(text, policy, kind));
    const version = propertyValue(findProperty(policy.root, 'Version'))?.value;
    options.statementCache?.startCheck();
    const context: StatementContext = {
      cache: options.statementCache,
      text,
      policy,
      kind,
      languageVersion: typeof version === 'string' ? version : undefined,
      catalog: options.catalog,
    };
    const prints: StatementPrint[] = [];
    for (const statement of policy.statements) {
      for (const item of statementFindings(statement, context, missingServices, prints)) findings.push(item);
    }
    add(checkRedundantStatements(text, policy.statements, prints));
    // Across statements (a Deny elsewhere may take the grant away), and cheap: not cached.
    if (options.neverGrant !== undefined && options.neverGrant.length > 0) {
      const infos = policy.statements.map((statement) => statementInfo(statement, undefined, new Set()));
      add(checkNeverGrant(infos, options.neverGrant, options.catalog, kind, missingServices));
    }
  }
  findings.sort(compareFindings);
  return { isPolicy: true, parsed, policy, findings, kind, kindSource, missingServices };
}

/** The hard rules (IAM's characters, its size limit, the JSON), the first of every analysis. */
function addHardRules(add: (reports: readonly Report[]) => void, text: string, parsed: ParsedJson, characters: readonly Report[] | undefined): void {
  add(characters ?? checkCharacters(text));
  add(checkSize(text, parsed));
  if (!/^[ \t\n\r]*$/.test(text)) add(checkJson(parsed));
}

/**
 * The hard rules' findings alone, exactly as `analyze` gives them, with the policy's view (for
 * Sid overrides); undefined for a JSON document that is no policy. For a server that shows
 * them at once on opening a large document and the rest of the checks a moment later.
 */
export function analyzeHardRules(
  text: string,
  options: Pick<AnalyzeOptions, 'languageId' | 'parsed' | 'characters'> = {},
): { findings: Finding[]; policy: PolicyView | undefined } | undefined {
  const parsed = options.parsed ?? parseJson(text);
  if (needsStatementKey(options.languageId) && !hasStatementKey(parsed.root)) return undefined;
  const findings: Finding[] = [];
  addHardRules(
    (reports) => {
      for (const report of reports) findings.push(withSeverity(report));
    },
    text,
    parsed,
    options.characters,
  );
  findings.sort(compareFindings);
  return { findings, policy: viewPolicy(parsed.root) };
}

/**
 * Analyzes with every service the document names loaded first: for callers that can wait
 * (the command-line linter, the push preflight, tests).
 */
export async function analyzeFully(text: string, options: AnalyzeOptions & { catalog: Catalog }): Promise<Analysis> {
  let analysis = analyze(text, options);
  for (let round = 0; round < 3 && analysis.missingServices.size > 0; round++) {
    await options.catalog.load(analysis.missingServices);
    analysis = analyze(text, { ...options, parsed: analysis.parsed });
  }
  return analysis;
}

interface StatementContext {
  /** None when the caller keeps nothing between analyses (the linter checks each file once). */
  cache: StatementCache | undefined;
  text: string;
  policy: PolicyView;
  kind: PolicyKind;
  languageVersion: string | undefined;
  catalog: Catalog | undefined;
}

interface CachedStatement extends StatementPrint {
  /** Findings with offsets relative to the statement's start. */
  findings: Finding[];
  missing: string[];
  /** The check of the document (StatementCache.clock) that used it last. */
  used: number;
}

/**
 * The findings of one document's statements, remembered by their text and what else they
 * depend on (the kind of policy, its Version, the catalog's state). A keystroke changes one
 * statement; the others are not checked again, which keeps a 131,072-character policy within
 * a keystroke's budget. Offsets are stored relative to the statement, so statements that moved
 * still hit. The language server keeps one per open document (its DocumentStore); the
 * command-line linter one per run, as its fix passes check the same statements again.
 */
export class StatementCache {
  private catalog: Catalog | undefined;
  private readonly byContext = new Map<string, Map<string, CachedStatement>>();
  /** Statements the incremental parser kept, by node: found without reading their text. */
  byNode = new WeakMap<Node, { revision: number | undefined; contextKey: string; entry: CachedStatement }>();
  /** Ticks once per check of the document; CachedStatement.used notes the tick. */
  readonly clock = new RecencyClock();

  /**
   * A check of the document begins; now and then, the statements none of the recent checks used
   * are forgotten (recency.ts). Counting entries alone let a long session of typing into a large
   * statement keep every version, its size each time (a statement of 500 wildcard actions in the
   * largest policy: 127 KB a keystroke with its grants, 38 MB over 300 keystrokes).
   */
  startCheck(): void {
    if (!this.clock.tick()) return;
    for (const entries of this.byContext.values()) {
      for (const [text, entry] of entries) if (this.clock.stale(entry.used)) entries.delete(text);
    }
  }

  /** The remembered statements for a context; those of another catalog (none yet, say) are dropped. */
  entries(contextKey: string, catalog: Catalog | undefined): Map<string, CachedStatement> {
    if (catalog !== this.catalog) {
      this.catalog = catalog;
      this.byContext.clear();
      this.byNode = new WeakMap();
    }
    let entries = this.byContext.get(contextKey);
    if (entries === undefined) {
      if (this.byContext.size > 16) this.byContext.clear();
      entries = new Map();
      this.byContext.set(contextKey, entries);
    }
    return entries;
  }
}

/**
 * Statements remembered per context: more than any document has (131,072 characters hold about
 * 2,600 at most). Each version of an edited statement adds an entry, as large as the statement,
 * and those the recent checks did not use are forgotten (StatementCache.startCheck).
 */
const STATEMENT_CACHE_LIMIT = 5_000;

/** Every check of one statement, at its place in the text; the services it met still loading go into `found`. */
function checkStatement(statement: Node, context: StatementContext, found: Set<string>): Report[] {
  const { text, catalog } = context;
  const one: PolicyView = { ...context.policy, statements: [statement] };
  const info = statementInfo(statement, catalog, found);
  return [
    ...checkArnEntityNames(text, one),
    ...checkStatementElements(statement, context.kind, text),
    ...checkActions([info], catalog, found, text),
    ...checkResources(text, [info], catalog, found, context.languageVersion),
    ...checkConditions(text, [info], catalog, found, context.languageVersion),
    ...checkSecurity([info], catalog, context.kind),
    ...checkKind(info, context.kind, catalog),
    ...checkPrincipals(info, context.kind),
    ...checkVariablesOutside(text, statement),
  ];
}

function statementFindings(statement: Node, context: StatementContext, missing: Set<string>, prints: StatementPrint[]): Finding[] {
  const memory = context.cache;
  if (memory === undefined) {
    // Nothing is kept between analyses (the linter checks each file once): checked as it stands.
    const found = new Set<string>();
    const findings = checkStatement(statement, context, found).map(withSeverity);
    for (const service of found) missing.add(service);
    prints.push({ fingerprint: statementFingerprint(statement) });
    return findings;
  }
  const { text, catalog } = context;
  // By what the findings depend on besides the text, then by the statement's text (looked up
  // by a slice, hashed without copying the document; stored as a copy, below).
  // Loading services changes nothing for a statement that named only loaded ones: entries that
  // met a service still loading say so (missing), and are checked again once it is there.
  const contextKey = `${context.kind}|${context.languageVersion ?? ''}`;
  const statementCache = memory.entries(contextKey, catalog);
  const byNode = memory.byNode;
  // A statement the incremental parser kept, unchanged since last time: no need to even look
  // at its text.
  const kept = byNode.get(statement);
  let cached = kept !== undefined && kept.revision === statement.revision && kept.contextKey === contextKey ? kept.entry : undefined;
  if (cached !== undefined) cached.used = memory.clock.now;
  const source = cached === undefined ? text.slice(statement.offset, statement.offset + statement.length) : '';
  if (cached === undefined) {
    cached = statementCache.get(source);
    if (cached !== undefined) cached.used = memory.clock.now;
  }
  if (cached !== undefined && catalog !== undefined && cached.missing.some((service) => catalog.isLoaded(service))) cached = undefined;
  if (cached === undefined) {
    // Kept as a copy: the slice would keep this version of the whole document alive.
    const key = detached(source === '' ? text.slice(statement.offset, statement.offset + statement.length) : source);
    const found = new Set<string>();
    const absolute = checkStatement(statement, context, found);
    // Fresh objects: made relative in place.
    for (const item of absolute) shiftReport(item, -statement.offset);
    cached = { findings: absolute.map(withSeverity), missing: [...found], fingerprint: statementFingerprint(statement), used: memory.clock.now };
    if (statementCache.size >= STATEMENT_CACHE_LIMIT) statementCache.clear();
    statementCache.set(key, cached);
  }
  byNode.set(statement, { revision: statement.revision, contextKey, entry: cached });
  for (const service of cached.missing) missing.add(service);
  // What it says, for redundant statements (checks/redundancy.ts).
  prints.push(cached);
  return cached.findings.map((item) => shiftedCopy(item, statement.offset));
}
