/**
 * IAM's wildcards as the grant summary, the semantic diff and the simulator need them: `*`
 * (any run of characters) and `?` (one character) in action names, resources and condition
 * values, and `${...}` policy variables, which stand for a value only the request knows.
 *
 * Two questions (the simulator matches values itself, see ./evaluate.ts): can two patterns name
 * a common value (a Deny that touches an Allow), and does one pattern name everything another
 * does (a Deny that removes an Allow, an old grant that already covered a new one). The second
 * is answered soundly, not completely: "yes" is sure, "no" may mean "cannot tell", which every
 * caller takes as the cautious answer.
 *
 * Resources are compared part by part (partition, service, region, account, resource), as IAM
 * does: "a wildcard character can't span segments" (IAM User Guide, IAM JSON policy elements:
 * Resource). `*` on its own is every resource.
 */
import { parseArn } from './arn';

/** A pattern element: a literal character, one character (?), any run (*), or a policy variable. */
type Token = { kind: 'char'; char: string } | { kind: 'one' } | { kind: 'any' } | { kind: 'variable'; text: string };

const tokenCache = new Map<string, Token[]>();

function tokens(pattern: string): Token[] {
  let result = tokenCache.get(pattern);
  if (result !== undefined) return result;
  result = [];
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '$' && pattern[i + 1] === '{') {
      const close = pattern.indexOf('}', i + 2);
      if (close > 0) {
        result.push({ kind: 'variable', text: pattern.slice(i, close + 1) });
        i = close;
        continue;
      }
    }
    if (char === '*') result.push({ kind: 'any' });
    else if (char === '?') result.push({ kind: 'one' });
    else result.push({ kind: 'char', char });
  }
  if (tokenCache.size > 8192) tokenCache.clear();
  tokenCache.set(pattern, result);
  return result;
}

/**
 * Whether `general` names every value `specific` names. A variable in either is a value the
 * request decides: it is covered only by `*` or by the same variable.
 */
function tokensCover(general: Token[], specific: Token[]): boolean {
  const n = general.length;
  const m = specific.length;
  // covered[j]: general[0..i) can stand for specific[0..j) whatever the specific's wildcards become.
  let previous = new Uint8Array(m + 1);
  let current = new Uint8Array(m + 1);
  previous[0] = 1;
  for (let i = 1; i <= n; i++) {
    const g = general[i - 1];
    current.fill(0);
    if (g.kind === 'any') {
      // * takes any run of the specific's tokens, wildcards and variables included.
      let reachable = 0;
      for (let j = 0; j <= m; j++) {
        reachable |= previous[j];
        current[j] = reachable;
      }
    } else {
      for (let j = 1; j <= m; j++) {
        if (!previous[j - 1]) continue;
        const s = specific[j - 1];
        const ok =
          g.kind === 'one'
            ? s.kind === 'char' || s.kind === 'one'
            : g.kind === 'char'
              ? s.kind === 'char' && s.char === g.char
              : s.kind === 'variable' && s.text === g.text;
        if (ok) current[j] = 1;
      }
    }
    [previous, current] = [current, previous];
  }
  return previous[m] === 1;
}

/** Whether some value matches both patterns (variables stand for anything). */
function tokensIntersect(a: Token[], b: Token[]): boolean {
  const n = a.length;
  const m = b.length;
  const wide = (token: Token): boolean => token.kind === 'any' || token.kind === 'variable';
  let previous = new Uint8Array(m + 1);
  let current = new Uint8Array(m + 1);
  previous[0] = 1;
  for (let j = 1; j <= m; j++) previous[j] = previous[j - 1] && wide(b[j - 1]) ? 1 : 0;
  for (let i = 1; i <= n; i++) {
    const x = a[i - 1];
    current.fill(0);
    current[0] = previous[0] && wide(x) ? 1 : 0;
    for (let j = 1; j <= m; j++) {
      const y = b[j - 1];
      let ok = 0;
      if (wide(x)) ok = previous[j] | current[j - 1] | previous[j - 1];
      if (!ok && wide(y)) ok = current[j - 1] | previous[j] | previous[j - 1];
      if (!ok && !wide(x) && !wide(y))
        ok = x.kind === 'one' || y.kind === 'one' || (x.kind === 'char' && y.kind === 'char' && x.char === y.char) ? previous[j - 1] : 0;
      current[j] = ok;
    }
    [previous, current] = [current, previous];
  }
  return previous[m] === 1;
}

/** The six parts of an ARN pattern, or undefined when it is not one (`*`, or fewer parts). */
function parts(pattern: string): string[] | undefined {
  const arn = parseArn(pattern);
  return arn === undefined ? undefined : [arn.partition, arn.service, arn.region, arn.account, arn.resource];
}

/** A pattern every resource matches: `*`, or an ARN whose every part is `*`. */
export function isEveryResource(pattern: string): boolean {
  if (pattern === '*') return true;
  const split = parts(pattern);
  return split !== undefined && split.every((part) => part === '*');
}

/** Whether every resource `specific` names is named by `general` too (sure when true). */
export function resourceCovers(general: string, specific: string): boolean {
  if (general === specific || isEveryResource(general)) return true;
  if (isEveryResource(specific)) return false;
  const a = parts(general);
  const b = parts(specific);
  if (a === undefined || b === undefined) return tokensCover(tokens(general), tokens(specific));
  return a.every((part, index) => tokensCover(tokens(part), tokens(b[index])));
}

/** Whether some resource is named by both patterns. */
export function resourcesIntersect(a: string, b: string): boolean {
  if (isEveryResource(a) || isEveryResource(b) || a === b) return true;
  const x = parts(a);
  const y = parts(b);
  if (x === undefined || y === undefined) return tokensIntersect(tokens(a), tokens(b));
  return x.every((part, index) => tokensIntersect(tokens(part), tokens(y[index])));
}

/** Whether two action patterns (service:Name, with wildcards) can name a common action; case-insensitive. */
export function actionPatternsIntersect(a: string, b: string): boolean {
  return tokensIntersect(tokens(a.toLowerCase()), tokens(b.toLowerCase()));
}
