/**
 * Quick fixes and fix-all in a template. The engine mends the rendering (the JSON
 * CloudFormation sends); a fix is offered in the template only where its edits fall inside
 * literal text that maps one to one (a plain scalar, a quoted one without escapes, the literal
 * part of a `!Sub`), written in that scalar's own quoting. And each is checked before it is
 * offered: the template with the fix applied must render exactly the mended JSON. Anything
 * else (a fix that would add an element, or reach into folded text) is left out: nothing is
 * offered rather than something that changes more than it says.
 */
import type { Analysis } from '../analyze';
import { applyEdits, type Fix, type TextEdit } from '../edits';
import type { Finding } from '../findings';
import { parseJson } from '../json';
import { RULES, type Rule } from '../rules';
import { originKey, templateShape, type PlacedPiece, type TemplateAnalysis, type TemplatePolicy } from './analyzeTemplate';
import { render, resolve, type RNode, type Rendering, type RenderedPart } from './render';
import { findDocuments } from './resources';
import type { ScalarStyle } from './values';

/** The fixes of one finding of a template, in the template's offsets. */
export function templateFixes(
  text: string,
  analysis: Analysis,
  item: Finding,
  fixesOfRendering: (text: string, analysis: Analysis, item: Finding) => Fix[],
): Fix[] {
  const template = analysis.template!;
  if (item.data !== undefined) {
    // A finding of the template itself (sub-policy-variable): its edits are the template's.
    const rule: Rule = RULES[item.code];
    return rule.fixes?.(item, { text, analysis }) ?? [];
  }
  const piece = pieceAt(template, item.offset);
  if (piece === undefined) return [];
  const origin = piece.result.origins.get(originKey({ ...item, offset: item.offset - piece.offset }));
  if (origin === undefined) return [];
  const policy = piece.result.policies[origin.policy];
  const variant = policy.variants[origin.variant];
  const fixes: Fix[] = [];
  for (const fix of fixesOfRendering(variant.rendering.text, variant.analysis, origin.finding)) {
    if (fix.renameTo !== undefined) continue;
    const edits = templateEdits(variant.rendering, fix.edits, piece.offset);
    if (edits === undefined) continue;
    if (!rendersAs(template, piece, policy, applyEdits(text, edits), [{ variant: origin.variant, expected: applyEdits(variant.rendering.text, fix.edits) }]))
      continue;
    const mapped: Fix = { title: fix.title, edits };
    if (fix.isPreferred === true) mapped.isPreferred = true;
    fixes.push(mapped);
  }
  return fixes;
}

/** At most this many checks (re-reading a resource each) to find which edits of a policy's fix-all do harm. */
const MAX_CHECKS = 24;

/**
 * Every safe fix of a template at once: each policy's fix-all, where it maps and checks out.
 * When the whole of a policy's edits does not, the edits that do are kept one by one.
 */
export function templateFixAll(text: string, template: TemplateAnalysis, fixAllOfRendering: (text: string, analysis: Analysis) => TextEdit[]): TextEdit[] {
  const all: TextEdit[] = [];
  for (const piece of template.pieces) {
    for (const policy of piece.result.policies) {
      // Each template edit, with the rendering edits (per variant) it stands for.
      const groups = new Map<string, { edit: TextEdit; rendering: Array<{ variant: number; edit: TextEdit }> }>();
      policy.variants.forEach((variant, index) => {
        for (const renderingEdit of fixAllOfRendering(variant.rendering.text, variant.analysis)) {
          const mapped = templateEdits(variant.rendering, [renderingEdit], piece.offset)?.[0];
          if (mapped === undefined) continue;
          const key = `${mapped.offset}|${mapped.length}|${mapped.newText}`;
          const group = groups.get(key) ?? { edit: mapped, rendering: [] };
          group.rendering.push({ variant: index, edit: renderingEdit });
          groups.set(key, group);
        }
      });
      if (groups.size === 0) continue;
      const candidates = [...groups.values()].sort((a, b) => a.edit.offset - b.edit.offset);
      const works = (chosen: typeof candidates): boolean => {
        const edits = chosen.map((group) => group.edit);
        if (edits.some((edit, index) => index > 0 && edits[index - 1].offset + edits[index - 1].length > edit.offset)) return false;
        const expected = policy.variants.map((variant, index) => ({
          variant: index,
          expected: applyEdits(
            variant.rendering.text,
            chosen.flatMap((group) => group.rendering.filter((entry) => entry.variant === index).map((entry) => entry.edit)),
          ),
        }));
        try {
          return rendersAs(template, piece, policy, applyEdits(text, edits), expected);
        } catch {
          return false;
        }
      };
      if (works(candidates)) {
        all.push(...candidates.map((group) => group.edit));
        continue;
      }
      const kept: typeof candidates = [];
      let budget = MAX_CHECKS;
      for (const candidate of candidates) {
        if (budget-- <= 0) break;
        if (works([...kept, candidate])) kept.push(candidate);
      }
      all.push(...kept.map((group) => group.edit));
    }
  }
  return all.sort((a, b) => a.offset - b.offset);
}

