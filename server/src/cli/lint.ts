/**
 * Lints one file (or standard input) with the engine: read, pick the configuration, analyse,
 * optionally apply the safe fixes, and describe the result with line and column numbers.
 * Nothing here prints; nothing here throws for anything a file may hold.
 */
import * as fs from 'node:fs';
import { configuredKind, describeFsError, settingsForFile, type LoadedConfig } from '../config';
import { analyze, analyzeFully, type Analysis, type AnalyzeOptions } from 'iam-policy-engine';
import { analyzeTemplateDocument, analyzeTemplateFully, looksLikeTemplate, mayBeTemplate } from 'iam-policy-engine';
import type { Catalog } from 'iam-policy-engine';
import type { Finding } from 'iam-policy-engine';
import {
  applyRuleSettings,
  enabledCodes,
  kindFromFileName,
  ruleFinding,
  RULES,
  sidLookup,
  type PolicyKind,
  type Rule,
  type RuleSettings,
} from 'iam-policy-engine';
import { applyEdits, fixAll } from 'iam-policy-engine';
import { POLICY_DOCUMENT_MAX_LENGTH } from 'iam-policy-engine';
import { STDIN, type Target } from './files';
import { relativeInside } from './paths';
import { LineMap, type Position } from './positions';
import { formatCount } from './report';
import { writeFileAtomically } from './writeFile';

/**
 * Files larger than this are not read: at 64 times IAM's limit they cannot be a policy IAM
 * accepts, and parsing them would only cost time. A file named as a policy gets a
 * `document-too-large` finding; a `*.json` met in a walk is taken as not a policy.
 */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

/** The buffer files are read into, reused from file to file while they are small (see readAtMost). */
let scratch = Buffer.allocUnsafe(64 * 1024);
const SCRATCH_KEPT = 1024 * 1024;

/**
 * A file's bytes, read up to its end; or, when it holds more than `limit` bytes, its size
 * (undefined for a pipe, whose size is not known). One open, then reads until the end: a stat
 * and then readFileSync took two system calls more and, in Node 20, a Stats object with four
 * Dates per file (2% of a run over the 1,594 managed policies, in a CPU profile). The bytes
 * returned are a view of a buffer the next call reuses: decode them before reading another file.
 */
function readAtMost(file: string, limit: number): { bytes: Buffer } | { bytes?: undefined; size: number | undefined } {
  const fd = fs.openSync(file, 'r');
  try {
    let buffer = scratch;
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > limit) {
          const size = fs.fstatSync(fd).size;
          return { size: size > limit ? size : undefined }; // undefined: a pipe, of unknown size
        }
        const larger = Buffer.allocUnsafe(Math.min(buffer.length * 2, limit + 1));
        buffer.copy(larger, 0, 0, length);
        buffer = larger;
        if (buffer.length <= SCRATCH_KEPT) scratch = buffer;
      }
      const count = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (count === 0) return { bytes: buffer.subarray(0, length) };
      length += count;
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** More passes than fixes ever need; a fix that uncovers another is applied in the next. */
const MAX_FIX_PASSES = 10;

export interface PlacedFinding extends Finding {
  start: Position;
  end: Position;
  relatedPlaces?: Array<{ start: Position; end: Position; message: string; offset: number; length: number }>;
}

export interface FileResult {
  /** Absolute path, or `-`. */
  path: string;
  /** The file name the findings refer to: the path, or --stdin-filename, or undefined. */
  fileName: string | undefined;
  /** False for a *.json file without a top-level Statement key: not linted, not reported. */
  isPolicy: boolean;
  /** Whether it was checked: false when it could not be read or checked (see `error`). */
  linted: boolean;
  /** The findings after the configuration's severities and cap, sorted by place. */
  findings: PlacedFinding[];
  /** What --fix changed: problems fixed per code (empty when nothing changed). */
  fixed: Record<string, number>;
  /** For standard input with --fix: the fixed text (the input itself when nothing changed). */
  fixedText?: string;
  /** Why the file could not be linted (or fixed), in words; never its contents. */
  error?: string;
}

