/**
 * `--format json`: one JSON document for scripts. Lines and columns are 1-based, columns and
 * offsets count UTF-16 code units; `end` is just past the last character.
 */
import type { Severity } from 'iam-policy-engine';
import { TOOL_NAME, type RunReport } from '../report';

export interface JsonFinding {
  code: string;
  severity: Severity;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  offset: number;
  length: number;
  related?: Array<{ message: string; line: number; column: number; endLine: number; endColumn: number; offset: number; length: number }>;
}

export interface JsonReport {
  tool: { name: string; version: string };
  files: Array<{ path: string; findings: JsonFinding[]; fixed?: Record<string, number>; error?: string }>;
  errors: string[];
  summary: {
    files: number;
    errors: number;
    warnings: number;
    infos: number;
    hints: number;
    fixed: number;
    skipped: number;
    exitCode: number;
  };
}

export function jsonReport(report: RunReport): JsonReport {
  return {
    tool: { name: TOOL_NAME, version: report.toolVersion },
    files: report.files.map((file) => {
      const entry: JsonReport['files'][number] = {
        path: file.display,
        findings: file.findings.map((item) => {
          const result: JsonFinding = {
            code: item.code,
            severity: item.severity,
            message: item.message,
            line: item.start.line,
            column: item.start.column,
            endLine: item.end.line,
            endColumn: item.end.column,
            offset: item.offset,
            length: item.length,
          };
          if (item.relatedPlaces !== undefined) {
            result.related = item.relatedPlaces.map((place) => ({
              message: place.message,
              line: place.start.line,
              column: place.start.column,
              endLine: place.end.line,
              endColumn: place.end.column,
              offset: place.offset,
              length: place.length,
            }));
          }
          return result;
        }),
      };
      if (Object.keys(file.fixed).length > 0) entry.fixed = file.fixed;
      if (file.error !== undefined) entry.error = file.error;
      return entry;
    }),
    errors: report.errors,
    summary: {
      files: report.files.filter((file) => file.linted).length,
      errors: report.counts.error,
      warnings: report.counts.warning,
      infos: report.counts.info,
      hints: report.counts.hint,
      fixed: report.fixedTotal,
      skipped: report.skipped,
      exitCode: report.exitCode,
    },
  };
}
