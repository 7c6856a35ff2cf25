/** What a run found, as the output formats need it, and how it turns into an exit code. */
import { SEVERITY_RANK, type Severity } from 'iam-policy-engine';
import type { FileResult } from './lint';

export const TOOL_NAME = 'iam-policy-lint';

export const EXIT_CLEAN = 0;
const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

export type Threshold = 'error' | 'warning' | 'info';

export interface LintedFile extends FileResult {
  /** The path as shown: relative to the working directory when inside it; `<stdin>`. */
  display: string;
}

export interface RunReport {
  toolVersion: string;
  cwd: string;
  /** Policies linted, and files that could not be linted, in the order given. */
  files: LintedFile[];
  /** Problems that are not about one file: missing operands, configuration errors. */
  errors: string[];
  /** *.json files met in walks that are not policies (no top-level Statement key). */
  skipped: number;
  counts: Record<Severity, number>;
  /** Problems fixed in all files. */
  fixedTotal: number;
  /** Why the run failed on warnings, when it did. */
  maxWarningsExceeded?: { warnings: number; max: number };
  exitCode: number;
}

export function countBySeverity(files: readonly FileResult[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const file of files) for (const item of file.findings) counts[item.severity]++;
  return counts;
}

export function exitCodeOf(input: {
  files: readonly FileResult[];
  errors: readonly string[];
  threshold: Threshold;
  maxWarnings: number | undefined;
  counts: Record<Severity, number>;
}): { exitCode: number; maxWarningsExceeded?: { warnings: number; max: number } } {
  const maxWarningsExceeded =
    input.maxWarnings !== undefined && input.counts.warning > input.maxWarnings ? { warnings: input.counts.warning, max: input.maxWarnings } : undefined;
  if (input.errors.length > 0 || input.files.some((file) => file.error !== undefined)) return { exitCode: EXIT_ERROR, maxWarningsExceeded };
  const limit = SEVERITY_RANK[input.threshold];
  const failing = input.files.some((file) => file.findings.some((item) => SEVERITY_RANK[item.severity] <= limit));
  return { exitCode: failing || maxWarningsExceeded !== undefined ? EXIT_FINDINGS : EXIT_CLEAN, maxWarningsExceeded };
}

/** 1,594: thousands separated as in the engine's messages, without loading Intl (~30 ms). */
export function formatCount(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function plural(count: number, word: string): string {
  return `${formatCount(count)} ${word}${count === 1 ? '' : 's'}`;
}

/** `2 disallowed-character, 1 json-trailing-comma` */
export function describeFixes(fixed: Record<string, number>): { total: number; text: string } {
  const entries = Object.entries(fixed).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  return { total, text: `fixed ${plural(total, 'problem')} (${entries.map(([code, n]) => `${n} ${code}`).join(', ')})` };
}