export interface LintOptions {
  fix: boolean;
  /** The name to give standard input (for its file name check, its configuration, output). */
  stdinFileName?: string;
  /** The configuration for this file. */
  config: LoadedConfig;
  /** Check it as this kind (--kind), whatever its name or the configuration say. */
  kind?: PolicyKind;
  /** Reads standard input, once. */
  readStdin: () => Buffer;
  /** The service catalog, for the checks of actions, resources and condition keys. */
  catalog?: Catalog;
}

/**
 * Analyzes with every service the text names loaded, when there is a catalog. A template is
 * checked as one (its policies, each as its kind) for as long as it is one.
 */
async function check(text: string, options: AnalyzeOptions, catalog: Catalog | undefined, template: boolean): Promise<Analysis> {
  if (template) {
    const templateOptions = {
      ...(options.fileName !== undefined ? { fileName: options.fileName } : {}),
      ...(options.languageId !== undefined ? { languageId: options.languageId } : {}),
    };
    const analysis = catalog === undefined ? analyzeTemplateDocument(text, templateOptions) : await analyzeTemplateFully(text, { ...templateOptions, catalog });
    if (analysis !== undefined) return analysis;
  }
  return catalog === undefined ? analyze(text, options) : analyzeFully(text, { ...options, catalog });
}

/**
 * Whether a file may be a CloudFormation template, by its name: `*.json`, `*.yaml`, `*.yml`,
 * `*.template`, but not a name that says it is a policy (`*.iam.json`, `*.scp.json`…).
 */
function mayBeTemplateFile(fileName: string | undefined): boolean {
  if (fileName === undefined || !mayBeTemplate(fileName, undefined)) return false;
  const lower = fileName.toLowerCase();
  return kindFromFileName(fileName) === undefined && !lower.endsWith('.iam.json') && !lower.endsWith('.policy.json');
}

