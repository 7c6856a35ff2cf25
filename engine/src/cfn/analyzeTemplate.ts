/**
 * The policies of a CloudFormation template, checked by the same engine as a policy file: each
 * policy is resolved and rendered as the JSON CloudFormation sends (./render.ts), checked as
 * its kind (a role's trust policy as `trust`, a bucket policy as `s3-bucket`…), and its
 * findings are placed back on the template's text. The names the template gives IAM are
 * checked too, and so is `!Sub` text that CloudFormation would misread.
 *
 * The work is remembered per piece of the template (one resource; see ./template.ts) by its
 * text: a keystroke re-reads and re-checks one resource, and the others' findings only move.
 */
import { groupDigits } from '../numbers';
import { analyze, StatementCache, type Analysis } from '../analyze';
import { detached } from '../strings';
import type { Catalog } from '../catalog';
import { finding, shiftedCopy, type Finding, type Report } from '../findings';
import type { ParsedJson } from '../json';
import { KINDS, type KindInfo, type PolicyKind } from '../kinds';
import { NAME_CHARACTER, NAME_RULES, POLICY_DOCUMENT_MAX_LENGTH } from '../limits';
import { capitalize, checkName, describeCharacter } from '../names';
import { compareFindings } from '../findings';
import { withSeverity } from '../rules';
import { render, resolve, sourceRange, type RNode, type Rendering, type Resolution } from './render';
import { findDocuments, findNames, resourceType, RESOURCE_SPECS, type FoundName } from './resources';
import { jsonTemplate, yamlTemplate, templateFormatOf, type PieceContent, type TemplateFormat, type TemplatePiece, type TemplateShape } from './template';
import { findingsThatHold } from './unknowns';
import type { Span, TValue } from './values';

/** One rendering of a policy: the whole of it, or one side of its `Fn::If`s. */
export interface PolicyVariant {
  rendering: Rendering;
  /** The engine's analysis of the rendering. */
  analysis: Analysis;
}

/** A policy document of the template. Spans are relative to its piece. */
export interface TemplatePolicy {
  logicalId: string;
  resourceType: string;
  /** Where in the resource: `AssumeRolePolicyDocument`, `Policies[0]`. */
  where: string;
  kind: PolicyKind;
  /** The inline policy's name (PolicyName), when a literal. */
  policyName?: string;
  /** The entity the resource is (for an inline policy of a role, user or group). */
  entity?: 'user' | 'group' | 'role';
  /** Its key (`PolicyDocument:`) and its value. */
  keySpan: Span;
  valueSpan: Span;
  /**
   * The renderings checked: the first branch of every `Fn::If`, then (when there is one) the
   * second. Empty when the document itself is not an object (a `!Ref`, say): nothing to check.
   */
  variants: PolicyVariant[];
  /** How many values CloudFormation resolves only at deployment (in the first rendering). */
  unknownCount: number;
  /** Whether `Fn::If` chose it (a conditional list item): it may not exist. */
  conditional: boolean;
  /** Its place among its resource's documents (see findDocuments). */
  documentIndex: number;
}

/** Where a finding of the template came from, for its quick fixes. */
export interface FindingOrigin {
  policy: number;
  variant: number;
  /** The engine's finding, in the rendering. */
  finding: Finding;
}

export interface PieceResult {
  policies: TemplatePolicy[];
  /** Relative to the piece. */
  findings: Finding[];
  /** By `originKey` of a relative finding. */
  origins: Map<string, FindingOrigin>;
  /** Services the checks met that the catalog had not loaded. */
  missing: string[];
  /** The piece has syntax problems. */
  broken: boolean;
}

export interface PlacedPiece {
  offset: number;
  text: string;
  result: PieceResult;
  /** YAML: reads an edited text of the piece as the piece is read (see TemplatePiece). */
  reread?(text: string): PieceContent;
}

export interface TemplateAnalysis {
  format: TemplateFormat;
  pieces: PlacedPiece[];
  /** Every finding, placed in the template, sorted. */
  findings: Finding[];
  missingServices: Set<string>;
}

