/**
 * Completion and hover inside a template's policies, by the policy file's own functions
 * (../assist.ts) run on a policy text that stands for the spot:
 *
 * - in a JSON template, the policy's own text (a JSON object, intrinsics included): offsets
 *   only shift, so everything a policy file offers is offered here;
 * - in YAML, the policy's JSON rendering (./render.ts). A hover's range maps back to the
 *   values it covers. Completion on a plain token, or where nothing is typed yet, asks the
 *   YAML parser where the cursor is (./yamlCompletion.ts); inside quotes or a `!Sub`, it is
 *   offered in the literal text that maps one to one, and only the items that can be written
 *   there as they read (no snippet, which is JSON; no `${…}`, which `!Sub` would read as a
 *   reference; nothing a plain scalar would read otherwise).
 */
import type { Completion, CompletionResult } from '../assist';
import { parseJson, type ParsedJson } from '../json';
import type { PlacedPiece, TemplateAnalysis, TemplatePolicy } from './analyzeTemplate';
import { renderedLeafAt, renderingOffset, sourceRange, type RenderedPart } from './render';
import type { Span } from './values';
import { plainScalarReads, yamlCompletionSpot } from './yamlCompletion';

/** A spot of a template as a spot of a policy text. */
export interface TemplateSpot {
  /** The policy text and its parse, to run completion and hover on. */
  text: string;
  parsed: ParsedJson;
  offset: number;
  /** Where a range of `text` is in the template, or undefined when it has no exact place. */
  exactSource(offset: number, length: number): Span | undefined;
  /** Where a range of `text` is in the template, roughly: the values it covers. */
  source(offset: number, length: number): Span;
  /**
   * What to write in the template for an inserted text, or undefined when it cannot be written
   * there as it reads. `partial`: the text is a start that completion is asked again for (`s3:`).
   */
  encode(value: string, snippet: boolean, partial?: boolean): string | undefined;
}

/** The policy text to complete in at a template's offset: in YAML, as the parser reads the cursor's place first. */
export function templateCompletionSpotAt(text: string, template: TemplateAnalysis, offset: number): TemplateSpot | undefined {
  if (template.format === 'yaml') {
    const spot = yamlCompletionSpot(template, offset);
    if (spot !== undefined) return spot;
  }
  return templateSpotAt(text, template, offset);
}

/** The policy of the template at `offset` (a template offset), as a policy text, if any. */
export function templateSpotAt(text: string, template: TemplateAnalysis, offset: number): TemplateSpot | undefined {
  const found = policyAt(template, offset);
  if (found === undefined) return undefined;
  const { piece, policy } = found;
  const relative = offset - piece.offset;
  if (template.format === 'json') {
    const base = piece.offset + policy.valueSpan.start;
    const policyText = text.slice(base, piece.offset + policy.valueSpan.end);
    return {
      text: policyText,
      parsed: parseJson(policyText),
      offset: offset - base,
      exactSource: (at, length) => ({ start: base + at, end: base + at + length }),
      source: (at, length) => ({ start: base + at, end: base + at + length }),
      encode: (value) => value,
    };
  }
  for (const variant of policy.variants) {
    const rendering = variant.rendering;
    const leaf = renderedLeafAt(rendering, relative);
    if (leaf === undefined) continue;
    const exact = renderingOffset(rendering, relative);
    const at = exact?.offset ?? Math.min(leaf.rs + 1, leaf.re);
    const part: RenderedPart | undefined = exact?.part;
    const shift = (span: Span): Span => ({ start: span.start + piece.offset, end: span.end + piece.offset });
    return {
      text: rendering.text,
      parsed: variant.analysis.parsed,
      offset: at,
      exactSource: (start, length) => {
        if (part === undefined || part.exact === undefined || start < part.rs || start + length > part.re) return undefined;
        const from = part.exact + (start - part.rs);
        return shift({ start: from, end: from + length });
      },
      source: (start, length) => shift(sourceRange(rendering, start, length, () => undefined)),
      encode: (value, snippet) => (part?.style === undefined || snippet || value.includes('${') ? undefined : encodeFor(value, part.style)),
    };
  }
  return undefined;
}

/** A completion of the policy text as one of the document: its range and items as written there. */
export function completionInTemplate(spot: TemplateSpot, result: CompletionResult): CompletionResult | undefined {
  const place = spot.exactSource(result.offset, result.length);
  if (place === undefined) return undefined;
  const items: Completion[] = [];
  for (const item of result.items) {
    const insertText = spot.encode(item.insertText, item.snippet === true, item.retrigger === true);
    if (insertText !== undefined) items.push(insertText === item.insertText ? item : { ...item, insertText });
  }
  return { ...result, offset: place.start, length: place.end - place.start, items };
}

/** The innermost policy whose value holds the offset. */
function policyAt(template: TemplateAnalysis, offset: number): { piece: PlacedPiece; policy: TemplatePolicy } | undefined {
  let best: { piece: PlacedPiece; policy: TemplatePolicy } | undefined;
  for (const piece of template.pieces) {
    if (offset < piece.offset || offset > piece.offset + piece.text.length) continue;
    const relative = offset - piece.offset;
    for (const policy of piece.result.policies) {
      if (policy.variants.length === 0 || relative < policy.valueSpan.start || relative > policy.valueSpan.end) continue;
      if (best === undefined || policy.valueSpan.end - policy.valueSpan.start < best.policy.valueSpan.end - best.policy.valueSpan.start)
        best = { piece, policy };
    }
  }
  return best;
}

/**
 * Text for a YAML scalar of this style that reads as `value`. A plain scalar takes only what
 * YAML reads back as the same string: no indicator first, no `: ` or ` #`, no line break, and
 * nothing that would read as another type.
 */
function encodeFor(value: string, style: RenderedPart['style']): string | undefined {
  if (/[\n\r]/.test(value)) return undefined;
  switch (style) {
    case 'plain':
      return /^[A-Za-z0-9]/.test(value) && plainScalarReads(value, false) ? value : undefined;
    case 'single':
      return value.replace(/'/g, "''");
    case 'double':
      return JSON.stringify(value).slice(1, -1);
    default:
      return undefined;
  }
}