const isYamlName = (fileName: string | undefined): boolean => fileName !== undefined && /\.(ya?ml|template)$/i.test(fileName);

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export async function lintTarget(target: Target, options: LintOptions): Promise<FileResult> {
  const isStdin = target.path === STDIN;
  const fileName = isStdin ? options.stdinFileName : target.path;
  const result: FileResult = { path: target.path, fileName, isPolicy: true, linted: false, findings: [], fixed: {} };
  const fail = (message: string): FileResult => {
    result.error = message;
    return result;
  };

  // Read.
  let bytes: Buffer;
  try {
    if (isStdin) {
      bytes = options.readStdin();
    } else {
      const read = readAtMost(target.path, MAX_FILE_BYTES);
      if (read.bytes === undefined) {
        if (target.kind === 'json' || target.kind === 'template') {
          result.isPolicy = false;
          return result;
        }
        const size = read.size !== undefined ? `${formatCount(read.size)} bytes` : `over ${formatCount(MAX_FILE_BYTES)} bytes`;
        const tooLarge = ruleFinding(
          'document-too-large',
          `The file is ${size}, far over IAM's limit of ${formatCount(POLICY_DOCUMENT_MAX_LENGTH)} characters; it was not parsed.`,
          0,
          0,
        );
        result.findings = place(applySettings([tooLarge], options.config, settingsForFile(options.config, fileName)), '');
        result.linted = true;
        return result;
      }
      bytes = read.bytes;
    }
  } catch (error) {
    return fail(`cannot be read: ${describeFsError(error)}.`);
  }
  if (bytes.length > MAX_FILE_BYTES && isStdin) {
    return fail(`standard input is over ${formatCount(MAX_FILE_BYTES)} bytes: not a policy.`);
  }
  if (bytes.includes(0)) return fail('is a binary file (it holds NUL bytes): not linted.');
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return fail('is not UTF-8 text: not linted (policy files are read as UTF-8).');
  }

  // A CloudFormation template (YAML or JSON) is checked as one: its policies, each as its kind.
  let template = mayBeTemplateFile(fileName) && looksLikeTemplate(text);
  if (template) {
    try {
      template = analyzeTemplateDocument(text, { fileName }) !== undefined;
    } catch (error) {
      return fail(`internal error while checking it (${internalMessage(error)}).`);
    }
  }
  if (!template && (target.kind === 'template' || isYamlName(fileName))) {
    // YAML that is not a template holds no policy: skipped in a walk, said when named.
    if (target.kind === 'template') {
      result.isPolicy = false;
      return result;
    }
    return fail('is not a CloudFormation template (no Resources with an AWSTemplateFormatVersion or a resource of a type AWS::…): not linted.');
  }

  // A *.json met in a walk is a policy only if its top-level object has a Statement key.
  // (A template's format comes from its name, else its first character: a *.template may be either.)
  const languageId = template ? undefined : target.kind === 'json' ? 'json' : 'iam-policy';
  if (!template && target.kind === 'json' && text.indexOf('"Statement"') < 0) {
    result.isPolicy = false;
    return result;
  }

  // The kind: --kind, else the file's suffix (the engine reads it from the name), else the
  // configuration's "kinds", else what the document looks like.
  const configured = options.kind === undefined && fileName !== undefined ? configuredKind(options.config, fileName) : undefined;
  const kind = options.kind ?? (fileName !== undefined && kindFromFileName(fileName) !== undefined ? undefined : configured);
  const neverGrant = options.config.config.neverGrant;
  const analyzeOptions: AnalyzeOptions = {
    fileName,
    ...(languageId !== undefined ? { languageId } : {}),
    ...(kind !== undefined ? { kind, kindSource: options.kind !== undefined ? 'caller' : 'configuration' } : {}),
    ...(neverGrant !== undefined ? { neverGrant } : {}),
  };
  const settings = settingsForFile(options.config, fileName);

  let analysis: Analysis;
  try {
    analysis = await check(text, analyzeOptions, options.catalog, template);
  } catch (error) {
    return fail(`internal error while checking it (${internalMessage(error)}).`);
  }
  if (!analysis.isPolicy) {
    result.isPolicy = false;
    return result;
  }

  if (options.fix) {
    const original = text;
    const initial = analysis;
    // A rule the configuration turns off is neither reported nor fixed.
    const enabled = enabledCodes(settings);
    try {
      let edits = fixAll(text, analysis, enabled);
      let pending = fixWork(analysis);
      for (let pass = 1; edits.length > 0 && pass <= MAX_FIX_PASSES; pass++) {
        const next = applyEdits(text, edits);
        // Each pass must leave the text exactly as long as its edits say, and less for the
        // fixes to mend than it found: anything else is a bug, which more passes would compound.
        const expected = edits.reduce((length, edit) => length + edit.newText.length - edit.length, text.length);
        if (next.length !== expected)
          throw new FixesDiverged(`pass ${pass} made the text ${formatCount(next.length)} characters long where its edits make ${formatCount(expected)}`);
        const nextAnalysis = await check(next, analyzeOptions, options.catalog, template);
        const left = fixWork(nextAnalysis);
        if (left >= pending) throw new FixesDiverged(`pass ${pass} did not reduce the problems it fixes`);
        text = next;
        analysis = nextAnalysis;
        pending = left;
        edits = fixAll(text, analysis, enabled);
      }
    } catch (error) {
      // Keep the file as it was and report what it holds.
      text = original;
      analysis = initial;
      result.error =
        error instanceof FixesDiverged
          ? `the fixes did not converge (${error.message}), left unchanged; this is a bug, please report it.`
          : `internal error while fixing it, left unchanged (${internalMessage(error)}).`;
    }
    if (text !== original) {
      result.fixed = fixedCounts(initial.findings, analysis.findings, enabled);
      if (!isStdin) {
        try {
          writeFileAtomically(target.path, text);
        } catch (error) {
          result.fixed = {};
          result.error = `cannot be written back with its fixes, left unchanged: ${describeFsError(error)}.`;
          text = original;
          analysis = initial;
        }
      }
    }
    if (isStdin) result.fixedText = text;
  }

  try {
    result.findings = place(applySettings(analysis.findings, options.config, settings, sidLookup(analysis.policy)), text);
    result.linted = true;
  } catch (error) {
    return fail(`internal error while checking it (${internalMessage(error)}).`);
  }
  return result;
}

