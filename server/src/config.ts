/**
 * The repository's configuration file, `.iam-policy.json`, read by the command-line linter
 * and (through the same functions) by the language server, so both give the same verdict.
 *
 *     { "rules": { "json-trailing-comma": "warning", "invalid-policy-file-name": "off" },
 *       "maxNumberOfProblems": 200,
 *       "kinds": { "org/scps/*.json": "scp", "*.trust.json": "trust" },
 *       "overrides": [{ "files": ["legacy/**"], "sids": ["OldAdmin"], "rules": { "passrole-wildcard": "off" } }],
 *       "neverGrant": ["iam:CreateAccessKey", { "actions": ["s3:DeleteBucket"], "resources": ["arn:aws:s3:::prod-*"] }] }
 *
 * Globs (in `kinds` and `overrides[].files`) are relative to the file's folder, with `/`;
 * a glob without `/` matches a file name in any folder below it.
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
import {
  closest,
  CODES,
  isCode,
  isPolicyKind,
  POLICY_KINDS,
  type Code,
  type NeverGrant,
  type PolicyKind,
  type RuleOverride,
  type RuleSettings,
  type SeveritySetting,
} from 'iam-policy-engine';
import { compileGlob } from './cli/glob';

export const CONFIG_FILE_NAME = '.iam-policy.json';

const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['off', 'error', 'warning', 'info'];
const TOP_LEVEL_KEYS = ['rules', 'maxNumberOfProblems', 'kinds', 'overrides', 'neverGrant'];
/** Accepted and ignored: lets editors offer completion from a JSON schema. */
const IGNORED_KEYS = new Set(['$schema']);

export interface PolicyConfig extends RuleSettings {
  rules: Partial<Record<Code, SeveritySetting>>;
  /** Absent when the file does not set it: each front end has its own default. */
  maxNumberOfProblems?: number;
  /** Kinds named by glob, in the file's order: the first that matches a policy wins. */
  kinds?: Array<{ glob: string; matches: (relative: string) => boolean; kind: PolicyKind }>;
  /** Overrides for the files their globs match (all files without `files`), in order. */
  fileOverrides?: Array<RuleOverride & { files?: string[]; matches: (relative: string) => boolean }>;
  /** What no policy may grant: actions, optionally on some resources (the `forbidden-grant` rule). */
  neverGrant?: NeverGrant[];
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
    complain(
      `unknown key ${JSON.stringify(key)}${suggestion(key, TOP_LEVEL_KEYS)}; the keys are "rules", "maxNumberOfProblems", "kinds", "overrides" and "neverGrant".`,
    );
  }
  const valid = validateRuleSettings(value, '', complain);
  config.rules = valid.rules;
  if (valid.maxNumberOfProblems !== undefined) config.maxNumberOfProblems = valid.maxNumberOfProblems;
  const kinds = value.kinds;
  if (kinds !== undefined) {
    if (kinds === null || typeof kinds !== 'object' || Array.isArray(kinds)) {
      complain('"kinds" must be an object of file glob to policy kind, such as {"scps/*.json": "scp"}.');
    } else {
      config.kinds = [];
      for (const [glob, kind] of Object.entries(kinds as Record<string, unknown>)) {
        if (!isPolicyKind(kind)) {
          complain(
            `kinds.${glob}: ${JSON.stringify(kind) ?? String(kind)} is not a policy kind${typeof kind === 'string' ? suggestion(kind, POLICY_KINDS) : ''}; the kinds are ${POLICY_KINDS.map((name) => `"${name}"`).join(', ')}.`,
          );
          continue;
        }
        config.kinds.push({ glob, matches: globMatcher(glob), kind });
      }
    }
  }
  const overrides = value.overrides;
  if (overrides !== undefined) {
    if (!Array.isArray(overrides)) {
      complain('"overrides" must be an array of objects such as {"files": ["legacy/**"], "rules": {"passrole-wildcard": "off"}}.');
    } else {
      config.fileOverrides = [];
      overrides.forEach((entry: unknown, index) => {
        const where = `overrides[${index}]`;
        if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
          complain(`${where} must be an object with "rules", and optionally "files" and "sids".`);
          return;
        }
        const item = entry as Record<string, unknown>;
        for (const key of Object.keys(item)) {
          if (!['files', 'sids', 'rules'].includes(key))
            complain(`${where}: unknown key ${JSON.stringify(key)}${suggestion(key, ['files', 'sids', 'rules'])}; the keys are "files", "sids" and "rules".`);
        }
        const strings = (key: 'files' | 'sids'): string[] | undefined | null => {
          const list = item[key];
          if (list === undefined) return undefined;
          if (Array.isArray(list) && list.every((one) => typeof one === 'string' && one !== '')) return list as string[];
          complain(`${where}.${key} must be an array of non-empty strings.`);
          return null;
        };
        const files = strings('files');
        const sids = strings('sids');
        if (item.rules === undefined) complain(`${where} has no "rules": say which rules it sets, as in {"passrole-wildcard": "off"}.`);
        const rules = validateRuleSettings({ rules: item.rules }, `${where}.`, complain).rules;
        if (files === null || sids === null) return;
        const matchers = (files ?? []).map(globMatcher);
        config.fileOverrides!.push({
          rules,
          ...(files !== undefined ? { files } : {}),
          ...(sids !== undefined ? { sids } : {}),
          matches: files === undefined ? () => true : (relative) => matchers.some((match) => match(relative)),
        });
      });
    }
  }
  if (value.neverGrant !== undefined) {
    const neverGrant = validateNeverGrant(value.neverGrant, complain);
    if (neverGrant !== undefined) config.neverGrant = neverGrant;
  }
  return { config, errors };
}

