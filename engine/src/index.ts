/**
 * The engine's public face: what the language server, the command-line linter and the VS Code
 * client use. It checks IAM policy documents (text in, findings out), mends them, and helps
 * while editing; it has no LSP, VS Code or Node I/O (an ESLint rule keeps it so), so the
 * service catalog's data comes from the caller (CatalogSource).
 *
 * Tests may reach the modules behind it by name (`iam-policy-engine/json`); other code
 * imports from here.
 */
export { analyze, analyzeFully, analyzeHardRules, needsStatementKey, StatementCache, type Analysis, type AnalyzeOptions } from './analyze';
export { complete, documentationOf, hover, servicesAt, type Completion, type CompletionKind, type CompletionResult, type HoverResult } from './assist';
export { Catalog, type CatalogSource, type RawAction, type RawConditionKey, type RawResourceType, type RawService } from './catalog';
export { encodeService, indexSource, CATALOG_INDEX_FORMAT, type CatalogIndexHeader, type CompactService } from './catalogIndex';
export { applyEdits, type Fix, type TextEdit } from './edits';
export {
  compareFindings,
  SEVERITY_RANK,
  type Code,
  type Finding,
  type FindingData,
  type RelatedPlace,
  type RuleOverride,
  type RuleSettings,
  type Severity,
  type SeveritySetting,
} from './findings';
export { fixAll, fixesFor } from './fixes';
export {
  inferKind,
  isPolicyKind,
  kindFromFileName,
  kindInfo,
  KINDS,
  POLICY_KINDS,
  type KindFamily,
  type KindInfo,
  type KindSource,
  type PolicyKind,
} from './kinds';
export { IncrementalCharacters, IncrementalParser, type TextChange } from './incremental';
export { minify, parseJson, type Node, type ParsedJson } from './json';
export * from './limits';
export { LineMap } from './lines';
export { hasStatementKey, sidLookup, viewPolicy, type PolicyView } from './model';
export { checkName, checkPolicyName, describeCharacter, policyNameFromFileName } from './names';
export { applyRuleSettings, CODES, docsAnchor, enabledCodes, isCode, ruleFinding, RULES, type Family, type Rule } from './rules';
export { closest } from './similar';
export * from './protocol';
export { type NeverGrant } from './checks/neverGrant';
export { simulate, type Decision, type SimulateOptions, type SimulationRequest, type SimulationResult, type StatementVerdict } from './evaluate';
export {
  ACCESS_LEVELS,
  accessLevelOf,
  describeScope,
  expandStatements,
  GrantCache,
  grantsOf,
  meaningOf,
  policyGrants,
  policyGrantsFully,
  statementHeadline,
  type AccessLevel,
  type ActionGrant,
  type Denial,
  type PolicyGrants,
  type ResourceScope,
  type StatementGrant,
} from './grants';
export {
  changeAccepted,
  describeChange,
  describeGroup,
  diffGrants,
  diffHeadline,
  diffSentence,
  groupChanges,
  type GrantChange,
  type GrantsDiff,
  type GroupedChange,
} from './grantsDiff';
export { summarize, type ActionRow, type PolicySummary, type ServiceDetail, type ServiceRow, type SummaryOptions, type SummaryStatement } from './summary';
export { analyzeTemplateDocument, analyzeTemplateFully, mayBeTemplate } from './cfn/document';
export { looksLikeTemplate, templateFormatOf } from './cfn/template';
export { completionInTemplate, templateCompletionSpotAt, templateSpotAt, type TemplateSpot } from './cfn/assist';
export { TemplateCache, type PieceResult, type PlacedPiece, type TemplateAnalysis, type TemplatePolicy } from './cfn/analyzeTemplate';