export function originKey(item: { code: string; offset: number; length: number; message: string }): string {
  return `${item.code}|${item.offset}|${item.length}|${item.message}`;
}

/**
 * What one template document's checks remember across its edits: each piece's result by its
 * text, and the engine's statement findings.
 */
export class TemplateCache {
  private catalog: Catalog | undefined;
  private readonly pieces = new Map<string, PieceResult>();
  readonly statements = new StatementCache();

  get(text: string, catalog: Catalog | undefined): PieceResult | undefined {
    if (catalog !== this.catalog) {
      this.catalog = catalog;
      this.pieces.clear();
      return undefined;
    }
    const result = this.pieces.get(text);
    if (result !== undefined && catalog !== undefined && result.missing.some((service) => catalog.isLoaded(service))) return undefined;
    return result;
  }

  set(text: string, result: PieceResult): void {
    // Four times the resources CloudFormation allows in a template (500); each edited resource's
    // version adds a result of about 30 KB (measured in a YAML template of 200 resources).
    if (this.pieces.size > 2_000) this.pieces.clear();
    // A copy: the piece's text is a slice that would keep this version of the template alive.
    this.pieces.set(detached(text), result);
  }
}

export interface TemplateOptions {
  fileName?: string;
  languageId?: string;
  catalog?: Catalog;
  cache?: TemplateCache;
  /** For a JSON template: a parse of this same text (the incremental parser's). */
  parsed?: ParsedJson;
}

/** The template's shape, or undefined when the text is not a template. */
export function templateShape(
  text: string,
  options: Pick<TemplateOptions, 'fileName' | 'languageId' | 'parsed'>,
  parseJsonText: (text: string) => ParsedJson,
): TemplateShape | undefined {
  const format = templateFormatOf(text, options.fileName, options.languageId);
  if (format === 'json') {
    if (!text.includes('"Resources"')) return undefined;
    return jsonTemplate(text, options.parsed ?? parseJsonText(text));
  }
  return yamlTemplate(text);
}

/** Checks every policy of a template (the shape from `templateShape`). */
export function analyzeTemplate(shape: TemplateShape, options: TemplateOptions = {}): TemplateAnalysis {
  const cache = options.cache ?? new TemplateCache();
  const catalog = options.catalog;
  const findings: Finding[] = [];
  const missingServices = new Set<string>();
  const pieces: PlacedPiece[] = [];
  for (const problem of shape.problems) {
    findings.push(
      withSeverity(finding('template-syntax', `${problem.message} CloudFormation cannot read the template.`, problem.start, problem.end - problem.start)),
    );
  }
  for (const piece of shape.pieces) {
    let result = cache.get(piece.text, catalog);
    if (result === undefined) {
      result = checkPiece(piece, catalog, cache.statements);
      cache.set(piece.text, result);
    }
    const placed: PlacedPiece = { offset: piece.offset, text: piece.text, result };
    if (piece.reread !== undefined) placed.reread = piece.reread;
    pieces.push(placed);
    for (const item of result.findings) findings.push(shiftedCopy(item, piece.offset));
    for (const service of result.missing) missingServices.add(service);
  }
  findings.sort(compareFindings);
  return { format: shape.format, pieces, findings, missingServices };
}

