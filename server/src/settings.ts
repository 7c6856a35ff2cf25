/**
 * The server's settings, read through workspace/configuration (section `iamPolicy`) per
 * document, or taken from didChangeConfiguration / initializationOptions for clients that
 * do not support configuration requests. Values a user typed wrongly are ignored, not fatal.
 */
import { type RuleSettings, type SeveritySetting } from './policy/findings';
import { isCode } from './policy/rules';

export interface ServerSettings extends RuleSettings {
  enable: boolean;
  maxNumberOfProblems: number;
  rules: Partial<Record<string, SeveritySetting>>;
}

export const DEFAULT_SETTINGS: Readonly<ServerSettings> = Object.freeze({
  enable: true,
  maxNumberOfProblems: 100,
  rules: {},
});

const SEVERITIES = new Set<string>(['off', 'error', 'warning', 'info']);

/**
 * Reads settings from whatever the client sent. Returns the settings and a list of
 * complaints about values that were ignored (for the log).
 */
export function readSettings(raw: unknown): { settings: ServerSettings; ignored: string[] } {
  const ignored: string[] = [];
  const settings: ServerSettings = { enable: DEFAULT_SETTINGS.enable, maxNumberOfProblems: DEFAULT_SETTINGS.maxNumberOfProblems, rules: {} };
  if (raw === null || typeof raw !== 'object') return { settings, ignored };
  const value = raw as Record<string, unknown>;
  if (typeof value.enable === 'boolean') settings.enable = value.enable;
  else if (value.enable !== undefined) ignored.push('iamPolicy.enable must be true or false');
  if (typeof value.maxNumberOfProblems === 'number' && Number.isFinite(value.maxNumberOfProblems) && value.maxNumberOfProblems >= 1) {
    settings.maxNumberOfProblems = Math.floor(value.maxNumberOfProblems);
  } else if (value.maxNumberOfProblems !== undefined) {
    ignored.push('iamPolicy.maxNumberOfProblems must be a number of at least 1');
  }
  if (value.rules !== undefined && value.rules !== null && typeof value.rules === 'object') {
    for (const [code, severity] of Object.entries(value.rules as Record<string, unknown>)) {
      if (!isCode(code)) ignored.push(`iamPolicy.rules: unknown code ${JSON.stringify(code)}`);
      else if (typeof severity !== 'string' || !SEVERITIES.has(severity)) ignored.push(`iamPolicy.rules.${code}: use off, error, warning or info`);
      else settings.rules[code] = severity as SeveritySetting;
    }
  } else if (value.rules !== undefined) {
    ignored.push('iamPolicy.rules must be an object of code to severity');
  }
  return { settings, ignored };
}
