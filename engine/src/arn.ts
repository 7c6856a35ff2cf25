/**
 * ARNs: `arn:partition:service:region:account:resource`, as written in policies (with `*`
 * and `?` wildcards and `${...}` variables) and as the catalog's templates describe them
 * (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`).
 */
import { detached } from './strings';

export interface ParsedArn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
  /** Offsets of each part in the ARN text. */
  readonly offsets: { readonly partition: number; readonly service: number; readonly region: number; readonly account: number; readonly resource: number };
}

/**
 * ARNs split so far: the checks of a resource ask for its parts four times (its format, the
 * statement's actions, the security checks, each template it is compared with), and the same
 * ARNs come back on every check of a document. A bounded memo of a pure function of its key;
 * the parts are read-only.
 */
const parsedArns = new Map<string, ParsedArn | null>();

/** Splits an ARN into its six parts; undefined when it has fewer. */
export function parseArn(arn: string): ParsedArn | undefined {
  let parsed = parsedArns.get(arn);
  if (parsed === undefined) {
    if (parsedArns.size >= 20_000) parsedArns.clear();
    // Split from a copy, kept as the key: the parts of a slice of the document would keep the
    // whole document alive as long as the memo holds them.
    const key = detached(arn);
    parsed = splitArn(key) ?? null;
    parsedArns.set(key, parsed);
  }
  return parsed ?? undefined;
}

function splitArn(arn: string): ParsedArn | undefined {
  if (!arn.startsWith('arn:')) return undefined;
  const parts: string[] = [];
  const starts: number[] = [];
  let start = 4;
  for (let i = 0; i < 4; i++) {
    const colon = colonOutsideVariables(arn, start);
    if (colon < 0) return undefined;
    parts.push(arn.slice(start, colon));
    starts.push(start);
    start = colon + 1;
  }
  return {
    partition: parts[0],
    service: parts[1],
    region: parts[2],
    account: parts[3],
    resource: arn.slice(start),
    offsets: { partition: starts[0], service: starts[1], region: starts[2], account: starts[3], resource: start },
  };
}

function colonOutsideVariables(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const char = text[i];
    if (char === '$' && text[i + 1] === '{') depth++;
    else if (char === '}' && depth > 0) depth--;
    else if (char === ':' && depth === 0) return i;
  }
  return -1;
}

/**
 * A pattern element, as a number: a literal character (its UTF-16 code unit), ONE (?) or ANY
 * (any run of characters). Numbers, not objects: a pattern is one small array of integers, and
 * the table below compares them without reading a property.
 */
type Token = number;
const ANY = -1;
const ONE = -2;

/** A policy's ARN pattern: * and ? are wildcards, ${...} variables stand for anything. */
function policyTokens(text: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 36 /* $ */ && text.charCodeAt(i + 1) === 123 /* { */) {
      const close = text.indexOf('}', i + 2);
      if (close > 0) {
        tokens.push(ANY);
        i = close;
        continue;
      }
    }
    tokens.push(code === 42 /* * */ ? ANY : code === 63 /* ? */ ? ONE : code);
  }
  return tokens;
}

/** A catalog template: ${...} parts stand for anything. */
function templateTokens(template: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < template.length; i++) {
    const code = template.charCodeAt(i);
    if (code === 36 /* $ */ && template.charCodeAt(i + 1) === 123 /* { */) {
      const close = template.indexOf('}', i + 2);
      if (close > 0) {
        tokens.push(ANY);
        i = close;
        continue;
      }
    }
    tokens.push(code);
  }
  return tokens;
}

/** The two rows of intersects' table, reused by every call (grown to the longest pattern seen). */
let rowA = new Uint8Array(64);
let rowB = new Uint8Array(64);

/**
 * Whether some ARN matches both the policy's pattern and the template: two patterns with
 * wildcards on both sides, decided by dynamic programming over their positions. A row of the
 * table with no reachable cell ends it: every later row is empty too (a cell is reached only
 * from the row above or from its left neighbour, which is empty at the row's start).
 */
