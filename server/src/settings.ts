/**
 * The server's settings, read through workspace/configuration (section `iamPolicy`) per
 * document, or taken from didChangeConfiguration / initializationOptions for clients that
 * do not support configuration requests. Values a user typed wrongly are ignored, not fatal;
 * the rules and the problem cap are validated as the repository's configuration file is.
 */
import { validateRuleSettings } from './config';
import type { RuleSettings, SeveritySetting } from 'iam-policy-engine';

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
  const valid = validateRuleSettings(value, 'iamPolicy.', (message) => ignored.push(message));
  settings.rules = valid.rules;
  if (valid.maxNumberOfProblems !== undefined) settings.maxNumberOfProblems = valid.maxNumberOfProblems;
  return { settings, ignored };
}

/** Whether two settings check documents alike. */
export function sameSettings(a: ServerSettings, b: ServerSettings): boolean {
  return a.enable === b.enable && a.maxNumberOfProblems === b.maxNumberOfProblems && JSON.stringify(a.rules) === JSON.stringify(b.rules);
}
