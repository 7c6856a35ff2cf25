/**
 * Fixes, as the rule table gives them: the quick fixes of one finding, and every safe fix at
 * once (fix-all, fix on save, `iam-policy-lint --fix`). Pure functions over text and analysis.
 */
import type { Analysis } from './analyze';
import type { Fix, TextEdit } from './edits';
import type { Finding } from './findings';
import { RULES, type Code, type Rule } from './rules';
import { keepingTheParse } from './safeEdits';
import { templateFixAll, templateFixes } from './cfn/fixes';

export { applyEdits, type Fix, type TextEdit } from './edits';
export { validPolicyFileName } from './checks/names';

/** The fixes for one finding, the preferred first. (`_fileName` is kept for callers: the check already knows it.) */
export function fixesFor(text: string, analysis: Analysis, item: Finding, _fileName?: string): Fix[] {
  // In a template, the fixes of the policy's rendering, where they map to the template's text.
  if (analysis.template !== undefined)
    return templateFixes(text, analysis, item, (rendering, renderingAnalysis, origin) => fixesFor(rendering, renderingAnalysis, origin));
  const rule: Rule = RULES[item.code];
  return rule.fixes?.(item, { text, analysis }) ?? [];
}

/**
 * Every safe fix at once: the edits of each rule that has a fix for fix-all, for the findings
 * it reported. Sorted by place.
 *
 * `fixable`, when given, is the set of codes whose findings may be fixed: a caller with rule
 * settings passes the codes they do not turn off (see `enabledCodes`), so a rule set to
 * "off" is neither reported nor fixed. Left out, every safe fix is made.
 */
export function fixAll(text: string, analysis: Analysis, fixable?: ReadonlySet<string>): TextEdit[] {
  if (!analysis.isPolicy) return [];
  if (analysis.template !== undefined)
    return templateFixAll(text, analysis.template, (rendering, renderingAnalysis) => fixAll(rendering, renderingAnalysis, fixable));
  const byCode = new Map<Code, Finding[]>();
  for (const item of analysis.findings) {
    const rule: Rule = RULES[item.code];
    if (rule.fixAll === undefined || (fixable !== undefined && !fixable.has(item.code))) continue;
    const list = byCode.get(item.code);
    if (list === undefined) byCode.set(item.code, [item]);
    else list.push(item);
  }
  const edits: TextEdit[] = [];
  for (const [code, items] of byCode) {
    const rule: Rule = RULES[code];
    edits.push(...rule.fixAll!(items, { text, analysis }));
  }
  // Safe means the document parses at least as well afterwards: see ./safeEdits.ts.
  return keepingTheParse(
    text,
    analysis.parsed,
    edits.sort((a, b) => a.offset - b.offset),
  );
}
