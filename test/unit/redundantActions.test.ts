/**
 * Redundant actions against their plain definition, on generated statements: an entry is
 * redundant when "*" is listed (or it is a second "*"), when an earlier entry is the same
 * action in any case, or when another wildcard of its service covers it, as that wildcard's
 * pattern says (of two that cover each other, the later). The check itself rules most pairs out
 * on their literal starts first; the names here mix cases, and letters whose lower case and
 * regular-expression case folding disagree (Σ σ ς, İ i I, ſ s, the Kelvin sign K and k), so a
 * shortcut that is wrong for any of them fails.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from 'iam-policy-engine/analyze';
import { parseActionEntry, wildcardPattern } from 'iam-policy-engine/statements';
import { Random } from '../support/random';

const VENDORS = ['s3', 'S3', 'ec2'];
const PIECES = ['Get', 'get', 'GET', 'Σ', 'σ', 'ς', 'İ', 'i', 'I', 'ſ', 's', '\u212a', 'k', '*', '?', '*'];

function entryText(random: Random): string {
  if (random.int(20) === 0) return '*';
  let name = '';
  for (let piece = 0, pieces = 1 + random.int(3); piece < pieces; piece++) name += random.pick(PIECES);
  return `${random.pick(VENDORS)}:${name}`;
}

/** The indexes of the redundant entries, by the definition above. */
function expectedRedundant(texts: readonly string[]): number[] {
  const entries = texts.map((text) => parseActionEntry({ type: 'string', offset: 0, length: text.length + 2, value: text }));
  const firstAll = entries.findIndex((entry) => entry.all);
  const redundant: number[] = [];
  entries.forEach((entry, index) => {
    if (entry.all) {
      if (index !== firstAll) redundant.push(index);
      return;
    }
    if (firstAll >= 0) {
      redundant.push(index);
      return;
    }
    if (entry.vendor === undefined) return;
    const lower = entry.text.toLowerCase();
    const duplicate = entries.some((other, at) => at < index && other.vendor !== undefined && !other.all && other.text.toLowerCase() === lower);
    const covered = entries.some(
      (other, at) =>
        at !== index &&
        other.wildcard &&
        other.vendor === entry.vendor &&
        other.text.toLowerCase() !== lower &&
        !(entry.wildcard && other.text.includes('?')) &&
        wildcardPattern(other.text).test(entry.text) &&
        !(at > index && wildcardPattern(entry.text).test(other.text)),
    );
    if (duplicate || covered) redundant.push(index);
  });
  return redundant;
}

describe('redundant actions', () => {
  it('are exactly those the definition names, on 3,000 generated statements', () => {
    const random = new Random(20261206);
    let found = 0;
    for (let round = 0; round < 3000; round++) {
      const texts = Array.from({ length: 2 + random.int(7) }, () => entryText(random));
      // Each entry's offset inside the text, to tell which one a finding is on.
      let text = '{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Resource": "*", "Action": [';
      const starts: number[] = [];
      texts.forEach((entry, index) => {
        if (index > 0) text += ', ';
        starts.push(text.length + 1);
        text += JSON.stringify(entry);
      });
      text += ']}}';
      const actual = analyze(text)
        .findings.filter((item) => item.code === 'redundant-action')
        .map((item) => starts.indexOf(item.offset))
        .sort((a, b) => a - b);
      const expected = expectedRedundant(texts);
      assert.deepEqual(actual, expected, `statement ${round}: ${JSON.stringify(texts)}`);
      found += expected.length;
    }
    // The generator makes redundant entries often enough for the comparison to mean something.
    assert.ok(found > 1000, `only ${found} redundant entries in 3,000 statements`);
  });
});
