/**
 * `--format sarif`: SARIF 2.1.0, the format code-scanning services take.
 *
 * Paths inside the working directory are relative URIs against `%SRCROOT%` (the working
 * directory, given in `originalUriBaseIds`), so run it from the repository root; other
 * paths are absolute `file:` URIs. Lines and columns are 1-based and columns count UTF-16
 * code units (`columnKind`), as the editor does. Problems that are not findings (a file
 * that cannot be read, a configuration error) are `toolExecutionNotifications`.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Severity } from 'iam-policy-engine';
import { RULES } from 'iam-policy-engine';
import { describeFixes, TOOL_NAME, type LintedFile, type RunReport } from '../report';
import { relativeInside } from '../paths';
import type { Position } from '../positions';

const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
const SRCROOT = '%SRCROOT%';

type Level = 'error' | 'warning' | 'note';

const LEVEL: Record<Severity, Level> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

// A small subset of the SARIF object model: what this tool writes.
interface ArtifactLocation {
  uri?: string;
  uriBaseId?: string;
  description?: { text: string };
}
interface Region {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}
interface Location {
  id?: number;
  physicalLocation: { artifactLocation: ArtifactLocation; region?: Region };
  message?: { text: string };
}
interface Notification {
  level: Level;
  message: { text: string };
  locations?: Location[];
}
interface Result {
  ruleId: string;
  ruleIndex: number;
  level: Level;
  message: { text: string };
  locations: Location[];
  relatedLocations?: Location[];
}

export function sarifReport(report: RunReport): object {
  const ruleIds = Object.keys(RULES) as Array<keyof typeof RULES>;
  const ruleIndex = new Map<string, number>(ruleIds.map((id, index) => [id, index]));
  const results: Result[] = [];
  const notifications: Notification[] = [];

  for (const message of report.errors) notifications.push({ level: 'error', message: { text: message } });
  for (const file of report.files) {
    const artifactLocation = artifactLocationOf(file, report.cwd);
    const at = (start: Position, end: Position): Location['physicalLocation'] => ({
      artifactLocation,
      region: { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column },
    });
    if (file.error !== undefined) {
      notifications.push({ level: 'error', message: { text: `${file.display}: ${file.error}` }, locations: [{ physicalLocation: { artifactLocation } }] });
    }
    const fixes = describeFixes(file.fixed);
    if (fixes.total > 0) {
      notifications.push({ level: 'note', message: { text: `${file.display}: ${fixes.text}` }, locations: [{ physicalLocation: { artifactLocation } }] });
    }
    for (const item of file.findings) {
      const result: Result = {
        ruleId: item.code,
        ruleIndex: ruleIndex.get(item.code) ?? -1,
        level: LEVEL[item.severity],
        message: { text: item.message },
        locations: [{ physicalLocation: at(item.start, item.end) }],
      };
      if (item.relatedPlaces !== undefined && item.relatedPlaces.length > 0) {
        result.relatedLocations = item.relatedPlaces.map((place, index) => ({
          id: index + 1,
          physicalLocation: at(place.start, place.end),
          message: { text: place.message },
        }));
      }
      if (result.ruleIndex < 0) delete (result as Partial<Result>).ruleIndex;
      results.push(result);
    }
  }
  if (report.maxWarningsExceeded !== undefined) {
    const { warnings, max } = report.maxWarningsExceeded;
    notifications.push({ level: 'error', message: { text: `Too many warnings: ${warnings}, more than --max-warnings ${max}.` } });
  }

  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: report.toolVersion,
            semanticVersion: report.toolVersion,
            rules: ruleIds.map((id) => ({
              id,
              shortDescription: { text: RULES[id].summary },
              defaultConfiguration: { level: LEVEL[RULES[id].severity as Severity] },
              properties: { family: RULES[id].family },
            })),
          },
        },
        invocations: [
          {
            executionSuccessful: report.exitCode !== 2,
            exitCode: report.exitCode,
            toolExecutionNotifications: notifications,
          },
        ],
        originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(report.cwd) } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

function artifactLocationOf(file: LintedFile, cwd: string): ArtifactLocation {
  if (file.path === '-' && file.fileName === undefined) return { description: { text: 'standard input' } };
  const absolute = path.resolve(cwd, file.fileName ?? file.path);
  const relative = relativeInside(absolute, cwd);
  if (relative !== undefined) {
    return { uri: relative.split(path.sep).map(encodeSegment).join('/'), uriBaseId: SRCROOT };
  }
  return { uri: pathToFileURL(absolute).href };
}

/** A path segment as a URI segment: reserved characters escaped, `:` too (not a scheme). */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/%(21|24|26|27|28|29|2A|2B|2C|3B|3D|40)/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function directoryUri(directory: string): string {
  const href = pathToFileURL(directory).href;
  return href.endsWith('/') ? href : `${href}/`;
}
