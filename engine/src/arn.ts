/**
 * ARNs: `arn:partition:service:region:account:resource`, as written in policies (with `*`
 * and `?` wildcards and `${...}` variables) and as the catalog's templates describe them
 * (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`).
 */

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
  /** Offsets of each part in the ARN text. */
  offsets: { partition: number; service: number; region: number; account: number; resource: number };
}

/** Splits an ARN into its six parts; undefined when it has fewer. */
export function parseArn(arn: string): ParsedArn | undefined {
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

/** A pattern element: a literal character, one character (?), or any run of characters. */
type Token = { kind: 'char'; char: string } | { kind: 'one' } | { kind: 'any' };

/** A policy's ARN pattern: * and ? are wildcards, ${...} variables stand for anything. */
function policyTokens(text: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '$' && text[i + 1] === '{') {
      const close = text.indexOf('}', i + 2);
      if (close > 0) {
        tokens.push({ kind: 'any' });
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

/** A catalog template: ${...} parts stand for anything. */
function templateTokens(template: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < template.length; i++) {
    if (template[i] === '$' && template[i + 1] === '{') {
      const close = template.indexOf('}', i + 2);
      if (close > 0) {
        tokens.push({ kind: 'any' });
        i = close;
        continue;
      }
    }
    tokens.push({ kind: 'char', char: template[i] });
  }
  return tokens;
}

/**
 * Whether some ARN matches both the policy's pattern and the template: two patterns with
 * wildcards on both sides, decided by dynamic programming over their positions.
 */
function intersects(a: Token[], b: Token[]): boolean {
  const n = a.length;
  const m = b.length;
  // Most pairs differ in their first or last fixed characters: settle those without the table.
  for (let i = 0; i < n && i < m; i++) {
    const x = a[i];
    const y = b[i];
    if (x.kind !== 'char' || y.kind !== 'char') break;
    if (x.char !== y.char) return false;
  }
  for (let i = 1; i <= n && i <= m; i++) {
    const x = a[n - i];
    const y = b[m - i];
    if (x.kind !== 'char' || y.kind !== 'char') break;
    if (x.char !== y.char) return false;
  }
  // reachable[i][j]: a[0..i) and b[0..j) can produce the same text.
  let previous = new Uint8Array(m + 1);
  let current = new Uint8Array(m + 1);
  previous[0] = 1;
  for (let j = 1; j <= m; j++) previous[j] = previous[j - 1] && b[j - 1].kind === 'any' ? 1 : 0;
  for (let i = 1; i <= n; i++) {
    current.fill(0);
    const x = a[i - 1];
    current[0] = previous[0] && x.kind === 'any' ? 1 : 0;
    for (let j = 1; j <= m; j++) {
      const y = b[j - 1];
      let ok = 0;
      if (x.kind === 'any') ok = previous[j] | current[j - 1] | previous[j - 1];
      if (!ok && y.kind === 'any') ok = current[j - 1] | previous[j] | previous[j - 1];
      if (!ok && x.kind !== 'any' && y.kind !== 'any') {
        const compatible = x.kind === 'one' || y.kind === 'one' || x.char === y.char;
        ok = compatible ? previous[j - 1] : 0;
      }
      current[j] = ok;
    }
    [previous, current] = [current, previous];
  }
  return previous[m] === 1;
}

/**
 * Results by template, then by policy ARN (no key strings to build and hash per call). Global
 * where that is right: a bounded memo of a pure function of its keys, with no document state.
 */
const matches = new Map<string, Map<string, boolean>>();
let cachedResults = 0;
const parsedTemplates = new Map<string, ParsedArn | null>();

/** Whether the policy's ARN pattern can name a resource of the template's type. Cached. */
export function arnMatchesTemplate(arn: string, template: string): boolean {
  let byArn = matches.get(template);
  if (byArn === undefined) matches.set(template, (byArn = new Map()));
  let result = byArn.get(arn);
  if (result === undefined) {
    if (++cachedResults > 50_000) {
      matches.clear();
      parsedTemplates.clear();
      cachedResults = 0;
      matches.set(template, (byArn = new Map()));
    }
    result = compare(arn, template);
    byArn.set(arn, result);
  }
  return result;
}

const PARTS = ['partition', 'service', 'region', 'account'] as const;
const POLICY_WILDCARD = /[*?$]/;
const WHOLE_VARIABLE = /^\$\{[^}]*\}$/;

function compare(arn: string, template: string): boolean {
  const policyArn = parseArn(arn);
  let templateArn = parsedTemplates.get(template);
  if (templateArn === undefined) parsedTemplates.set(template, (templateArn = parseArn(template) ?? null));
  if (policyArn === undefined || templateArn === null) return intersects(policyTokens(arn), templateTokens(template));
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