/** Reads one piece and checks its policies and names; everything relative to the piece. */
function checkPiece(piece: TemplatePiece, catalog: Catalog | undefined, statements: StatementCache): PieceResult {
  const content = piece.read();
  const result: PieceResult = { policies: [], findings: [], origins: new Map(), missing: [], broken: content.problems.length > 0 };
  const seen = new Set<string>();
  const add = (item: Finding, origin?: FindingOrigin): void => {
    const key = originKey(item);
    if (seen.has(key)) return;
    seen.add(key);
    result.findings.push(item);
    if (origin !== undefined) result.origins.set(key, origin);
  };
  for (const problem of content.problems) {
    add(
      withSeverity(
        finding('template-syntax', `${problem.message} CloudFormation cannot read the template.`, problem.start, Math.max(0, problem.end - problem.start)),
      ),
    );
  }
  const missing = new Set<string>();
  for (const resource of content.resources) {
    const type = resourceType(resource.value);
    if (type === undefined || RESOURCE_SPECS[type] === undefined) continue;
    for (const name of findNames(resource.value)) {
      const report = checkTemplateName(name);
      if (report !== undefined) add(withSeverity(report));
    }
    for (const document of findDocuments(resource.value)) {
      const policy: TemplatePolicy = {
        logicalId: resource.logicalId,
        resourceType: type,
        where: document.where,
        kind: document.kind,
        keySpan: { start: document.entry.key.start, end: document.entry.key.end },
        valueSpan: { start: document.entry.value.start, end: document.entry.value.end },
        variants: [],
        unknownCount: 0,
        conditional: document.conditional,
        documentIndex: document.index,
      };
      if (document.policyName !== undefined) policy.policyName = document.policyName;
      const entity = RESOURCE_SPECS[type].entity;
      if (entity !== undefined && document.kind === 'identity') policy.entity = entity;
      const index = result.policies.length;
      result.policies.push(policy);
      checkPolicy(policy, document.entry.value, index, catalog, statements, missing, add, RESOURCE_SPECS[type].managed === true);
    }
  }
  result.missing = [...missing];
  result.findings.sort(compareFindings);
  return result;
}

const SIZE_RULES = new Set<string>(['document-too-large', 'managed-policy-size', 'policy-size-quota', 'empty-document']);

function checkPolicy(
  policy: TemplatePolicy,
  value: TValue,
  index: number,
  catalog: Catalog | undefined,
  statements: StatementCache,
  missing: Set<string>,
  add: (item: Finding, origin?: FindingOrigin) => void,
  managed: boolean,
): void {
  const subIssues = new Map<string, Resolution['subIssues'][number]>();
  for (const branch of [0, 1] as const) {
    const resolution: Resolution = { sawIf: false, subIssues: [] };
    const resolved = resolve(value, branch, resolution);
    for (const issue of resolution.subIssues) subIssues.set(`${issue.span.start}`, issue);
    if (resolved === undefined || resolved.t !== 'object') break;
    const rendering = render(resolved);
    const analysis = analyze(rendering.text, { kind: policy.kind, kindSource: 'caller', catalog, statementCache: statements });
    for (const service of analysis.missingServices) missing.add(service);
    const variant = policy.variants.length;
    policy.variants.push({ rendering, analysis });
    if (variant === 0) policy.unknownCount = rendering.unknowns.length;
    const anchor = anchorFor(policy, rendering);
    const unknown = rendering.unknowns.length > 0;
    let engineFindings = analysis.findings.filter((item) => !(unknown && SIZE_RULES.has(item.code)) && !(item.code === 'managed-policy-size' && !managed));
    engineFindings = findingsThatHold(engineFindings, { unknowns: rendering.unknowns, uncertain: rendering.uncertain, policy: analysis.policy });
    if (unknown) engineFindings.push(...sizeFindings(rendering, policy.kind, managed));
    for (const item of engineFindings) {
      const place = sourceRange(rendering, item.offset, item.length, anchor);
      const placed: Finding = { code: item.code, message: item.message, severity: item.severity, offset: place.start, length: place.end - place.start };
      if (item.related !== undefined) {
        placed.related = item.related.map((other) => {
          const where = sourceRange(rendering, other.offset, other.length, anchor);
          return { offset: where.start, length: where.end - where.start, message: other.message };
        });
      }
      add(placed, { policy: index, variant, finding: item });
    }
    if (!resolution.sawIf) break;
  }
  for (const issue of subIssues.values()) {
    const data = issue.insertAt === undefined ? undefined : { edits: [{ offset: issue.insertAt, length: 0, newText: '!' }] };
    add(
      withSeverity(
        finding(
          'sub-policy-variable',
          `Fn::Sub reads \${${issue.name}} as a reference to a parameter or resource named "${issue.name}", which no template can have: CloudFormation rejects the template. For IAM's policy variable, write \${!${issue.name}}.`,
          issue.span.start,
          issue.span.end - issue.span.start,
          undefined,
          data,
        ),
      ),
    );
  }
}

