/**
 * The actions a wildcard entry stands for, against their plain definition: every action of the
 * service whose name the wildcard's pattern matches, in the service's order. The expansion
 * rules most names out on the wildcard's literal start, and remembers its answers by the name
 * as written; names here mix cases and letters whose lower case and regular-expression case
 * folding disagree (the Kelvin sign lower-cases to k, yet the pattern K* matches only itself).
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ActionData, ServiceData } from 'iam-policy-engine/catalog';
import { actionsMatching, wildcardPattern } from 'iam-policy-engine/statements';
import { Random } from '../support/random';

/** A service of the given action names, kept as the catalog keeps them (by lower-case name). */
function serviceOf(prefix: string, names: readonly string[]): ServiceData {
  const actions = new Map<string, ActionData>();
  for (const name of names) {
    actions.set(name.toLowerCase(), { service: prefix, name, description: '', accessLevel: 'Read', resourceTypes: [], conditionKeys: [], wildcardOnly: true });
  }
  return { prefix, name: prefix, actions, resourceTypes: new Map(), conditionKeys: new Map(), conditionKeyPrefixes: [] };
}

describe('action wildcards', () => {
  it('are not mistaken for another wildcard of the same lower case', () => {
    const service = serviceOf('kelvin-test', ['KeyPress', 'ListKeys']);
    assert.deepEqual(
      actionsMatching(service, 'k*').map((action) => action.name),
      ['KeyPress'],
    );
    assert.deepEqual(actionsMatching(service, '\u212a*'), []);
    assert.deepEqual(
      actionsMatching(service, 'K*').map((action) => action.name),
      ['KeyPress'],
    );
  });

  it('match what their pattern matches, on 2,000 generated wildcards', () => {
    const random = new Random(61206);
    const pieces = ['Get', 'get', 'List', 'list', 'Describe', 'K', 'k', '\u212a', 'S', 's', 'ſ', 'I', 'i', 'İ', 'Σ', 'σ', 'ς', 'Object', 'Keys'];
    const names = new Set<string>();
    while (names.size < 300) {
      let name = '';
      for (let piece = 0, count = 1 + random.int(3); piece < count; piece++) name += random.pick(pieces);
      names.add(name);
    }
    // The catalog keeps one action per lower-case name.
    const service = serviceOf('generated', [...new Map([...names].map((name) => [name.toLowerCase(), name])).values()]);
    const all = [...service.actions.values()];
    let matchedSome = 0;
    for (let round = 0; round < 2000; round++) {
      let wildcard = '';
      for (let piece = 0, count = random.int(3); piece < count; piece++) wildcard += random.pick(pieces);
      wildcard += random.pick(['*', '?', '*?', '?*']);
      if (random.int(3) === 0) wildcard += random.pick(pieces);
      const pattern = wildcardPattern(wildcard);
      const expected = all.filter((action) => pattern.test(action.name));
      assert.deepEqual(actionsMatching(service, wildcard), expected, wildcard);
      if (expected.length > 0) matchedSome++;
    }
    assert.ok(matchedSome > 500, `only ${matchedSome} of 2,000 wildcards matched anything`);
  });
});