function intersects(a: Token[], b: Token[]): boolean {
  const n = a.length;
  const m = b.length;
  // Most pairs differ in their first or last fixed characters: settle those without the table.
  for (let i = 0; i < n && i < m; i++) {
    const x = a[i];
    const y = b[i];
    if (x < 0 || y < 0) break;
    if (x !== y) return false;
  }
  for (let i = 1; i <= n && i <= m; i++) {
    const x = a[n - i];
    const y = b[m - i];
    if (x < 0 || y < 0) break;
    if (x !== y) return false;
  }
  if (rowA.length <= m) {
    rowA = new Uint8Array(2 * (m + 1));
    rowB = new Uint8Array(2 * (m + 1));
  }
  // reachable[i][j]: a[0..i) and b[0..j) can produce the same text.
  let previous = rowA;
  let current = rowB;
  previous[0] = 1;
  for (let j = 1; j <= m; j++) previous[j] = previous[j - 1] && b[j - 1] === ANY ? 1 : 0;
  for (let i = 1; i <= n; i++) {
    const x = a[i - 1];
    const xAny = x === ANY;
    current[0] = previous[0] && xAny ? 1 : 0;
    let reached = current[0];
    for (let j = 1; j <= m; j++) {
      const y = b[j - 1];
      let ok = 0;
      if (xAny) ok = previous[j] | current[j - 1] | previous[j - 1];
      else if (y === ANY) ok = current[j - 1] | previous[j] | previous[j - 1];
      else if (x === ONE || y === ONE || x === y) ok = previous[j - 1];
      current[j] = ok;
      reached |= ok;
    }
    if (reached === 0) return false;
    const spare = previous;
    previous = current;
    current = spare;
  }
  return previous[m] === 1;
}

/**
 * Results by template, then by policy ARN (no key strings to build and hash per call). Global
 * where that is right: a bounded memo of a pure function of its keys, with no document state.
 */
const matches = new Map<string, Map<string, boolean>>();
let cachedResults = 0;

/** Whether the policy's ARN pattern can name a resource of the template's type. Cached. */
export function arnMatchesTemplate(arn: string, template: string): boolean {
  let byArn = matches.get(template);
  if (byArn === undefined) matches.set(template, (byArn = new Map()));
  let result = byArn.get(arn);
  if (result === undefined) {
    if (++cachedResults > 50_000) {
      matches.clear();
      cachedResults = 0;
      matches.set(template, (byArn = new Map()));
    }
    result = compare(arn, template);
    byArn.set(detached(arn), result);
  }
  return result;
}

const PARTS = ['partition', 'service', 'region', 'account'] as const;
const POLICY_WILDCARD = /[*?$]/;
const WHOLE_VARIABLE = /^\$\{[^}]*\}$/;

function compare(arn: string, template: string): boolean {
  const policyArn = parseArn(arn);
  const templateArn = parseArn(template);
  if (policyArn === undefined || templateArn === undefined) return intersects(policyTokens(arn), templateTokens(template));
  // Part by part, as ARNs are compared: a wildcard in the region does not reach into the
  // account or the resource. Most parts settle without the table: a template's variable
  // takes anything, two plain parts are equal or not.
  for (const part of PARTS) {
    const wanted = templateArn[part];
    const given = policyArn[part];
    if (WHOLE_VARIABLE.test(wanted)) continue;
    if (!POLICY_WILDCARD.test(given) && !wanted.includes('${')) {
      if (given !== wanted) return false;
      continue;
    }
    if (!intersects(policyTokens(given), templateTokens(wanted))) return false;
  }
  return intersects(policyTokens(policyArn.resource), templateTokens(templateArn.resource));
}

export const KNOWN_PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc'];

/*
 * What IAM's own parser refuses in a Resource or NotResource ARN. IAM reads the ARN by its
 * raw colons (it knows nothing of policy variables there) and answers MalformedPolicyDocument
 * with these messages (as emulator authors recorded them against AWS; moto's
 * iam/policy_validation.py mirrors them):
 *   Partition "x" is not valid for resource "arn:x:…"     (a partition that is not aws, aws-cn…)
 *   Resource vendor must be fully qualified and cannot contain regexes.   ("arn:aws", "arn:aws:*:…")
 *   The policy failed legacy parsing                        (fewer than six parts with an empty one; no service)
 *   IAM resource path must either be "*" or start with user/, federated-user/, role/, …
 *   IAM resource … cannot contain region information. / Resource … can not contain region information. (S3)
 * The IAM User Guide ("IAM JSON policy elements: Resource") says it too: "You can't use a
 * wildcard in the service segment that identifies the AWS product." A wildcard there is an
 * Error although Access Analyzer calls it a suggestion (WILDCARD_IN_SERVICE_NAME): users
 * record PutRolePolicy refusing arn:aws:*:*:<account>:* with the "cannot contain regexes"
 * answer (moto's validator only mirrors that answer for "arn:aws", with no service at all).
 */

