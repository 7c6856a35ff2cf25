/**
 * The format for people and for tools that read `file:line:col` (editors' problem matchers):
 *
 *     policies/s3.iam.json:4:7 error json-trailing-comma A comma after the last member...
 *
 * One line per finding, related places indented below it, then a summary line when there is
 * anything to say. Colour only when asked for or writing to a terminal.
 */
import type { Severity } from 'iam-policy-engine';
import { describeFixes, formatCount, plural, type LintedFile, type RunReport } from '../report';

export interface Style {
  severity(severity: Severity, text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const ESC = '\u001b[';
export const COLOURS: Style = {
  severity: (severity, text) => {
    if (severity === 'hint') return `${ESC}2m${text}${ESC}22m`;
    const colour = severity === 'error' ? '31' : severity === 'warning' ? '33' : '36';
    return `${ESC}${colour}m${text}${ESC}39m`;
  },
  dim: (text) => `${ESC}2m${text}${ESC}22m`,
  bold: (text) => `${ESC}1m${text}${ESC}22m`,
};

export const PLAIN: Style = {
  severity: (_severity, text) => text,
  dim: (text) => text,
  bold: (text) => text,
};

/**
 * Control characters, and the bidirectional controls that make a terminal show text in
 * another order than it is, are shown as `<U+XXXX>`: a message or a file name must not
 * drive the terminal.
 */
export function sanitize(text: string): string {
  return text.replace(
    /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/gu,
    (char) => `<U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`,
  );
}

/** The lines for one file: its fixes, then its findings. */
export function humanFileLines(file: LintedFile, style: Style): string[] {
  const lines: string[] = [];
  const name = sanitize(file.display);
  const fixes = describeFixes(file.fixed);
  if (fixes.total > 0) lines.push(`${name}: ${fixes.text}`);
  for (const item of file.findings) {
    lines.push(
      `${name}:${item.start.line}:${item.start.column} ${style.severity(item.severity, item.severity)} ${style.dim(item.code)} ${sanitize(item.message)}`,
    );
    for (const place of item.relatedPlaces ?? []) {
      lines.push(`    ${style.dim(`${name}:${place.start.line}:${place.start.column}`)} ${sanitize(place.message)}`);
    }
  }
  return lines;
}

/** The closing line, or none when nothing was found, fixed or skipped. */
export function humanSummary(report: RunReport, style: Style): string[] {
  const { counts } = report;
  const total = counts.error + counts.warning + counts.info + counts.hint;
  const linted = report.files.filter((file) => file.linted).length;
  const lines: string[] = [];
  if (total > 0) {
    const parts = [plural(counts.error, 'error'), plural(counts.warning, 'warning')];
    if (counts.info > 0) parts.push(plural(counts.info, 'info'));
    if (counts.hint > 0) parts.push(plural(counts.hint, 'hint'));
    const withProblems = report.files.filter((file) => file.findings.length > 0).length;
    const line = `${plural(total, 'problem')} (${parts.join(', ')}) in ${formatCount(withProblems)} of ${plural(linted, 'policy file')}`;
    lines.push(counts.error > 0 ? style.bold(style.severity('error', line)) : style.bold(line));
  }
  if (report.fixedTotal > 0) lines.push(`Fixed ${plural(report.fixedTotal, 'problem')}.`);
  return lines;
}