/** Short places for findings on a whole container: the policy's key, a statement's first key. */
function anchorFor(policy: TemplatePolicy, rendering: Rendering): (node: RNode) => Span | undefined {
  return (node) => {
    if (node === rendering.root) return policy.keySpan;
    if (node.kind === 'object') {
      const key = node.children?.[0]?.children?.[0];
      if (key !== undefined) return key.span;
    }
    return { start: node.span.start, end: Math.min(node.span.end, node.span.start + 1) };
  };
}

/**
 * The size rules for a policy with unknown values: its size is not known until deployment, but
 * never less than its known text (each unknown is at least its placeholder's one character
 * short of nothing: the rendering without the placeholders).
 */
function sizeFindings(rendering: Rendering, kind: PolicyKind, managed: boolean): Finding[] {
  const unknowns = rendering.unknowns.length;
  const known = rendering.text.length - unknowns;
  const values = `${unknowns} value${unknowns === 1 ? '' : 's'} CloudFormation resolves only when it deploys the stack`;
  const at = rendering.root.rs;
  if (known > POLICY_DOCUMENT_MAX_LENGTH) {
    return [
      withSeverity(
        finding(
          'document-too-large',
          `As CloudFormation sends it (compact JSON), this policy is at least ${groupDigits(known)} characters, over IAM's limit of ${groupDigits(POLICY_DOCUMENT_MAX_LENGTH)}, before the ${values}. Split it into several policies.`,
          at,
          1,
        ),
      ),
    ];
  }
  const info: KindInfo = KINDS[kind];
  const quota = info.quota;
  if (quota === undefined || (kind === 'identity' && !managed) || known <= quota.characters) return [];
  const code = kind === 'identity' ? 'managed-policy-size' : 'policy-size-quota';
  return [
    withSeverity(
      finding(
        code,
        `As CloudFormation sends it (compact JSON), this policy is at least ${groupDigits(known)} characters, over the ${groupDigits(quota.characters)} allowed for ${quota.what}, before the ${values}. Split it, or move statements elsewhere.`,
        at,
        1,
      ),
    ),
  ];
}

/** A name the template gives IAM, checked by the API's rule; intrinsic parts are unknown. */
function checkTemplateName(name: FoundName): Report | undefined {
  const rule = NAME_RULES[name.rule];
  const value = name.value;
  if (value.type === 'scalar' && (typeof value.value === 'string' || typeof value.value === 'number')) {
    const text = String(value.value);
    const problem = checkName(rule, text);
    if (problem === undefined) return undefined;
    const start = value.exact ?? value.start;
    const length = value.exact !== undefined ? text.length : value.end - value.start;
    return finding('invalid-resource-name', `${name.property} ${JSON.stringify(text)}: ${problem}`, start, length);
  }
  if (value.type !== 'intrinsic') return undefined;
  const resolved = resolve(value, 0, { sawIf: false, subIssues: [] });
  if (resolved?.t !== 'string') return undefined;
  let known = 0;
  for (const part of resolved.parts) {
    if (part.unknown === true) continue;
    known += part.text.length;
    let index = 0;
    for (const char of part.text) {
      if (!NAME_CHARACTER.test(char)) {
        const start = part.exact !== undefined ? part.exact + index : part.span.start;
        const length = part.exact !== undefined ? char.length : part.span.end - part.span.start;
        return finding(
          'invalid-resource-name',
          `${name.property}: the ${rule.label} has ${describeCharacter(char)}. ${capitalize(rule.label)}s are ${rule.min} to ${rule.max} characters of letters, digits and + = , . @ _ -.`,
          start,
          length,
        );
      }
      index += char.length;
    }
  }
  if (known > rule.max) {
    return finding(
      'invalid-resource-name',
      `${name.property}: the ${rule.label} is at least ${known} characters long, before its intrinsic parts; ${capitalize(rule.label)}s are at most ${rule.max}.`,
      value.start,
      value.end - value.start,
    );
  }
  return undefined;
}