/**
 * The starts of an IAM resource path that IAM accepts: the list of its message, the resource
 * types the service reference adds (assumed-role, delegation-request, role-template) and what
 * AWS's own managed policies use (root, contextProvider/). A test keeps it covering the
 * catalog's IAM resource types.
 */
export const IAM_RESOURCE_STARTS: readonly string[] = [
  'user/',
  'federated-user/',
  'role/',
  'group/',
  'instance-profile/',
  'mfa/',
  'server-certificate/',
  'policy/',
  'sms-mfa/',
  'saml-provider/',
  'oidc-provider/',
  'report/',
  'access-report/',
  'assumed-role/',
  'delegation-request/',
  'role-template/',
  'root',
  'contextProvider/',
];

/**
 * The S3 resources that carry a Region (access points, Access Grants, Batch Operations jobs,
 * Storage Lens...): IAM refuses a Region in any other S3 ARN. A test keeps it covering the
 * catalog's S3 resource types that have a Region.
 */
export const S3_REGIONAL_STARTS: readonly string[] = ['accesspoint/', 'access-grants/', 'job/', 'async-request/', 'storage-lens/', 'storage-lens-group/'];

export interface ArnSyntaxProblem {
  /** One line: what is wrong and what IAM answers. */
  message: string;
  /** Where in the value (the ARN text). */
  index: number;
  length: number;
  /** Not refused for sure (only a Warning): IAM's answer to it is not known. */
  doubtful?: true;
  /** A sure repair of [index, index + length): the text to put there, and a title. */
  repair?: { text: string; title: string };
}

const WILDCARD = /[*?]/;

/** The literal start of a pattern: up to its first wildcard or variable. */
function literalHead(text: string): string {
  let end = 0;
  while (end < text.length && text[end] !== '*' && text[end] !== '?' && !(text[end] === '$' && text[end + 1] === '{')) end++;
  return text.slice(0, end);
}

/**
 * Whether a pattern whose literal start is `head` can begin with `start`: one is a prefix of
 * the other, or, when the pattern is all literal (`head` is the whole of it), it does.
 */
function canStartWith(head: string, start: string, whole?: string): boolean {
  if (head === whole) return head.startsWith(start);
  return head.length >= start.length ? head.startsWith(start) : start.startsWith(head);
}

/**
 * The first thing IAM's parser refuses in an ARN that starts with "arn:", or undefined when it
 * takes it. `doubtful` marks what it may take.
 */
