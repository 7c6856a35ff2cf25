/**
 * Properties of every fix, over thousands of random documents and real policies mutated the way
 * pasting and typing break them (test/support/mutations.ts): findings and edits stay inside the
 * text, an edit never overlaps another, the document grows by the replacement text only, fix-all
 * never leaves more JSON problems than it found, and applying it again and again converges.
 * Seeded: the seed is printed, IAM_POLICY_SEED=<seed> replays a failure.
 */
import * as assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyze, type Analysis } from 'iam-policy-engine/analyze';
import { createCatalog } from '../../server/src/catalogFiles';
import type { Catalog } from 'iam-policy-engine/catalog';
import { applyEdits, fixAll, fixesFor, type TextEdit } from 'iam-policy-engine/fixes';
import { randomDocument, seedFromEnvironment } from '../support/mutations';
import { Random } from '../support/random';

/** Passes of fix-all after which a document must have nothing left to fix. */
const MAX_PASSES = 10;

function assertEditsInside(text: string, edits: readonly TextEdit[], what: string): void {
  const sorted = [...edits].sort((a, b) => a.offset - b.offset);
  let end = 0;
  for (const edit of sorted) {
    assert.ok(Number.isInteger(edit.offset) && Number.isInteger(edit.length) && edit.offset >= 0 && edit.length >= 0, `${what}: ${JSON.stringify(edit)}`);
    assert.ok(edit.offset + edit.length <= text.length, `${what}: ${JSON.stringify(edit)} past the end (${text.length})`);
    assert.ok(edit.offset >= end, `${what}: ${JSON.stringify(edit)} overlaps the edit before`);
    end = edit.offset + edit.length;
  }
}

/** Applies the edits, checking the text changes by exactly what they replace. */
function applyChecked(text: string, edits: readonly TextEdit[], what: string): string {
  assertEditsInside(text, edits, what);
  const result = applyEdits(text, edits);
  const expected = edits.reduce((length, edit) => length + edit.newText.length - edit.length, text.length);
  assert.equal(result.length, expected, `${what}: the text grew by more than the replacement text`);
  return result;
}

function checkDocument(text: string, analysis: Analysis, random: Random, where: string): void {
  for (const item of analysis.findings) {
    assert.ok(
      item.offset >= 0 && item.length >= 0 && item.offset + item.length <= text.length,
      `${where}: ${item.code} at ${item.offset}+${item.length} outside ${text.length}`,
    );
    for (const place of item.related ?? []) {
      assert.ok(place.offset >= 0 && place.offset + place.length <= text.length, `${where}: ${item.code}'s related place outside the text`);
    }
  }
  // Every quick fix of (a sample of) the findings.
  const sample = analysis.findings.length <= 12 ? analysis.findings : Array.from({ length: 12 }, () => random.pick(analysis.findings));
  for (const item of sample) {
    for (const fix of fixesFor(text, analysis, item, 'policy.iam.json')) applyChecked(text, fix.edits, `${where}: ${item.code}: ${fix.title}`);
  }
  // Fix-all, pass after pass, as --fix applies it.
  let current = text;
  let currentAnalysis = analysis;
  for (let pass = 1; ; pass++) {
    const edits = fixAll(current, currentAnalysis);
    if (edits.length === 0) break;
    assert.ok(pass <= MAX_PASSES, `${where}: fix-all still has ${edits.length} edits after ${MAX_PASSES} passes`);
    const next = applyChecked(current, edits, `${where}: fix-all pass ${pass}`);
    assert.notEqual(next, current, `${where}: fix-all pass ${pass} changed nothing`);
    const nextAnalysis = analyze(next);
    assert.ok(
      nextAnalysis.parsed.problems.length <= currentAnalysis.parsed.problems.length,
      `${where}: fix-all pass ${pass} left ${nextAnalysis.parsed.problems.length} JSON problems, ${currentAnalysis.parsed.problems.length} before: ${JSON.stringify(current)} -> ${JSON.stringify(next)}`,
    );
    current = next;
    currentAnalysis = nextAnalysis;
  }
}

describe('fix properties', () => {
  let catalog: Catalog;
  before(async () => {
    catalog = await createCatalog();
    await catalog.loadAll();
  });

  it('hold for 3,000 random and mutated documents', (t) => {
    const seed = seedFromEnvironment(20_409);
    t.diagnostic(`seed ${seed} (IAM_POLICY_SEED=${seed} replays it)`);
    const random = new Random(seed);
    let fixed = 0;
    for (let doc = 0; doc < 3_000; doc++) {
      const text = randomDocument(random, 4_000);
      // Half with the service catalog, for the fixes that name actions, operators and keys.
      const analysis = analyze(text, { fileName: 'policy.iam.json', ...(doc % 2 === 0 ? { catalog } : {}) });
      if (fixAll(text, analysis).length > 0) fixed++;
      checkDocument(text, analysis, random, `seed ${seed}, document ${doc}`);
    }
    t.diagnostic(`${fixed} of 3,000 documents had something for fix-all`);
    assert.ok(fixed > 300, `only ${fixed} documents had something to fix: the generator no longer exercises fix-all`);
  });
});
