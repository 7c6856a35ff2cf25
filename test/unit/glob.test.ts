import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileGlob, isGlob, matchGlob } from '../../server/src/cli/glob';

describe('glob matching', () => {
  const cases: Array<[string, string, boolean]> = [
    ['*.json', 'a.json', true],
    ['*.json', 'dir/a.json', false],
    ['*.json', '.hidden.json', true],
    ['**/*.json', 'a.json', true],
    ['**/*.json', 'x/y/z/a.json', true],
    ['**/*.json', 'x/y/a.txt', false],
    ['a/**/b.json', 'a/b.json', true],
    ['a/**/b.json', 'a/x/y/b.json', true],
    ['a/**/b.json', 'ab.json', false],
    ['a/**', 'a/x/y.json', true],
    ['p?.json', 'p1.json', true],
    ['p?.json', 'p/.json', false],
    ['p?.json', 'p12.json', false],
    ['[ab].json', 'a.json', true],
    ['[ab].json', 'c.json', false],
    ['[!ab].json', 'c.json', true],
    ['[^ab].json', 'a.json', false],
    ['[a-c]x.json', 'bx.json', true],
    ['*.{iam,policy}.json', 'p.iam.json', true],
    ['*.{iam,policy}.json', 'p.policy.json', true],
    ['*.{iam,policy}.json', 'p.other.json', false],
    ['{a,b/{c,d}}/*.json', 'b/d/x.json', true],
    ['{a,b/{c,d}}/*.json', 'b/e/x.json', false],
    ['a+b(1).json', 'a+b(1).json', true],
    ['a.json', 'abjson', false],
    ['\\*.json', '*.json', true],
    ['\\*.json', 'a.json', false],
    ['[unclosed.json', '[unclosed.json', true],
    ['{unclosed.json', '{unclosed.json', true],
    ['*', 'é☃.json', true],
  ];
  for (const [pattern, file, expected] of cases) {
    it(`${pattern} ${expected ? 'matches' : 'does not match'} ${file}`, () => {
      assert.equal(matchGlob(pattern, file), expected);
    });
  }
});

describe('glob operands', () => {
  it('tells patterns from plain paths', () => {
    assert.equal(isGlob('policies/*.json'), true);
    assert.equal(isGlob('policies/{a,b}.json'), true);
    assert.equal(isGlob('policies/a.json'), false);
    assert.equal(isGlob('policies/\\*.json'), false);
  });
  it('walks from the literal directory in front of the pattern, as deep as it can match', () => {
    assert.deepEqual(pick(compileGlob('policies/prod/*.json')), { base: 'policies/prod', maxDepth: 1 });
    assert.deepEqual(pick(compileGlob('*.json')), { base: '', maxDepth: 1 });
    assert.deepEqual(pick(compileGlob('a/*/b/*.json')), { base: 'a', maxDepth: 3 });
    assert.deepEqual(pick(compileGlob('/abs/dir/**/*.json')), { base: '/abs/dir', maxDepth: Infinity });
    assert.deepEqual(pick(compileGlob('/*.json')), { base: '/', maxDepth: 1 });
    assert.equal(compileGlob('a/*/b/*.json').regex.test('x/b/c.json'), true);
  });
});

function pick(glob: ReturnType<typeof compileGlob>): { base: string; maxDepth: number } {
  return { base: glob.base, maxDepth: glob.maxDepth };
}