export function arnSyntaxProblem(value: string): ArnSyntaxProblem | undefined {
  // The colon after "arn" and the four after it, as IAM splits (the resource part keeps its
  // own colons): no array of every part.
  const colons: number[] = [3];
  for (let at = 3; colons.length < 5;) {
    at = value.indexOf(':', at + 1);
    if (at < 0) break;
    colons.push(at);
  }
  const fieldCount = colons.length + 1;
  const field = (n: number): string =>
    n < colons.length ? value.slice(colons[n - 1] + 1, colons[n]) : n === colons.length ? value.slice(colons[n - 1] + 1) : '';
  const partition = field(1);
  const partitionAt = 4;
  if (partition !== '*' && !KNOWN_PARTITIONS.includes(partition)) {
    const lower = partition.toLowerCase();
    if (KNOWN_PARTITIONS.includes(lower)) {
      return {
        message: `Partition ${JSON.stringify(partition)} must be written ${JSON.stringify(lower)}: IAM rejects the ARN (Partition "${partition}" is not valid).`,
        index: partitionAt,
        length: partition.length,
        repair: { text: lower, title: `Change the partition to ${lower}` },
      };
    }
    if (WILDCARD.test(partition) && !partition.includes('${')) {
      return {
        message: `The partition ${JSON.stringify(partition)} is a pattern: IAM takes "*" or a partition (aws, aws-cn, aws-us-gov...) and may reject it.`,
        index: partitionAt,
        length: partition.length,
        doubtful: true,
      };
    }
    const what =
      partition === ''
        ? 'An empty partition'
        : partition.startsWith('${')
          ? 'A variable in the partition (IAM substitutes variables only in the resource part)'
          : `Partition ${JSON.stringify(partition)}`;
    return {
      message: `${what}: IAM rejects the ARN (Partition "${partition}" is not valid). Use aws, aws-cn, aws-us-gov (${KNOWN_PARTITIONS.length} in all) or *.`,
      index: partitionAt,
      length: Math.max(1, partition.length),
    };
  }
  if (fieldCount < 3) {
    return {
      message: `This ARN ends after its partition: IAM rejects it ("Resource vendor must be fully qualified"). Name the service, as in arn:aws:s3:::my-bucket.`,
      index: 0,
      length: value.length,
    };
  }
  const service = field(2);
  const serviceAt = partitionAt + partition.length + 1;
  if (service === '') {
    return {
      message: 'The service part of this ARN is empty: IAM rejects it ("The policy failed legacy parsing"). Name the service, as in arn:aws:s3:::my-bucket.',
      index: serviceAt - 1,
      length: 2,
    };
  }
  if (WILDCARD.test(service)) {
    return {
      message: `A wildcard in the service ${JSON.stringify(service)}: IAM rejects it ("Resource vendor must be fully qualified and cannot contain regexes"). Name the service, one ARN per service, or use "*".`,
      index: serviceAt,
      length: service.length,
    };
  }
  if (fieldCount < 6 && value.includes('::')) {
    return {
      message: `This ARN has ${fieldCount} parts and an empty one: IAM cannot parse it ("The policy failed legacy parsing"). An ARN has six, arn:partition:service:region:account:resource, as in arn:aws:s3:::my-bucket.`,
      index: 0,
      length: value.length,
    };
  }
  if (fieldCount < 6) return undefined;
  const region = field(3);
  const regionAt = serviceAt + service.length + 1;
  const resource = value.slice(colons[4] + 1);
  if (service === 'iam') {
    if (region !== '') {
      return {
        message: `IAM ARNs have no Region: IAM rejects this one ("IAM resource … cannot contain region information"). Remove ${JSON.stringify(region)}.`,
        index: regionAt,
        length: region.length,
        repair: { text: '', title: 'Remove the Region' },
      };
    }
    const head = literalHead(resource);
    if (resource !== '*' && !IAM_RESOURCE_STARTS.some((start) => canStartWith(head, start, resource))) {
      const resourceAt = value.length - resource.length;
      // Only the case differs (Role/): IAM compares the start as written, but that is our
      // reading of its message, so a Warning with the repair.
      const cased = IAM_RESOURCE_STARTS.find((start) => head.toLowerCase().startsWith(start.toLowerCase()));
      if (cased !== undefined) {
        return {
          message: `IAM resource types are lower case: write ${cased} (IAM resource path must start with user/, role/, group/, policy/...).`,
          index: resourceAt,
          length: cased.length,
          doubtful: true,
          repair: { text: cased, title: `Change to ${cased}` },
        };
      }
      return {
        message: `IAM resource ${JSON.stringify(resource)} names no IAM resource type: IAM rejects it (IAM resource path must either be "*" or start with user/, role/, group/, policy/, instance-profile/...).`,
        index: resourceAt,
        length: Math.max(1, resource.length),
      };
    }
  }
  if (service === 's3' && region !== '') {
    const head = literalHead(resource);
    if (!S3_REGIONAL_STARTS.some((start) => canStartWith(head, start, resource))) {
      return {
        message: `S3 bucket and object ARNs have no Region: IAM rejects this one ("can not contain region information"). Remove ${JSON.stringify(region)}, as in arn:aws:s3:::my-bucket.`,
        index: regionAt,
        length: region.length,
        repair: { text: '', title: 'Remove the Region' },
      };
    }
  }
  return undefined;
}

/** A resource type's ARN format, compiled once per service: what the checks of ARNs ask of it. */
export interface ArnFormat {
  /** The catalog's template, e.g. arn:${Partition}:s3:::${BucketName}/${ObjectName}. */
  readonly template: string;
  /**
   * Lower case: a service's file may hold types of another prefix (s3-object-lambda in s3).
   * '*' where the template's service is a variable (AWS Backup's recovery points,
   * arn:${Partition}:${Vendor}:...): any prefix of the service's ARNs may be it.
   */
  readonly service: string;
  /** The template's Region and account parts as written: '' where the type has none. */
  readonly region: string;
  readonly account: string;
  readonly resource: Token[];
  /** The resource part's literal start (before its first variable), to rule most formats out at once. */
  readonly head: string;
}

