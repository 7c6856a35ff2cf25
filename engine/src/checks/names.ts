/**
 * Names IAM checks by pattern: statement ids, the names of users, groups, roles and
 * policies inside IAM ARNs, and the policy name a file offers to the push commands.
 */
import { removeProperty } from '../edits';
import { finding, type FindingData, type Report } from '../findings';
import { KINDS, type PolicyKind } from '../kinds';
import { ARN_ENTITY_NAME_MAX, NAME_CHARACTER, NAME_RULES, SID_CHARACTERS, type ArnEntityType } from '../limits';
import { capitalize, checkPolicyName, describeCharacter, policyFileSuffix, policyNameFromFileName, toValidName } from '../names';
import type { Node } from '../json';
import { allStrings, findProperty, propertyValue, stringValues, type PolicyView } from '../model';

/**
 * @param kind IAM refuses duplicate Sids in identity and trust policies ("Statement IDs (SID)
 *   in a single policy must be unique"); in other kinds they are a Warning (Access Analyzer:
 *   UNIQUE_SIDS_RECOMMENDED).
 */
export function checkSids(text: string, policy: PolicyView, kind: PolicyKind = 'identity'): Report[] {
  const family = KINDS[kind].family;
  const iam = family === 'identity' || family === 'trust';
  const duplicateCode = iam ? 'duplicate-sid' : 'sid-not-unique';
  const findings: Report[] = [];
  const sids = policy.statements.map((statement) => propertyValue(findProperty(statement, 'Sid')));
  const seen = new Map<string, { node: Node; index: number }>();
  sids.forEach((sid, index) => {
    if (sid?.type !== 'string') return;
    const value = sid.value as string;
    if (!SID_CHARACTERS.test(value)) {
      const bad = Array.from(value).findIndex((char) => !/[A-Za-z0-9]/.test(char));
      const char = Array.from(value)[bad];
      if (iam) {
        // IAM: "Statement IDs (SID) must be alpha-numeric."
        findings.push(
          finding(
            'invalid-sid',
            `Sid ${JSON.stringify(value)} has ${describeCharacter(char)} at position ${bad + 1}: IAM accepts only ASCII letters and digits in a Sid.`,
            ...valueRange(text, sid),
            undefined,
            sidSuggestion(sids, index),
          ),
        );
      } else {
        // Other services take more: SNS and SQS write "__default_statement_ID" themselves, and
        // S3's own examples once had Sids with spaces. IAM's rule is a good habit, no more.
        findings.push(
          finding(
            'sid-characters',
            `Sid ${JSON.stringify(value)} has ${describeCharacter(char)}: ${KINDS[kind].label} takes it, but IAM would not (it takes only ASCII letters and digits).`,
            ...valueRange(text, sid),
          ),
        );
      }
    }
    // An empty Sid is the same as none: IAM does not ask for it to be unique.
    if (value === '') {
      const property = sid.parent!;
      findings.push(
        finding(
          'empty-sid',
          'This Sid is empty: it names the statement no more than no Sid does. Give it a name, or remove it.',
          sid.offset,
          sid.length,
          undefined,
          { edits: [removeProperty(text, property)] },
        ),
      );
      return;
    }
    const first = seen.get(value);
    if (first === undefined) {
      seen.set(value, { node: sid, index });
    } else {
      findings.push(
        finding(
          duplicateCode,
          duplicateCode === 'duplicate-sid'
            ? `Duplicate Sid ${JSON.stringify(value)}: statement ${index + 1} uses the Sid of statement ${first.index + 1}, and IAM requires Sids to be unique within a policy.`
            : `Duplicate Sid ${JSON.stringify(value)}: statement ${index + 1} uses the Sid of statement ${first.index + 1}; make Sids unique, so each statement can be told apart.`,
          sid.offset,
          sid.length,
          [{ offset: first.node.offset, length: first.node.length, message: `First use of Sid ${JSON.stringify(value)}` }],
          sidSuggestion(sids, index),
        ),
      );
    }
  });
  return findings;
}

/**
 * A Sid for statement `index` that IAM accepts and no other statement has: its own without
 * the characters IAM rejects (or StatementN), numbered on when taken. A mechanical rename, not
 * a guess at what was meant, so the message need not name it.
 */
function sidSuggestion(sids: ReadonlyArray<Node | undefined>, index: number): FindingData {
  const node = sids[index]!;
  const taken = new Set(sids.filter((other, i) => i !== index && other?.type === 'string').map((other) => other!.value as string));
  let base = (node.value as string).replace(/[^A-Za-z0-9]/g, '');
  if (base === '') base = `Statement${index + 1}`;
  let candidate = base;
  for (let n = 2; taken.has(candidate); n++) candidate = `${base}${n}`;
  return { edits: [{ offset: node.offset, length: node.length, newText: JSON.stringify(candidate) }], label: candidate };
}

/** `arn:PARTITION:iam::ACCOUNT:TYPE/PATH/NAME` for the four entity types that have names. */
const IAM_ENTITY_ARN = /^arn:[^:]*:iam::([^:]*):(user|group|role|policy)\/(.*)$/s;

