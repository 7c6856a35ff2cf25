/**
 * The engine's entry point: text in, findings out. No LSP or VS Code here, so the language
 * server, the client's preflight before a push and the command-line linter share it.
 */
import { checkCharacters } from './checks/characters';
import { checkJson } from './checks/json';
import { checkArnEntityNames, checkFileName, checkSids } from './checks/names';
import { checkSize } from './checks/size';
import { compareFindings, type Finding } from './findings';
import { parseJson, type ParsedJson } from './json';
import { hasStatementKey, viewPolicy, type PolicyView } from './model';

export interface AnalyzeOptions {
  /** The file's name or path; its base name is checked as the policy name it offers. */
  fileName?: string;
  /**
   * The editor's language id. `json` and `jsonc` documents are policies only when their
   * top-level object has a `Statement` key; anything else is taken as a policy.
   */
  languageId?: string;
  /** A parse of this same text, when the caller already has one. */
  parsed?: ParsedJson;
  /** The disallowed-character findings of this same text, when the caller already has them. */
  characters?: Finding[];
}

export interface Analysis {
  /** False for a JSON file that is not a policy: it gets no findings. */
  isPolicy: boolean;
  parsed: ParsedJson;
  policy: PolicyView | undefined;
  /** Sorted by place. */
  findings: Finding[];
}

const GENERIC_JSON = new Set(['json', 'jsonc']);

/** Whether a document of this language is checked only when it looks like a policy. */
export function needsStatementKey(languageId: string | undefined): boolean {
  return languageId !== undefined && GENERIC_JSON.has(languageId);
}

export function analyze(text: string, options: AnalyzeOptions = {}): Analysis {
  const parsed = options.parsed ?? parseJson(text);
  if (needsStatementKey(options.languageId) && !hasStatementKey(parsed.root)) {
    return { isPolicy: false, parsed, policy: undefined, findings: [] };
  }
  const policy = viewPolicy(parsed.root);
  const findings: Finding[] = [
    ...(options.characters ?? checkCharacters(text)),
    ...checkSize(text, parsed),
    ...(/^[ \t\n\r]*$/.test(text) ? [] : checkJson(parsed)),
    ...checkFileName(text, options.fileName),
  ];
  if (policy !== undefined) {
    findings.push(...checkSids(text, policy), ...checkArnEntityNames(text, policy));
  }
  findings.sort(compareFindings);
  return { isPolicy: true, parsed, policy, findings };
}