/** What arnFormats needs of a service's data. */
interface ResourceTypes {
  readonly resourceTypes: ReadonlyMap<string, { readonly arn: string }>;
}

const formatsByService = new WeakMap<ResourceTypes, readonly ArnFormat[]>();
const formatsByPrefix = new WeakMap<ResourceTypes, Map<string, readonly ArnFormat[]>>();

/**
 * The service's ARN formats, compiled on first use and kept with its data; with `prefix`, only
 * those of ARNs with that service prefix (a service's data may hold another's: s3-object-lambda
 * in s3), kept too.
 */
export function arnFormats(service: ResourceTypes, prefix?: string): readonly ArnFormat[] {
  if (prefix !== undefined) {
    let byPrefix = formatsByPrefix.get(service);
    if (byPrefix === undefined) formatsByPrefix.set(service, (byPrefix = new Map()));
    let some = byPrefix.get(prefix);
    if (some === undefined) byPrefix.set(prefix, (some = arnFormats(service).filter((format) => format.service === prefix || format.service === '*')));
    return some;
  }
  let formats = formatsByService.get(service);
  if (formats === undefined) {
    const compiled: ArnFormat[] = [];
    for (const type of service.resourceTypes.values()) {
      const parsed = parseArn(type.arn);
      if (parsed === undefined) continue;
      compiled.push({
        template: type.arn,
        service: parsed.service.startsWith('${') ? '*' : parsed.service.toLowerCase(),
        region: parsed.region,
        account: parsed.account,
        resource: templateTokens(parsed.resource),
        head: parsed.resource.includes('${') ? parsed.resource.slice(0, parsed.resource.indexOf('${')) : parsed.resource,
      });
    }
    formats = compiled;
    formatsByService.set(service, formats);
  }
  return formats;
}

/**
 * The formats a policy ARN's resource part can name, among those of `service` (lower case):
 * by the literal starts first, then by the patterns themselves.
 */
export function formatsMatching(formats: readonly ArnFormat[], service: string, resource: string): ArnFormat[] {
  // Remembered per list of formats (one per service) and ARN: the same ARNs come back on
  // every open and every keystroke elsewhere in the document.
  let known = matchedFormats.get(formats);
  if (known === undefined) matchedFormats.set(formats, (known = new Map()));
  const key = `${service}:${resource}`;
  let result = known.get(key);
  if (result === undefined) {
    if (known.size > 10_000) known.clear();
    result = matchFormats(formats, service, resource);
    known.set(key, result);
  }
  return result;
}

const matchedFormats = new WeakMap<readonly ArnFormat[], Map<string, ArnFormat[]>>();

function matchFormats(formats: readonly ArnFormat[], service: string, resource: string): ArnFormat[] {
  const head = literalHead(resource);
  let tokens: Token[] | undefined;
  const result: ArnFormat[] = [];
  for (const format of formats) {
    if ((format.service !== service && format.service !== '*') || !canStartWith(head, format.head)) continue;
    tokens ??= policyTokens(resource);
    if (intersects(tokens, format.resource)) result.push(format);
  }
  return result;
}

/** The two rows of covers' table, reused by every call (grown to the longest pattern seen). */
let coverRowA = new Uint8Array(64);
let coverRowB = new Uint8Array(64);

/** A pattern element for coverage: variables are kept apart (only * covers one). */
type CoverToken = { kind: 'char'; char: string } | { kind: 'one' } | { kind: 'any' } | { kind: 'var'; text: string };

const ESCAPED: Record<string, string> = { '${*}': '*', '${?}': '?', '${$}': '$' };

function coverTokens(text: string): CoverToken[] {
  const tokens: CoverToken[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '$' && text[i + 1] === '{') {
      const close = text.indexOf('}', i + 2);
      if (close > 0) {
        const variable = text.slice(i, close + 1);
        const escaped = ESCAPED[variable];
        tokens.push(escaped === undefined ? { kind: 'var', text: variable.toLowerCase() } : { kind: 'char', char: escaped });
        i = close;
        continue;
      }
    }
    if (char === '*') tokens.push({ kind: 'any' });
    else if (char === '?') tokens.push({ kind: 'one' });
    else tokens.push({ kind: 'char', char });
  }
  return tokens;
}

/**
 * Whether pattern `a` matches every text pattern `b` matches (b's wildcards and variables are
 * covered only by a's *, or by the same in a): sure when true, never claimed otherwise.
 */