/** Accounts whose ARNs name ordinary IAM entities: an id, AWS itself, or a pattern. */
const ENTITY_ACCOUNT = /^(?:\d{12}|aws|.*[*?].*|.*\$\{.*)$/;

const ELEMENTS_WITH_ARNS = ['Resource', 'NotResource', 'Principal', 'NotPrincipal'];

export function checkArnEntityNames(text: string, policy: PolicyView): Report[] {
  const findings: Report[] = [];
  for (const statement of policy.statements) {
    for (const element of ELEMENTS_WITH_ARNS) {
      const value = propertyValue(findProperty(statement, element));
      if (value === undefined) continue;
      const strings = element.endsWith('Principal') ? allStrings(value) : stringValues(value);
      for (const node of strings) {
        const problem = checkEntityArn(node.value as string);
        if (problem === undefined) continue;
        const [offset, length] = rangeInString(text, node, problem.index, problem.length);
        findings.push(finding('invalid-arn-entity-name', problem.message, offset, length));
      }
    }
  }
  return findings;
}

interface ArnProblem {
  message: string;
  /** Where in the value the problem is. */
  index: number;
  length: number;
}

/** Checks the path and name of an IAM entity ARN; undefined when fine or not such an ARN. */
export function checkEntityArn(arn: string): ArnProblem | undefined {
  const match = IAM_ENTITY_ARN.exec(arn);
  if (match === null || !ENTITY_ACCOUNT.test(match[1])) return undefined;
  const type = match[2] as ArnEntityType;
  const resource = match[3];
  const resourceStart = arn.length - resource.length;
  const slash = lastSlashOutsideVariables(resource);
  const pathEnd = slash + 1;
  const name = resource.slice(pathEnd);
  const nameStart = resourceStart + pathEnd;
  const label = `${type} name`;
  const rule = `IAM ${type} names are 1 to ${ARN_ENTITY_NAME_MAX[type]} characters of letters, digits and + = , . @ _ - (a policy may use * and ? wildcards and \${...} variables)`;

  // Path segments: printable ASCII (U+0021 to U+007E).
  for (let i = 0; i < pathEnd; i++) {
    const code = resource.charCodeAt(i);
    if (code < 0x21 || code > 0x7e) {
      const char = String.fromCodePoint(resource.codePointAt(i)!);
      return {
        message: `The path of this ${type} ARN has ${describeCharacter(char)}: IAM paths are / or /segments/ of printable ASCII characters without spaces.`,
        index: resourceStart + i,
        length: char.length,
      };
    }
  }

  let literalLength = 0;
  let hasStar = false;
  for (let i = 0; i < name.length;) {
    if (name.startsWith('${', i)) {
      const close = name.indexOf('}', i + 2);
      if (close > 0) {
        i = close + 1;
        hasStar = true; // a variable stands for a name of any length
        continue;
      }
    }
    const char = String.fromCodePoint(name.codePointAt(i)!);
    if (char === '*') {
      hasStar = true;
    } else if (char === '?' || NAME_CHARACTER.test(char)) {
      literalLength++;
    } else {
      return {
        message: `${capitalize(label)} ${JSON.stringify(name)} in this ARN has ${describeCharacter(char)}: ${rule}.`,
        index: nameStart + i,
        length: char.length,
      };
    }
    i += char.length;
  }
  if (name.length === 0) {
    return {
      message: `This ${type} ARN ends with / and names no ${type}: ${rule}.`,
      index: Math.max(0, nameStart - 1),
      length: 1,
    };
  }
  const max = ARN_ENTITY_NAME_MAX[type];
  if (literalLength > max) {
    return {
      message: `${capitalize(label)} in this ARN is ${hasStar ? 'at least ' : ''}${literalLength} characters long, over the ${max} IAM allows: ${rule}.`,
      index: nameStart,
      length: name.length,
    };
  }
  return undefined;
}

function lastSlashOutsideVariables(resource: string): number {
  let slash = -1;
  let inVariable = false;
  for (let i = 0; i < resource.length; i++) {
    const char = resource[i];
    if (char === '$' && resource[i + 1] === '{') inVariable = true;
    else if (char === '}' && inVariable) inVariable = false;
    else if (char === '/' && !inVariable) slash = i;
  }
  return slash;
}

export function checkFileName(text: string, fileName: string | undefined): Report[] {
  if (fileName === undefined) return [];
  const name = policyNameFromFileName(fileName);
  const problem = checkPolicyName(name);
  if (problem === undefined) return [];
  const renameTo = validPolicyFileName(fileName);
  return [
    finding(
      'invalid-policy-file-name',
      `The push commands offer the file name ${JSON.stringify(name)} as the policy name, which IAM would reject. ${problem} Rename the file, or type another name when pushing.`,
      0,
      Math.min(1, text.length),
      undefined,
      renameTo === undefined ? undefined : { renameTo },
    ),
  ];
}

/** The file name to rename a policy file to, or undefined when its name is fine. */
export function validPolicyFileName(fileName: string): string | undefined {
  const name = policyNameFromFileName(fileName);
  const valid = toValidName(NAME_RULES.policyName, name) ?? 'policy';
  if (valid === name) return undefined;
  const suffix = policyFileSuffix(fileName) || '.iam.json';
  return valid + suffix;
}

/** The range of a string value without its quotes. */
function valueRange(text: string, node: Node): [number, number] {
  return rangeInString(text, node, 0, (node.value as string).length);
}

/**
 * The document range of characters `index`..`index + length` of a string node's value.
 * With escapes in the string, value and source positions differ: then the whole token.
 */
function rangeInString(text: string, node: Node, index: number, length: number): [number, number] {
  const raw = text.slice(node.offset, node.offset + node.length);
  if (raw.indexOf('\\') >= 0) return [node.offset, node.length];
  return [node.offset + 1 + index, length];
}