/** The piece that holds an offset. */
export function pieceAt(template: TemplateAnalysis, offset: number): PlacedPiece | undefined {
  for (const piece of template.pieces) {
    if (offset >= piece.offset && offset <= piece.offset + piece.text.length) return piece;
  }
  return undefined;
}

/**
 * Edits of the rendering as edits of the template (absolute offsets), or undefined when one
 * does not fall inside a literal stretch that maps one to one.
 */
function templateEdits(rendering: Rendering, edits: readonly TextEdit[], base: number): TextEdit[] | undefined {
  const result: TextEdit[] = [];
  for (const original of edits) {
    const edit = insideToken(rendering.root, original);
    const part = partHolding(rendering.root, edit.offset, edit.offset + edit.length);
    if (part === undefined || part.exact === undefined || part.style === undefined || part.style === 'block') return undefined;
    let value: string;
    try {
      value = JSON.parse(`"${edit.newText}"`) as string;
    } catch {
      return undefined;
    }
    const encoded = encode(value, part.style);
    if (encoded === undefined) return undefined;
    result.push({ offset: base + part.exact + (edit.offset - part.rs), length: edit.length, newText: encoded });
  }
  return result;
}

/** The literal part of a rendered string or key that holds [start, end] (its ends included). */
function partHolding(root: RNode, start: number, end: number): RenderedPart | undefined {
  let node: RNode = root;
  for (;;) {
    if (node.parts !== undefined) return node.parts.find((part) => !part.unknown && part.rs <= start && end <= part.re);
    const child = node.children?.find((candidate) => candidate.rs <= start && end <= candidate.re);
    if (child === undefined) return undefined;
    node = child;
  }
}

/** A string token replaced whole (`"s3:GetObjet"` by `"s3:GetObject"`): as an edit of its content. */
function insideToken(root: RNode, edit: TextEdit): TextEdit {
  let node: RNode = root;
  for (;;) {
    if (node.parts !== undefined) break;
    const child = node.children?.find((candidate) => candidate.rs <= edit.offset && edit.offset + edit.length <= candidate.re);
    if (child === undefined) return edit;
    node = child;
  }
  if (node.rs !== edit.offset || node.re !== edit.offset + edit.length) return edit;
  try {
    const value = JSON.parse(edit.newText) as unknown;
    if (typeof value !== 'string') return edit;
    return { offset: node.rs + 1, length: node.re - node.rs - 2, newText: JSON.stringify(value).slice(1, -1) };
  } catch {
    return edit;
  }
}

/** Text for a scalar of this style that reads as `value`; the check after it has the last word. */
function encode(value: string, style: ScalarStyle): string | undefined {
  switch (style) {
    case 'plain':
      return /[\n\r]/.test(value) ? undefined : value;
    case 'single':
      return /[\n\r]/.test(value) ? undefined : value.replace(/'/g, "''");
    case 'double':
    case 'json':
      return JSON.stringify(value).slice(1, -1);
    default:
      return undefined;
  }
}

/**
 * Whether the template, fixed, renders the policy as expected: its piece read again, the same
 * resource and document found, resolved and rendered per variant.
 */
function rendersAs(
  template: TemplateAnalysis,
  piece: PlacedPiece,
  policy: TemplatePolicy,
  fixed: string,
  expected: ReadonlyArray<{ variant: number; expected: string }>,
): boolean {
  const rendered = renderPolicy(fixed, template.format, piece.offset, policy);
  if (rendered === undefined) return false;
  return expected.every(({ variant, expected: text }) => rendered[variant]?.text === text);
}

/** The renderings of a policy of the template text, found again by its piece, resource and place. */
export function renderPolicy(text: string, format: TemplateAnalysis['format'], pieceOffset: number, policy: TemplatePolicy): Rendering[] | undefined {
  const shape = templateShape(text, { languageId: format }, parseJson);
  const piece = shape?.pieces.find((candidate) => candidate.offset === pieceOffset);
  if (piece === undefined) return undefined;
  const content = piece.read();
  if (content.problems.length > 0) return undefined;
  const resource = content.resources.find((candidate) => candidate.logicalId === policy.logicalId);
  if (resource === undefined) return undefined;
  const document = findDocuments(resource.value)[policy.documentIndex];
  if (document === undefined || document.where !== policy.where) return undefined;
  const renderings: Rendering[] = [];
  for (const branch of [0, 1] as const) {
    const resolution = { sawIf: false, subIssues: [] };
    const resolved = resolve(document.entry.value, branch, resolution);
    if (resolved?.t !== 'object') break;
    renderings.push(render(resolved));
    if (!resolution.sawIf) break;
  }
  return renderings;
}
