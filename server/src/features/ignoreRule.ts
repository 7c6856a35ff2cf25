/**
 * "Ignore this rule for this statement" (or "in this file"): a quick fix on every finding that
 * writes an override into the repository's configuration file, which the command-line linter
 * reads as well, so CI agrees with the editor. IAM JSON has no comments to mute a line with.
 *
 * The code action carries a command the server itself carries out (workspace/executeCommand),
 * so it works in any editor: the server writes the file (atomically: a temporary file, then a
 * rename), and checks every open document again.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits as applyJsonEdits, modify } from 'jsonc-parser';
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import type { Finding } from 'iam-policy-engine';
import { CONFIG_FILE_NAME } from '../config';

export const IGNORE_RULE_COMMAND = 'iamPolicy.ignoreRule';

export interface IgnoreRuleArguments {
  /** The configuration file to write (created when missing). */
  configFile: string;
  /** The policy file, relative to the configuration file's folder, with `/`. */
  file: string;
  code: string;
  /** The statement's Sid, to ignore the rule there only. */
  sid?: string;
}

/** The configuration file a quick fix writes to: the one that applies, else one at the workspace folder (or beside the file). */
export function configFileFor(filePath: string, existing: string | undefined, workspaceFolders: readonly string[]): string {
  if (existing !== undefined) return existing;
  const folder = workspaceFolders.filter((candidate) => isInside(candidate, filePath)).sort((a, b) => b.length - a.length)[0];
  return path.join(folder ?? path.dirname(filePath), CONFIG_FILE_NAME);
}

function isInside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** A glob that matches exactly this path: the glob characters escaped. */
function literalGlob(relative: string): string {
  return relative.replace(/[\\*?[\]{}]/g, (char) => `\\${char}`);
}

/** The ignore actions for a finding: for its statement when that has a Sid, else for the file. */
export function ignoreActions(item: Finding, diagnostic: Diagnostic, filePath: string, configFile: string, sid: string | undefined): CodeAction[] {
  const file = literalGlob(path.relative(path.dirname(configFile), filePath).split(path.sep).join('/'));
  const name = path.basename(configFile) === CONFIG_FILE_NAME ? CONFIG_FILE_NAME : configFile;
  const action = (title: string, args: IgnoreRuleArguments): CodeAction => ({
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    command: { title, command: IGNORE_RULE_COMMAND, arguments: [args] },
  });
  const actions: CodeAction[] = [];
  if (sid !== undefined) actions.push(action(`Ignore ${item.code} for statement "${sid}" (in ${name})`, { configFile, file, code: item.code, sid }));
  actions.push(action(`Ignore ${item.code} in this file (in ${name})`, { configFile, file, code: item.code }));
  return actions;
}

/** Whether the arguments a client sent back are ours, well formed. */
export function isIgnoreRuleArguments(value: unknown): value is IgnoreRuleArguments {
  const args = value as Partial<IgnoreRuleArguments> | null;
  return (
    args !== null &&
    typeof args === 'object' &&
    typeof args.configFile === 'string' &&
    path.basename(args.configFile) === CONFIG_FILE_NAME &&
    path.isAbsolute(args.configFile) &&
    typeof args.file === 'string' &&
    typeof args.code === 'string' &&
    (args.sid === undefined || typeof args.sid === 'string')
  );
}

/**
 * Adds the override (or the rule to an override for the same file and Sid) and writes the
 * configuration file atomically, keeping its mode. Throws on an I/O error, with the file named.
 */
export function writeIgnoreOverride(args: IgnoreRuleArguments): void {
  let text = '{}\n';
  let mode: number | undefined;
  try {
    text = fs.readFileSync(args.configFile, 'utf8');
    mode = fs.statSync(args.configFile).mode & 0o7777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  try {
    JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    // Editing text that is not JSON could make it worse: the user mends it first.
    throw new Error(`${args.configFile} is not valid JSON; fix it, then try again.`);
  }
  const formattingOptions = { insertSpaces: true, tabSize: 2, eol: '\n' };
  const overrides = readOverrides(text);
  const same = overrides.findIndex((entry) => sameList(entry.files, [args.file]) && sameList(entry.sids, args.sid === undefined ? undefined : [args.sid]));
  const edits =
    same >= 0
      ? modify(text, ['overrides', same, 'rules', args.code], 'off', { formattingOptions })
      : modify(
          text,
          ['overrides', -1],
          { files: [args.file], ...(args.sid !== undefined ? { sids: [args.sid] } : {}), rules: { [args.code]: 'off' } },
          { formattingOptions, isArrayInsertion: true },
        );
  let updated = applyJsonEdits(text, edits);
  if (!updated.endsWith('\n')) updated += '\n';
  const temporary = path.join(path.dirname(args.configFile), `.${path.basename(args.configFile)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(temporary, updated, { mode: mode ?? 0o644 });
    if (mode !== undefined) fs.chmodSync(temporary, mode);
    fs.renameSync(temporary, args.configFile);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

function readOverrides(text: string): Array<{ files?: unknown; sids?: unknown }> {
  try {
    const value = JSON.parse(text) as { overrides?: unknown };
    return Array.isArray(value.overrides) ? (value.overrides as Array<{ files?: unknown; sids?: unknown }>) : [];
  } catch {
    return [];
  }
}

function sameList(value: unknown, expected: readonly string[] | undefined): boolean {
  if (expected === undefined) return value === undefined;
  return Array.isArray(value) && value.length === expected.length && value.every((item, index) => item === expected[index]);
}
