/**
 * What the checks report. Every finding has a stable code (the key of its row in the rule
 * table, ./rules.ts), a severity, a one-line message and an exact place; and, when the check
 * worked out how to mend it (a "did you mean", an insertion), that too, so the quick fix
 * applies what the message says instead of working it out again.
 *
 * Checks create findings without a severity (`finding`): the rule table holds each rule's
 * default, and `analyze` stamps it (see `withSeverity` in ./rules.ts). This keeps the checks
 * free of the table, which imports the checks' fixes.
 */
import type { TextEdit } from './edits';
import type { Code } from './rules';

export type { Code } from './rules';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** A severity a user can choose for a rule in settings. */
export type SeveritySetting = 'off' | 'error' | 'warning' | 'info';

/** Another place that explains a finding (the first of two duplicates, say). */
export interface RelatedPlace {
  offset: number;
  length: number;
  message: string;
}

/**
 * How to mend a finding, as the check worked it out. Offsets are in the document, like the
 * finding's. It travels with the finding, as far as the LSP diagnostic's `data`.
 */
export interface FindingData {
  /** Replacements the check proposes, best first; its message names the first. */
  suggestions?: string[];
  /** Whether the first suggestion is certainly what was meant (a case correction), not a guess. */
  sure?: boolean;
  /** What the suggestions replace when not the finding's own range (a whole string token). */
  target?: { offset: number; length: number };
  /** Edits the check computed (an insertion, a removal). */
  edits?: TextEdit[];
  /** A word for the fix's title (the element removed, say). */
  label?: string;
  /** A file name to rename the file to. */
  renameTo?: string;
}

/** A finding as a check makes it: everything but the severity. */
export interface Report {
  code: Code;
  message: string;
  /** Offset in UTF-16 code units, as editors count. */
  offset: number;
  length: number;
  related?: RelatedPlace[];
  data?: FindingData;
}

export interface Finding extends Report {
  severity: Severity;
}

export function finding(code: Code, message: string, offset: number, length: number, related?: RelatedPlace[], data?: FindingData): Report {
  const result: Report = { code, message, offset, length };
  if (related !== undefined) result.related = related;
  if (data !== undefined) result.data = data;
  return result;
}

/** Errors first: how severities rank, wherever findings are ordered or cut. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2, hint: 3 };

/** Orders findings by place, then by severity. */
export function compareFindings(a: Finding, b: Finding): number {
  return a.offset - b.offset || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.length - b.length;
}

/** Moves a finding, its related places and its fix data by `shift` (in place). */
export function shiftReport(item: Report, shift: number): void {
  item.offset += shift;
  if (item.related !== undefined) for (const place of item.related) place.offset += shift;
  const data = item.data;
  if (data === undefined) return;
  if (data.target !== undefined) data.target.offset += shift;
  if (data.edits !== undefined) for (const edit of data.edits) edit.offset += shift;
}

/** A copy of a finding moved by `shift` (the cached original is left alone). */
export function shiftedCopy<T extends Report>(item: T, shift: number): T {
  const moved: T = { ...item, offset: item.offset + shift };
  if (item.related !== undefined) moved.related = item.related.map((place) => ({ ...place, offset: place.offset + shift }));
  const data = item.data;
  if (data !== undefined && (data.target !== undefined || data.edits !== undefined)) {
    moved.data = { ...data };
    if (data.target !== undefined) moved.data.target = { ...data.target, offset: data.target.offset + shift };
    if (data.edits !== undefined) moved.data.edits = data.edits.map((edit) => ({ ...edit, offset: edit.offset + shift }));
  }
  return moved;
}

/** Severities for some rules in some statements only: those whose Sid is listed (every statement without `sids`). */
export interface RuleOverride {
  rules: Partial<Record<string, SeveritySetting>>;
  sids?: readonly string[];
}

export interface RuleSettings {
  /** Per-code overrides. */
  rules?: Partial<Record<string, SeveritySetting>>;
  /** Overrides for this document from the repository's configuration, applied after `rules`, in order. */
  overrides?: readonly RuleOverride[];
  /** The most findings to report; a final finding says how many more there are. */
  maxNumberOfProblems?: number;
}