/** An action as a policy writes it: `*`, or service:Action with * and ? wildcards. */
const ACTION_PATTERN = /^(\*|[A-Za-z0-9*?-]+:[A-Za-z0-9_*?-]+)$/;

/**
 * "neverGrant": an array of action patterns (`"iam:PassRole"`) or objects with "actions" and
 * optionally "resources" (`{"actions": ["s3:DeleteBucket"], "resources": ["arn:aws:s3:::prod-*"]}`).
 * The valid entries are kept; each invalid one is named.
 */
function validateNeverGrant(raw: unknown, complain: (message: string) => void): NeverGrant[] | undefined {
  const example = '["iam:PassRole", {"actions": ["s3:DeleteBucket"], "resources": ["arn:aws:s3:::prod-*"]}]';
  if (!Array.isArray(raw)) {
    complain(`"neverGrant" must be an array of actions or of objects with "actions" and "resources", such as ${example}.`);
    return undefined;
  }
  const entries: NeverGrant[] = [];
  raw.forEach((item: unknown, index) => {
    const where = `neverGrant[${index}]`;
    const actionProblem = (action: unknown): string | undefined =>
      typeof action === 'string' && ACTION_PATTERN.test(action)
        ? undefined
        : `${JSON.stringify(action) ?? String(action)} is not an action such as "iam:PassRole" or "s3:Delete*"`;
    if (typeof item === 'string') {
      const problem = actionProblem(item);
      if (problem !== undefined) complain(`${where}: ${problem}.`);
      else entries.push({ actions: [item] });
      return;
    }
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      complain(`${where} must be an action or an object with "actions" and optionally "resources", such as {"actions": ["iam:PassRole"], "resources": ["*"]}.`);
      return;
    }
    const entry = item as Record<string, unknown>;
    for (const key of Object.keys(entry)) {
      if (key !== 'actions' && key !== 'resources')
        complain(`${where}: unknown key ${JSON.stringify(key)}${suggestion(key, ['actions', 'resources'])}; the keys are "actions" and "resources".`);
    }
    const actions = entry.actions;
    if (!Array.isArray(actions) || actions.length === 0) {
      complain(`${where}.actions must be a non-empty array of actions such as ["iam:PassRole"].`);
      return;
    }
    const problems = actions.map(actionProblem).filter((problem): problem is string => problem !== undefined);
    if (problems.length > 0) {
      complain(`${where}.actions: ${problems[0]}.`);
      return;
    }
    const resources = entry.resources;
    if (resources !== undefined) {
      const valid =
        Array.isArray(resources) &&
        resources.length > 0 &&
        resources.every((resource) => typeof resource === 'string' && (resource === '*' || resource.startsWith('arn:')));
      if (!valid) {
        complain(`${where}.resources must be a non-empty array of ARNs (with * and ? wildcards) or "*".`);
        return;
      }
    }
    entries.push({ actions: actions as string[], ...(resources !== undefined ? { resources: resources as string[] } : {}) });
  });
  return entries;
}

/**
 * A glob of the configuration file, relative to its folder: with a `/`, against the path from
 * there; without one, against the file name, in any folder below.
 */