function covers(a: CoverToken[], b: CoverToken[]): boolean {
  const m = b.length;
  if (coverRowA.length <= m) {
    coverRowA = new Uint8Array(2 * (m + 1));
    coverRowB = new Uint8Array(2 * (m + 1));
  }
  let previous = coverRowA;
  let current = coverRowB;
  previous[0] = 1;
  for (let j = 1; j <= m; j++) previous[j] = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    current[0] = previous[0] && x.kind === 'any' ? 1 : 0;
    for (let j = 1; j <= m; j++) {
      const y = b[j - 1];
      let ok: number;
      if (x.kind === 'any') ok = previous[j] | current[j - 1];
      else if (x.kind === 'one') ok = y.kind === 'char' || y.kind === 'one' ? previous[j - 1] : 0;
      else if (x.kind === 'char') ok = y.kind === 'char' && y.char === x.char ? previous[j - 1] : 0;
      else ok = y.kind === 'var' && y.text === x.text ? previous[j - 1] : 0;
      current[j] = ok;
    }
    const spare = previous;
    previous = current;
    current = spare;
  }
  return previous[m] === 1;
}

/** An ARN's six parts (the resource part is the rest), split at colons outside variables. */
function arnParts(text: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < 5; i++) {
    const colon = colonOutsideVariables(text, start);
    if (colon < 0) break;
    parts.push(text.slice(start, colon));
    start = colon + 1;
  }
  parts.push(text.slice(start));
  return parts;
}

/** An entry's parts and, once needed, their coverage tokens: kept, as the same entries come back. */
interface SplitEntry {
  parts: string[];
  tokens: Array<CoverToken[] | undefined>;
  wild: boolean[];
}

const splitEntries = new Map<string, SplitEntry>();

function splitEntry(text: string): SplitEntry {
  let entry = splitEntries.get(text);
  if (entry === undefined) {
    if (splitEntries.size > 20_000) splitEntries.clear();
    const key = detached(text);
    const parts = arnParts(key);
    entry = { parts, tokens: new Array(parts.length), wild: parts.map((part) => /[*?]/.test(part)) };
    splitEntries.set(key, entry);
  }
  return entry;
}

function partTokens(entry: SplitEntry, i: number): CoverToken[] {
  return (entry.tokens[i] ??= coverTokens(entry.parts[i]));
}

/** A pattern every resource matches: `*`, or an ARN whose every part is `*`. */
export function isEveryResource(pattern: string): boolean {
  if (pattern === '*') return true;
  const arn = parseArn(pattern);
  return arn !== undefined && arn.partition === '*' && arn.service === '*' && arn.region === '*' && arn.account === '*' && arn.resource === '*';
}

/**
 * Whether Resource entry `a` names every resource `b` names: the one answer to that question,
 * for the redundant-resource check, the grant summary, the semantic diff and never-grant.
 * Sound, not complete: true is sure, false may mean "cannot tell", which every caller takes as
 * the cautious answer.
 *
 * Two ARNs of six parts are compared part by part: "you can use wildcard characters (* and ?)
 * within the individual segments of an ARN (the parts separated by colons)" (IAM User Guide, IAM
 * JSON policy elements: Resource). An incomplete ARN (`arn:*`, `arn:aws:s3:*`) is compared as one
 * string, its `*` running past the colons: "if the * wildcard is the last character of a
 * resource ARN segment, it can expand to match beyond the colon boundaries" (the same page).
 * `${*}`, `${?}` and `${$}` are the characters they stand for; any other variable is a value only
 * the request knows, covered by `*` or by the same variable (names compared without case, as
 * IAM reads condition keys).
 */
export function resourceCovers(a: string, b: string): boolean {
  if (a === b || isEveryResource(a)) return true;
  if (isEveryResource(b) || !/[*?]/.test(a)) return false;
  const x = splitEntry(a);
  const y = splitEntry(b);
  if (x.parts.length < 6 || y.parts.length < 6) return covers(coverTokens(a), coverTokens(b));
  for (let i = 0; i < x.parts.length; i++) {
    const partA = x.parts[i];
    const partB = y.parts[i];
    if (partA === partB) continue;
    if (!x.wild[i] || !literalHead(partB).startsWith(literalHead(partA))) return false;
    if (!covers(partTokens(x, i), partTokens(y, i))) return false;
  }
  return true;
}
