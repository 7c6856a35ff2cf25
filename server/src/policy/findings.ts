/**
 * What the checks report. Every finding has a stable code (used in settings, in the README
 * and by the command-line linter), a default severity, a one-line message and an exact place.
 */

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** A severity a user can choose for a rule in settings. */
export type SeveritySetting = 'off' | 'error' | 'warning' | 'info';

export interface RuleInfo {
  readonly severity: Severity;
  /** The family it belongs to, for the README and for grouping. */
  readonly family: 'characters' | 'size' | 'names' | 'json' | 'meta';
  /** One line for documentation. */
  readonly summary: string;
}

/** All diagnostic codes. Never rename one: users refer to them in their settings. */
export const RULES = {
  'disallowed-character': {
    severity: 'error',
    family: 'characters',
    summary: 'A character outside the set IAM accepts in a policy document (tab, line feed, carriage return, U+0020 to U+00FF).',
  },
  'document-too-large': {
    severity: 'error',
    family: 'size',
    summary: 'The document is over 131,072 characters, the most IAM accepts (white space counts).',
  },
  'empty-document': {
    severity: 'error',
    family: 'size',
    summary: 'The document is empty or only white space.',
  },
  'invalid-sid': {
    severity: 'error',
    family: 'names',
    summary: 'A Sid with characters other than ASCII letters and digits.',
  },
  'duplicate-sid': {
    severity: 'error',
    family: 'names',
    summary: 'Two statements with the same Sid.',
  },
  'invalid-arn-entity-name': {
    severity: 'error',
    family: 'names',
    summary: 'An IAM user, group, role or policy name inside an IAM ARN that IAM would never accept (characters or length).',
  },
  'invalid-policy-file-name': {
    severity: 'info',
    family: 'names',
    summary: 'The file name, offered as the policy name when pushing, is not a valid IAM policy name.',
  },
  'json-syntax': {
    severity: 'error',
    family: 'json',
    summary: 'The document is not valid JSON.',
  },
  'json-comment': {
    severity: 'error',
    family: 'json',
    summary: 'A comment: IAM accepts strict JSON only.',
  },
  'json-trailing-comma': {
    severity: 'error',
    family: 'json',
    summary: 'A comma after the last member of an object or array.',
  },
  'json-duplicate-key': {
    severity: 'error',
    family: 'json',
    summary: 'The same key twice in one object.',
  },
  'too-many-problems': {
    severity: 'info',
    family: 'meta',
    summary: 'More problems than the maxNumberOfProblems setting allows to show.',
  },
} as const satisfies Record<string, RuleInfo>;

export type Code = keyof typeof RULES;

export const CODES = Object.keys(RULES) as Code[];

export function isCode(value: string): value is Code {
  return Object.prototype.hasOwnProperty.call(RULES, value);
}

/** Another place that explains a finding (the first of two duplicates, say). */
export interface RelatedPlace {
  offset: number;
  length: number;
  message: string;
}

export interface Finding {
  code: Code;
  severity: Severity;
  message: string;
  /** Offset in UTF-16 code units, as editors count. */
  offset: number;
  length: number;
  related?: RelatedPlace[];
}

export function finding(code: Code, message: string, offset: number, length: number, related?: RelatedPlace[]): Finding {
  const result: Finding = { code, severity: RULES[code].severity, message, offset, length };
  if (related !== undefined) result.related = related;
  return result;
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

/** Orders findings by place, then by severity. */
export function compareFindings(a: Finding, b: Finding): number {
  return a.offset - b.offset || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.length - b.length;
}

export interface RuleSettings {
  /** Per-code overrides. */
  rules?: Partial<Record<string, SeveritySetting>>;
  /** The most findings to report; a final finding says how many more there are. */
  maxNumberOfProblems?: number;
}

/**
 * Applies the user's severity overrides and the problem cap. When findings are cut, the most
 * severe are kept (errors before warnings), and a last `too-many-problems` finding says how
 * many more there are, placed at the first one left out.
 */
export function applyRuleSettings(findings: readonly Finding[], settings: RuleSettings): Finding[] {
  const overrides = settings.rules ?? {};
  let result: Finding[] = [];
  for (const item of findings) {
    const override = overrides[item.code];
    if (override === undefined) {
      result.push(item);
    } else if (override !== 'off') {
      result.push(override === item.severity ? item : { ...item, severity: override });
    }
  }
  const max = settings.maxNumberOfProblems;
  if (max !== undefined && max >= 0 && result.length > max) {
    const ranked = result
      .map((item, index) => ({ item, index }))
      .sort((a, b) => SEVERITY_RANK[a.item.severity] - SEVERITY_RANK[b.item.severity] || a.index - b.index);
    const kept = ranked.slice(0, max).sort((a, b) => a.index - b.index).map((entry) => entry.item);
    const firstLeftOut = ranked.slice(max).reduce((first, entry) => (entry.index < first.index ? entry : first)).item;
    const more = result.length - max;
    kept.push(
      finding(
        'too-many-problems',
        `${more} more problem${more === 1 ? '' : 's'} not shown (the iamPolicy.maxNumberOfProblems setting is ${max}).`,
        firstLeftOut.offset,
        0,
      ),
    );
    result = kept;
  }
  return result;
}
