/**
 * The repository's configuration file, `.iam-policy.json`, read by the command-line linter
 * and (through the same functions) by the language server, so both give the same verdict.
 *
 *     { "rules": { "json-trailing-comma": "warning", "invalid-policy-file-name": "off" },
 *       "maxNumberOfProblems": 200 }
 *
 * The file that applies to a policy is the nearest one found walking up from the policy's
 * directory to the filesystem root; files are not merged. Mistakes in it are reported with
 * the file's path and the key at fault, never silently ignored: a linter that quietly runs
 * with other rules than the ones written down gives CI a verdict nobody asked for.
 *
 * Node's fs is used here, which is why this is not in ./policy (the engine stays pure).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CODES, isCode, type Code, type RuleSettings, type SeveritySetting } from './policy/findings';

export const CONFIG_FILE_NAME = '.iam-policy.json';

const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['off', 'error', 'warning', 'info'];
const TOP_LEVEL_KEYS = ['rules', 'maxNumberOfProblems'];
/** Accepted and ignored: lets editors offer completion from a JSON schema. */
const IGNORED_KEYS = new Set(['$schema']);

export interface PolicyConfig extends RuleSettings {
  rules: Partial<Record<Code, SeveritySetting>>;
  /** Absent when the file does not set it: each front end has its own default. */
  maxNumberOfProblems?: number;
}

export interface LoadedConfig {
  /** Absolute path of the file, or undefined when no configuration file applies. */
  file: string | undefined;
  /** The settings read; only the valid parts of a file with errors. */
  config: PolicyConfig;
  /** What is wrong with the file, one complete sentence each, prefixed with its path. */
  errors: string[];
}

const NO_CONFIG: LoadedConfig = Object.freeze({ file: undefined, config: Object.freeze({ rules: Object.freeze({}) }) as PolicyConfig, errors: [] });

/** Validates the text of a configuration file. Pure: `file` is only used in messages. */
export function parseConfig(text: string, file: string): { config: PolicyConfig; errors: string[] } {
  const config: PolicyConfig = { rules: {} };
  const errors: string[] = [];
  const complain = (message: string): void => void errors.push(`${file}: ${message}`);
  let raw: unknown;
  try {
    raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    complain(`not valid JSON (${error instanceof Error ? error.message : String(error)}).`);
    return { config, errors };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    complain('must hold a JSON object such as {"rules": {"json-trailing-comma": "warning"}}.');
    return { config, errors };
  }
  const value = raw as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    if (TOP_LEVEL_KEYS.includes(key) || IGNORED_KEYS.has(key)) continue;
    complain(`unknown key ${JSON.stringify(key)}${suggestion(key, TOP_LEVEL_KEYS)}; the keys are "rules" and "maxNumberOfProblems".`);
  }
  const rules = value.rules;
  if (rules !== undefined) {
    if (rules === null || typeof rules !== 'object' || Array.isArray(rules)) {
      complain('"rules" must be an object of rule code to "off", "error", "warning" or "info".');
    } else {
      for (const [code, severity] of Object.entries(rules as Record<string, unknown>)) {
        if (!isCode(code)) {
          complain(`rules: unknown rule code ${JSON.stringify(code)}${suggestion(code, CODES)}.`);
        } else if (typeof severity !== 'string' || !(SEVERITY_SETTINGS as readonly string[]).includes(severity)) {
          const shown = typeof severity === 'string' ? JSON.stringify(severity) : JSON.stringify(severity) ?? String(severity);
          const hint = typeof severity === 'string' ? suggestion(severity, SEVERITY_SETTINGS) : '';
          complain(`rules.${code}: ${shown} is not a severity${hint}; use "off", "error", "warning" or "info".`);
        } else {
          config.rules[code] = severity as SeveritySetting;
        }
      }
    }
  }
  const max = value.maxNumberOfProblems;
  if (max !== undefined) {
    if (typeof max === 'number' && Number.isInteger(max) && max >= 1) config.maxNumberOfProblems = max;
    else complain(`"maxNumberOfProblems" must be a whole number of at least 1, not ${JSON.stringify(max)}.`);
  }
  return { config, errors };
}

/** Reads and validates one configuration file; a file that cannot be read is an error in it. */
export function readConfigFile(file: string): LoadedConfig {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = fs.readFileSync(absolute, 'utf8');
  } catch (error) {
    return { file: absolute, config: { rules: {} }, errors: [`${absolute}: cannot be read: ${describeFsError(error)}.`] };
  }
  return { file: absolute, ...parseConfig(text, absolute) };
}

/** The nearest `.iam-policy.json` in `directory` or above it, without caching. */
export function findConfigFile(directory: string): string | undefined {
  for (let dir = path.resolve(directory); ; ) {
    const candidate = path.join(dir, CONFIG_FILE_NAME);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Finds and reads configuration files, remembering for each directory which file applies
 * and for each file what it says, so linting a thousand policies reads each file once.
 * A long-running process (the language server) calls `clear()` when a configuration file
 * is created, changed or deleted.
 */
export class ConfigCache {
  private readonly fileForDirectory = new Map<string, string | undefined>();
  private readonly loaded = new Map<string, LoadedConfig>();

  /** The configuration that applies to files in `directory`. */
  forDirectory(directory: string): LoadedConfig {
    const file = this.find(path.resolve(directory));
    if (file === undefined) return NO_CONFIG;
    let config = this.loaded.get(file);
    if (config === undefined) {
      config = readConfigFile(file);
      this.loaded.set(file, config);
    }
    return config;
  }

  /** The configuration that applies to the file at `filePath`. */
  forFile(filePath: string): LoadedConfig {
    return this.forDirectory(path.dirname(path.resolve(filePath)));
  }

  clear(): void {
    this.fileForDirectory.clear();
    this.loaded.clear();
  }

  private find(directory: string): string | undefined {
    const visited: string[] = [];
    let found: string | undefined;
    for (let dir = directory; ; ) {
      if (this.fileForDirectory.has(dir)) {
        found = this.fileForDirectory.get(dir);
        break;
      }
      visited.push(dir);
      const candidate = path.join(dir, CONFIG_FILE_NAME);
      if (fs.existsSync(candidate)) {
        found = candidate;
        break;
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    for (const dir of visited) this.fileForDirectory.set(dir, found);
    return found;
  }
}

/** The error of a failed fs call in words, without a stack: `no such file or directory (ENOENT)`. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const words: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EISDIR: 'is a directory',
    ENOTDIR: 'a part of the path is not a directory',
    EMFILE: 'too many open files',
    ELOOP: 'too many symbolic links',
    ERR_FS_FILE_TOO_LARGE: 'too large to read',
    EFBIG: 'file too large (a file size limit)',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    EROFS: 'read-only file system',
  };
  if (code !== undefined && words[code] !== undefined) return `${words[code]} (${code})`;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** ` (did you mean "x"?)` when a known word is a small edit away, else nothing. */
function suggestion(word: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(2, Math.floor(word.length / 3));
  // "warn" for "warning", "err" for "error": a prefix counts too.
  const prefix = known.find((candidate) => word.length >= 3 && candidate.startsWith(word.toLowerCase()));
  if (prefix !== undefined) return ` (did you mean ${JSON.stringify(prefix)}?)`;
  return best !== undefined && bestDistance <= allowed ? ` (did you mean ${JSON.stringify(best)}?)` : '';
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 8) return Infinity;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
