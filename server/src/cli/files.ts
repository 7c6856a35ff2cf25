/**
 * Which files the linter reads, from its operands: files named explicitly are linted as
 * policies whatever their name; directories and globs yield the files that look like
 * policies (`*.iam.json`, `*.policy.json`, and `*.json` whose top-level object has a
 * `Statement` key, as in the editor) and CloudFormation templates (`*.json`, `*.yaml`, `*.yml`,
 * `*.template`). Walks skip node_modules and .git and do not follow
 * symbolic links to directories (no cycles); the order is stable (by name, operand order).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE_NAME, describeFsError } from '../config';
import { compileGlob, isGlob } from './glob';

export const STDIN = '-';

/** How a file found from an operand is analysed. */
export type FileKind =
  /** Linted as a policy whatever it holds (named explicitly, or *.iam.json / *.policy.json). */
  | 'policy'
  /** A *.json file found by a walk: a policy only if its top-level object has a Statement key, or a CloudFormation template. */
  | 'json'
  /** A *.yaml, *.yml or *.template file found by a walk: linted only if it is a CloudFormation template. */
  | 'template';

export interface Target {
  /** Absolute path, or `-` for standard input. */
  path: string;
  kind: FileKind;
}

export interface Expansion {
  targets: Target[];
  /** Operands that name nothing: missing files, unreadable directories, globs without a match. */
  errors: string[];
}

const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);

/** The kind of a file met in a walk, or undefined when it is not a candidate. */
function walkedFileKind(name: string): FileKind | undefined {
  const lower = name.toLowerCase();
  if (name === CONFIG_FILE_NAME) return undefined;
  if ((lower.endsWith('.iam.json') && lower.length > 9) || (lower.endsWith('.policy.json') && lower.length > 12)) return 'policy';
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml') || lower.endsWith('.template')) return 'template';
  return undefined;
}

export function expandOperands(operands: readonly string[], cwd: string): Expansion {
  const targets: Target[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  const add = (target: Target): void => {
    if (seen.has(target.path)) return;
    seen.add(target.path);
    targets.push(target);
  };

  for (const operand of operands) {
    if (operand === STDIN) {
      add({ path: STDIN, kind: 'policy' });
      continue;
    }
    const normalized = path.sep === '\\' ? operand.replace(/\\/g, '/') : operand;
    const absolute = path.resolve(cwd, operand);
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(absolute);
    } catch (error) {
      if (!isGlob(normalized)) {
        errors.push(`${operand}: ${describeFsError(error)}.`);
        continue;
      }
    }
    if (stat?.isDirectory()) {
      for (const found of walk(absolute, Infinity, errors)) add(found);
    } else if (stat !== undefined) {
      // Named explicitly (also a FIFO or /dev/stdin): a policy, whatever its name.
      add({ path: absolute, kind: 'policy' });
    } else {
      const glob = compileGlob(normalized);
      const base = path.resolve(cwd, glob.base === '' ? '.' : glob.base);
      let matched = 0;
      let baseIsDirectory: boolean;
      try {
        baseIsDirectory = fs.statSync(base).isDirectory();
      } catch {
        baseIsDirectory = false;
      }
      if (baseIsDirectory) {
        for (const found of walk(base, glob.maxDepth, errors)) {
          const relative = path.relative(base, found.path).split(path.sep).join('/');
          if (glob.regex.test(relative)) {
            matched++;
            add(found);
          }
        }
      }
      if (matched === 0) errors.push(`${operand}: no files match this pattern.`);
    }
  }
  return { targets, errors };
}

/** The candidate files under `directory`, sorted by path. */
function walk(directory: string, maxDepth: number, errors: string[]): Target[] {
  const result: Target[] = [];
  const found = (file: string, kind: FileKind): void => void result.push({ path: file, kind });
  const pending: Array<{ dir: string; depth: number }> = [{ dir: directory, depth: 1 }];
  while (pending.length > 0) {
    const { dir, depth } = pending.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      errors.push(`${dir}: cannot read the directory: ${describeFsError(error)}.`);
      continue;
    }
    const subdirectories: string[] = [];
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name) && depth < maxDepth) subdirectories.push(full);
        continue;
      }
      const kind = walkedFileKind(entry.name);
      if (kind === undefined) continue;
      if (entry.isFile()) {
        found(full, kind);
      } else if (entry.isSymbolicLink()) {
        // A link to a file is linted; a link to a directory is not followed.
        try {
          if (fs.statSync(full).isFile()) found(full, kind);
        } catch {
          // A dangling link in a tree is not an operand: nothing to report.
        }
      }
    }
    for (const subdirectory of subdirectories) pending.push({ dir: subdirectory, depth: depth + 1 });
  }
  return result.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
