/**
 * Policy variables: `${aws:username}`, `${aws:username, 'default'}`, and the escapes
 * `${*}`, `${?}`, `${$}`. They are substituted in Resource (after the fifth colon of an ARN)
 * and in Condition values, and only under Version 2012-10-17.
 */

export interface PolicyVariable {
  /** Offsets in the string value: `${` and just past `}` (or the end when unclosed). */
  start: number;
  end: number;
  /** The key as written (`aws:username`), or the escaped character for `${*}` and the like. */
  key: string;
  escape: boolean;
  /** What is wrong with its syntax, if anything. */
  problem?: string;
}

const ESCAPES = new Set(['*', '?', '$']);
const KEY = /^[A-Za-z0-9.-]+:[A-Za-z0-9_.\-/:@]+$/;
const DEFAULT = /^'[^']*'$/;

/** The variables in a string value, with any syntax problem each has. */
export function findVariables(value: string): PolicyVariable[] {
  const variables: PolicyVariable[] = [];
  for (let start = value.indexOf('${'); start >= 0; start = value.indexOf('${', start + 2)) {
    const close = value.indexOf('}', start + 2);
    if (close < 0) {
      variables.push({ start, end: value.length, key: value.slice(start + 2), escape: false, problem: 'This policy variable has no closing brace }.' });
      break;
    }
    const body = value.slice(start + 2, close);
    const variable: PolicyVariable = { start, end: close + 1, key: body, escape: false };
    if (ESCAPES.has(body)) {
      variable.escape = true;
    } else if (body.trim() === '') {
      variable.problem = 'This policy variable is empty: write ${aws:username}, say, or ${$} for a literal $.';
    } else {
      const comma = body.indexOf(',');
      const key = comma < 0 ? body : body.slice(0, comma);
      variable.key = key.trim();
      if (key !== key.trim()) {
        variable.problem = `Spaces around the key of policy variable \${${body}}: write \${${key.trim()}${comma < 0 ? '' : ', ...'}}.`;
      } else if (!KEY.test(key)) {
        variable.problem = `\${${body}} is not a policy variable: the key must look like aws:username or a service's key (prefix:name).`;
      } else if (comma >= 0) {
        const fallback = body.slice(comma + 1).trim();
        if (!DEFAULT.test(fallback)) {
          variable.problem = `The default value of \${${body}} must be in single quotes, as in \${${key}, 'default'}.`;
        }
      }
    }
    variables.push(variable);
    start = variable.end - 2;
  }
  return variables;
}

export function hasVariables(value: string): boolean {
  return value.indexOf('${') >= 0;
}
