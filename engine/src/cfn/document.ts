/**
 * A template as a document of the editor or the linter: whether it is one, and its analysis in
 * the engine's `Analysis` shape (with `template` set), so callers keep one path for both.
 */
import type { Analysis } from '../analyze';
import type { Catalog } from '../catalog';
import { parseJson, type ParsedJson } from '../json';
import { analyzeTemplate, templateShape, type TemplateOptions } from './analyzeTemplate';
import { looksLikeTemplate, mayBeTemplateFile } from './template';

const NOTHING: ParsedJson = { root: undefined, problems: [], depth: 0 };

/**
 * Whether a document may be a template, by its language and name alone: YAML, and JSON or
 * files named `*.yaml`, `*.yml`, `*.json`, `*.template`. Its content decides the rest.
 */
export function mayBeTemplate(fileName: string | undefined, languageId: string | undefined): boolean {
  if (languageId === 'yaml') return true;
  if (languageId === 'iam-policy') return false;
  if (fileName === undefined) return languageId === 'json' || languageId === 'jsonc';
  return mayBeTemplateFile(fileName);
}

/** The analysis of a template's policies, or undefined when the text is not a template. */
export function analyzeTemplateDocument(text: string, options: TemplateOptions = {}): Analysis | undefined {
  if (!looksLikeTemplate(text)) return undefined;
  let parsed = options.parsed;
  const shape = templateShape(text, options, (json) => (parsed = parseJson(json)));
  if (shape === undefined) return undefined;
  const template = analyzeTemplate(shape, { ...options, ...(parsed !== undefined ? { parsed } : {}) });
  return {
    isPolicy: true,
    parsed: shape.format === 'json' ? (parsed ?? NOTHING) : NOTHING,
    policy: undefined,
    findings: template.findings,
    kind: 'identity',
    kindSource: 'inferred',
    missingServices: template.missingServices,
    template,
  };
}

/** The same, with every service the policies name loaded first (the linter, tests). */
export async function analyzeTemplateFully(text: string, options: TemplateOptions & { catalog: Catalog }): Promise<Analysis | undefined> {
  let analysis = analyzeTemplateDocument(text, options);
  for (let round = 0; round < 3 && analysis !== undefined && analysis.missingServices.size > 0; round++) {
    await options.catalog.load(analysis.missingServices);
    analysis = analyzeTemplateDocument(text, options);
  }
  return analysis;
}
