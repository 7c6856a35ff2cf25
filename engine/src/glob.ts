/**
 * IAM's wildcards as the grant summary, the semantic diff, never-grant and the simulator need
 * them: `*` (any run of characters) and `?` (one character) in action names, resources and
 * condition values, and `${...}` policy variables, which stand for a value only the request knows.
 *
 * One question is answered here: can two patterns name a common value (a Deny that touches an
 * Allow)? Whether one pattern names everything another does is ./arn.ts's `resourceCovers`, the
 * one answer the redundancy check and the grants share. Resources are compared part by part
 * (partition, service, region, account, resource), as IAM reads them; an incomplete ARN (`arn:*`)
 * as one string. `*` on its own is every resource.
 */
import { isEveryResource, parseArn } from './arn';
import { detached } from './strings';

/** A pattern element: a literal character, one character (?), any run (*), or a policy variable. */
type Token = { kind: 'char'; char: string } | { kind: 'one' } | { kind: 'any' } | { kind: 'variable'; text: string };

const tokenCache = new Map<string, Token[]>();

function tokens(given: string): Token[] {
  let result = tokenCache.get(given);
  if (result !== undefined) return result;
  // Read from a copy, kept as the key: the pattern may be a slice of a document (an action
  // lower-cased is the same string when it has no capitals), which the memo would keep alive.
  const pattern = detached(given);
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
    // Swapped through a variable: destructuring makes and walks an array per row until V8
    // optimizes this, which the first summaries of a session run before.
    const spare = previous;
    previous = current;
    current = spare;
  }
  return previous[m] === 1;
}

/** The five parts of an ARN pattern after `arn:`, or undefined when it is not one (`*`, or fewer parts). */
function parts(pattern: string): string[] | undefined {
  const arn = parseArn(pattern);
  return arn === undefined ? undefined : [arn.partition, arn.service, arn.region, arn.account, arn.resource];
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
