/**
 * The engine's entry point: text in, findings out. No LSP or VS Code here, so the language
 * server, the client's preflight before a push and the command-line linter share it.
 */
import type { Catalog } from './catalog';
import { checkActions } from './checks/actions';
import { checkCharacters } from './checks/characters';
import { checkConditions } from './checks/conditions';
import { checkElements, policyKind, type PolicyKind } from './checks/elements';
import { checkJson } from './checks/json';
import { checkResources } from './checks/resources';
import { checkSecurity } from './checks/security';
import { checkArnEntityNames, checkFileName, checkSids } from './checks/names';
import { checkSize } from './checks/size';
import { compareFindings, type Finding } from './findings';
import { parseJson, type ParsedJson } from './json';
import { findProperty, hasStatementKey, propertyValue, viewPolicy, type PolicyView } from './model';
import { statementInfos } from './statements';

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
  characters?: Finding[];
  /**
   * The service catalog, for the checks of actions, resources and condition keys. Without it
   * (or for services it has not loaded yet) those checks are skipped.
   */
  catalog?: Catalog;
  /**
   * Check the document as this kind of policy instead of telling from its content: the push
   * commands send inline policies, which are identity policies whatever the text says.
   */
  kind?: PolicyKind;
}

export interface Analysis {
  /** False for a JSON file that is not a policy: it gets no findings. */
  isPolicy: boolean;
  parsed: ParsedJson;
  policy: PolicyView | undefined;
  /** Sorted by place. */
  findings: Finding[];
  /** Identity, resource-based or trust policy. */
  kind: PolicyKind;
  /** Services the document names that the catalog has not loaded: load them and analyze again. */
  missingServices: Set<string>;
}

const GENERIC_JSON = new Set(['json', 'jsonc']);

/** Whether a document of this language is checked only when it looks like a policy. */
export function needsStatementKey(languageId: string | undefined): boolean {
  return languageId !== undefined && GENERIC_JSON.has(languageId);
}

export function analyze(text: string, options: AnalyzeOptions = {}): Analysis {
  const parsed = options.parsed ?? parseJson(text);
  if (needsStatementKey(options.languageId) && !hasStatementKey(parsed.root)) {
    return { isPolicy: false, parsed, policy: undefined, findings: [], kind: 'identity', missingServices: new Set() };
  }
  const policy = viewPolicy(parsed.root);
  const findings: Finding[] = [
    ...(options.characters ?? checkCharacters(text)),
    ...checkSize(text, parsed),
    ...(/^[ \t\n\r]*$/.test(text) ? [] : checkJson(parsed)),
    ...checkFileName(text, options.fileName),
  ];
  const kind = options.kind ?? policyKind(policy);
  const missingServices = new Set<string>();
  if (policy !== undefined) {
    findings.push(...checkSids(text, policy), ...checkArnEntityNames(text, policy));
  }
  findings.push(...checkElements(policy, parsed.root, kind));
  if (policy !== undefined) {
    const version = propertyValue(findProperty(policy.root, 'Version'))?.value;
    const languageVersion = typeof version === 'string' ? version : undefined;
    const catalog = options.catalog;
    const infos = statementInfos(policy, catalog, missingServices);
    findings.push(
      ...checkActions(infos, catalog, missingServices),
      ...checkResources(text, infos, catalog, missingServices, languageVersion),
      ...checkConditions(text, infos, catalog, missingServices, languageVersion),
      ...checkSecurity(infos, catalog),
    );
  }
  findings.sort(compareFindings);
  return { isPolicy: true, parsed, policy, findings, kind, missingServices };
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