function globMatcher(glob: string): (relative: string) => boolean {
  const pattern = glob.replace(/^\.\//, '');
  const { base, regex } = compileGlob(pattern.includes('/') ? pattern : `**/${pattern}`);
  return (relative) => {
    const path = base === '' ? relative : relative.startsWith(`${base}/`) ? relative.slice(base.length + 1) : undefined;
    return path !== undefined && regex.test(path);
  };
}

/** The path of a file relative to a configuration file's folder, with `/`; undefined outside it. */
function relativeTo(loaded: LoadedConfig, filePath: string): string | undefined {
  if (loaded.file === undefined) return undefined;
  const relative = path.relative(path.dirname(loaded.file), path.resolve(filePath));
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return relative.split(path.sep).join('/');
}

/** The kind the configuration names for a file, if any. */
export function configuredKind(loaded: LoadedConfig, filePath: string): PolicyKind | undefined {
  const relative = relativeTo(loaded, filePath);
  if (relative === undefined) return undefined;
  return loaded.config.kinds?.find((entry) => entry.matches(relative))?.kind;
}

/** The rule settings of the configuration for one file: its rules, cap, and the overrides that match it. */
export function settingsForFile(loaded: LoadedConfig, filePath: string | undefined): RuleSettings {
  const { rules, maxNumberOfProblems } = loaded.config;
  const relative = filePath === undefined ? undefined : relativeTo(loaded, filePath);
  const overrides = (loaded.config.fileOverrides ?? [])
    .filter((entry) => (entry.files === undefined ? true : relative !== undefined && entry.matches(relative)))
    .map((entry): RuleOverride => (entry.sids === undefined ? { rules: entry.rules } : { rules: entry.rules, sids: entry.sids }));
  return { rules, ...(maxNumberOfProblems !== undefined ? { maxNumberOfProblems } : {}), ...(overrides.length > 0 ? { overrides } : {}) };
}

/**
 * The valid rule overrides and problem cap in `value`, with a complaint (through `complain`)
 * for each value that is not: one validation for the editor's settings (`iamPolicy.`) and the
 * repository's configuration file (no prefix), so both accept and refuse the same values.
 */
export function validateRuleSettings(
  value: { rules?: unknown; maxNumberOfProblems?: unknown },
  prefix: string,
  complain: (message: string) => void,
): { rules: Partial<Record<Code, SeveritySetting>>; maxNumberOfProblems?: number } {
  const result: { rules: Partial<Record<Code, SeveritySetting>>; maxNumberOfProblems?: number } = { rules: {} };
  const rules = value.rules;
  if (rules !== undefined) {
    if (rules === null || typeof rules !== 'object' || Array.isArray(rules)) {
      complain(`"${prefix}rules" must be an object of rule code to "off", "error", "warning" or "info".`);
    } else {
      for (const [code, severity] of Object.entries(rules as Record<string, unknown>)) {
        if (!isCode(code)) {
          complain(`${prefix}rules: unknown rule code ${JSON.stringify(code)}${suggestion(code, CODES)}.`);
        } else if (typeof severity !== 'string' || !(SEVERITY_SETTINGS as readonly string[]).includes(severity)) {
          const shown = JSON.stringify(severity) ?? String(severity);
          const hint = typeof severity === 'string' ? suggestion(severity, SEVERITY_SETTINGS) : '';
          complain(`${prefix}rules.${code}: ${shown} is not a severity${hint}; use "off", "error", "warning" or "info".`);
        } else {
          result.rules[code] = severity as SeveritySetting;
        }
      }
    }
  }
  const max = value.maxNumberOfProblems;
  if (max !== undefined) {
    if (typeof max === 'number' && Number.isInteger(max) && max >= 1) result.maxNumberOfProblems = max;
    else complain(`"${prefix}maxNumberOfProblems" must be a whole number of at least 1, not ${JSON.stringify(max) ?? String(max)}.`);
  }
  return result;
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
    for (let dir = directory; ;) {
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

/** ` (did you mean "x"?)` when a known word is a small edit away or starts with it ("warn"), else nothing. */
function suggestion(word: string, known: readonly string[]): string {
  // "warn" for "warning", "err" for "error": a prefix counts too.
  const prefix = known.find((candidate) => word.length >= 3 && candidate.startsWith(word.toLowerCase()));
  const best = prefix ?? closest(word, known, Math.max(2, Math.floor(word.length / 3)));
  return best === undefined ? '' : ` (did you mean ${JSON.stringify(best)}?)`;
}