/** A fix pass that did not do what fixes must: the loop stops before it does harm. */
class FixesDiverged extends Error {}

/**
 * What the safe fixes have left to mend, which every pass must reduce: the characters of their
 * findings (a run of disallowed characters that keeps one without an equivalent is still one
 * finding, but a shorter one) and the JSON problems (a fix may bring one to light that the
 * next pass mends, as `[1,,]` becomes `[1,]`; fix-all never leaves more than it found).
 */
function fixWork(analysis: Analysis): number {
  let work = analysis.parsed.problems.length;
  for (const item of analysis.findings) if ((RULES[item.code] as Rule).fixAll !== undefined) work += Math.max(1, item.length);
  return work;
}

/**
 * The configuration's severities and problem cap; the cap's message names the file that set
 * it (the CLI has no iamPolicy.maxNumberOfProblems setting).
 */
function applySettings(findings: readonly Finding[], config: LoadedConfig, settings: RuleSettings, sidAt?: (offset: number) => string | undefined): Finding[] {
  const capSource = config.file === undefined ? undefined : `maxNumberOfProblems in ${config.file}`;
  return applyRuleSettings(findings, settings, capSource, sidAt);
}

/** Problems that are gone after fixing, per code; only codes the configuration reports. */
function fixedCounts(before: readonly Finding[], after: readonly Finding[], enabled: ReadonlySet<string>): Record<string, number> {
  const count = (findings: readonly Finding[]): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const item of findings) if (enabled.has(item.code)) counts.set(item.code, (counts.get(item.code) ?? 0) + 1);
    return counts;
  };
  const remaining = count(after);
  const fixed: Record<string, number> = {};
  for (const [code, n] of count(before)) {
    const gone = n - (remaining.get(code) ?? 0);
    if (gone > 0) fixed[code] = gone;
  }
  return fixed;
}

/**
 * Every property of a finding, which place copies one by one: a spread of findings of several
 * shapes took V8's generic path, 2% of a run over the managed corpus in a CPU profile. A
 * property added to Finding fails to compile here until it is copied below too.
 */
const PLACED_PROPERTIES = { code: true, message: true, severity: true, offset: true, length: true, related: true, data: true } satisfies Record<
  keyof Finding,
  true
>;
void PLACED_PROPERTIES;

function place(findings: readonly Finding[], text: string): PlacedFinding[] {
  if (findings.length === 0) return [];
  const lines = new LineMap(text);
  const placed: PlacedFinding[] = [];
  for (const item of findings) {
    const one: PlacedFinding = {
      code: item.code,
      message: item.message,
      severity: item.severity,
      offset: item.offset,
      length: item.length,
      start: lines.position(item.offset),
      end: lines.position(item.offset + item.length),
    };
    if (item.data !== undefined) one.data = item.data;
    if (item.related !== undefined) {
      one.related = item.related;
      one.relatedPlaces = item.related.map((other) => ({
        message: other.message,
        offset: other.offset,
        length: other.length,
        start: lines.position(other.offset),
        end: lines.position(other.offset + other.length),
      }));
    }
    placed.push(one);
  }
  return placed;
}

/** An internal error's message, first line only: messages never quote the document. */
function internalMessage(error: unknown): string {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return message.split('\n')[0].slice(0, 200);
}

/** The path to show for a file: relative to the working directory when inside it. */
export function displayPath(filePath: string, cwd: string): string {
  return relativeInside(filePath, cwd) ?? filePath;
}
