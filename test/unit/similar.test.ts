/**
 * The helpers behind messages and suggestions, against the plain versions they replace for
 * speed: edit distance against the textbook table (a new array per row), and thousands
 * grouping against `toLocaleString('en-US')`, on random inputs of a fixed seed.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closest, editDistance } from 'iam-policy-engine/similar';
import { groupDigits } from 'iam-policy-engine/numbers';

/** Optimal string alignment distance, written out as the table it is. */
function referenceDistance(a: string, b: string): number {
  const table: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      table[i][j] = Math.min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) table[i][j] = Math.min(table[i][j], table[i - 2][j - 2] + 1);
    }
  }
  return table[a.length][b.length];
}

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('editDistance', () => {
  it('equals the textbook table on 5,000 random pairs, long words among short ones (its rows are reused)', () => {
    const next = random(7);
    const word = () => Array.from({ length: Math.floor(next() * (next() < 0.1 ? 150 : 12)) }, () => 'abcA'[Math.floor(next() * 4)]).join('');
    for (let n = 0; n < 5000; n++) {
      const a = word();
      const b = word();
      const exact = referenceDistance(a, b);
      assert.equal(editDistance(a, b), exact, `${a} / ${b}`);
      const limit = Math.floor(next() * 4);
      const bounded = editDistance(a, b, limit);
      if (exact <= limit) assert.equal(bounded, exact, `${a} / ${b} within ${limit}`);
      else assert.ok(bounded > limit, `${a} / ${b} over ${limit}: ${bounded}`);
    }
  });

  it('equals the table within a limit on long words a few edits apart (the band near the diagonal is all it fills)', () => {
    const next = random(13);
    const letter = () => 'abcdA'[Math.floor(next() * 5)];
    for (let n = 0; n < 3000; n++) {
      const a = Array.from({ length: 15 + Math.floor(next() * 50) }, letter).join('');
      let b = a;
      for (let edits = Math.floor(next() * 8); edits > 0; edits--) {
        const at = Math.floor(next() * (b.length + 1));
        const what = next();
        if (what < 0.3) b = b.slice(0, at) + letter() + b.slice(at);
        else if (what < 0.6) b = b.slice(0, at) + b.slice(at + 1);
        else if (what < 0.8) b = b.slice(0, at) + letter() + b.slice(at + 1);
        else b = b.slice(0, at) + b.slice(at + 1, at + 2) + b.slice(at, at + 1) + b.slice(at + 2);
      }
      const exact = referenceDistance(a, b);
      for (let limit = 0; limit <= 7; limit++) {
        const bounded = editDistance(a, b, limit);
        if (exact <= limit) assert.equal(bounded, exact, `${a} / ${b} within ${limit}`);
        else assert.ok(bounded > limit, `${a} / ${b} over ${limit}: ${bounded}`);
      }
    }
  });

  it('counts a swap of neighbours as one edit, and suggests by it', () => {
    assert.equal(editDistance('kafak', 'kafka'), 1);
    assert.equal(closest('GetObejct', ['PutObject', 'GetObject']), 'GetObject');
  });
});

describe('groupDigits', () => {
  it("writes numbers as toLocaleString('en-US') does", () => {
    const next = random(11);
    for (const value of [0, 7, 999, 1000, 131072, -6144, 1_000_000, 2 ** 31]) assert.equal(groupDigits(value), value.toLocaleString('en-US'));
    for (let n = 0; n < 2000; n++) {
      const value = Math.floor(next() * 10 ** Math.floor(next() * 12)) * (next() < 0.2 ? -1 : 1);
      if (Object.is(value, -0)) continue; // no count is minus zero
      assert.equal(groupDigits(value), value.toLocaleString('en-US'));
    }
  });
});
