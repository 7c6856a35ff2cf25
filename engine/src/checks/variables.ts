/**
 * Policy variables where IAM does not substitute them. It substitutes `${aws:username}` and
 * the like in Resource and NotResource (after the fifth colon of an ARN: checks/resources.ts)
 * and in Condition values (checks/conditionValues.ts), and nowhere else (IAM User Guide,
 * "Where you can use policy variables"): in Action or Principal it is plain text, so the
 * entry names nothing. IAM stores it: a Warning.
 */
import { finding, type Report } from '../findings';
import type { Node } from '../json';
import { allStrings, findProperty, propertyValue } from '../model';
import { findVariables } from '../variables';

const ELEMENTS = ['Action', 'NotAction', 'Principal', 'NotPrincipal'];

export function checkVariablesOutside(text: string, statement: Node): Report[] {
  const findings: Report[] = [];
  for (const element of ELEMENTS) {
    const value = propertyValue(findProperty(statement, element));
    if (value === undefined) continue;
    // Action is a string or a list of them; only Principal is walked (no allocation for the rest).
    const strings = value.type === 'string' ? [value] : value.type === 'array' && element.endsWith('Action') ? value.children! : allStrings(value);
    for (const node of strings) {
      if (node.type !== 'string') continue;
      const string = node.value as string;
      if (string.indexOf('${') < 0) continue;
      // Offsets inside the token are exact only without escapes; else the whole value.
      const raw = text.slice(node.offset, node.offset + node.length);
      const exact = raw.indexOf('\\') < 0;
      for (const variable of findVariables(string)) {
        const shown = string.slice(variable.start, variable.end);
        findings.push(
          finding(
            'invalid-policy-variable',
            `${shown} in ${element} is plain text: IAM substitutes policy variables only in Resource and in Condition values.`,
            exact ? node.offset + 1 + variable.start : node.offset,
            exact ? variable.end - variable.start : node.length,
          ),
        );
      }
    }
  }
  return findings;
}
